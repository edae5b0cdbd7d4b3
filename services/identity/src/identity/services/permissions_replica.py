"""The replica of iam's effective permissions: applied from events, read for tokens and
``/users/me``."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from identity.events.consumed import PermissionsUpdated
from identity.repositories.tables import Party, User
from identity.repositories.users_tables import EffectivePermissions
from proximity.events.envelope import Event

log = logging.getLogger(__name__)


async def _party_of(
    session: AsyncSession, tenant_id: uuid.UUID, update: PermissionsUpdated
) -> uuid.UUID | None:
    if update.party_id is not None:
        query = select(col(Party.id)).where(Party.id == update.party_id, Party.tenant_id == tenant_id)
    else:
        query = select(col(User.party_id)).where(User.id == update.user_id, User.tenant_id == tenant_id)
    found: uuid.UUID | None = (await session.execute(query)).scalar_one_or_none()
    return found


async def apply_permissions_updated(session: AsyncSession, event: Event) -> None:
    """Stores the party's new effective permissions unless a newer version is stored already.

    An event that breaks the contract is logged and dropped (not retried forever): no
    redelivery can make it valid."""
    try:
        update = PermissionsUpdated.model_validate(event.data)
    except ValidationError as exc:
        log.error(
            "dropping an invalid permissions event", extra={"event_id": str(event.id), "error": str(exc)}
        )
        return
    party_id = await _party_of(session, event.tenant_id, update) if event.tenant_id else None
    if party_id is None:
        log.warning("permissions event names nobody in its tenant", extra={"event_id": str(event.id)})
        return
    groups = [
        {
            "op_group_id": str(g.op_group_id) if g.op_group_id else None,
            "permissions": sorted(set(g.permissions)),
        }
        for g in update.permissions
    ]
    values: dict[str, Any] = {
        "groups": groups,
        "version": event.version,
        "event_id": event.id,
        "updated_at": datetime.now(UTC),
    }
    stored = EffectivePermissions.__table__  # type: ignore[attr-defined]
    statement = insert(EffectivePermissions).values(party_id=party_id, tenant_id=event.tenant_id, **values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[col(EffectivePermissions.party_id)],
            set_=values,
            where=stored.c.version < statement.excluded.version,
        )
    )


async def permission_groups(
    session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID
) -> list[dict[str, Any]]:
    """Seed 004's grouping: ``[{"op_group_id", "permissions"}]``; empty until iam says otherwise."""
    query = select(col(EffectivePermissions.groups)).where(
        EffectivePermissions.tenant_id == tenant_id, EffectivePermissions.party_id == party_id
    )
    groups: list[dict[str, Any]] | None = (await session.execute(query)).scalar_one_or_none()
    return groups or []


def flattened(groups: list[dict[str, Any]]) -> list[str]:
    """Every permission of every group once: the access token's ``perms``."""
    return sorted({p for group in groups for p in group.get("permissions", [])})
