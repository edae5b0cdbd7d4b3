"""The replica of iam's effective permissions: applied from events, read for tokens and
``/users/me``."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from identity.events.consumed import PermissionsUpdated
from identity.repositories.tables import Party, User
from identity.repositories.users_tables import EffectivePermissions
from proximity.access.caller import claims_with_grants
from proximity.access.grants import Grants
from proximity.auth.claims import Claims
from proximity.events.consumer import UnusableEvent
from proximity.events.envelope import Event
from proximity.events.replica import apply_if_newer

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

    An event that breaks the contract is parked at once (no redelivery can make it valid);
    one naming nobody in its tenant is logged and dropped."""
    try:
        update = PermissionsUpdated.model_validate(event.data)
    except ValidationError as exc:
        raise UnusableEvent(f"iam.permissions.updated breaks its contract: {exc}") from None
    party_id = await _party_of(session, event.tenant_id, update) if event.tenant_id else None
    if party_id is None:
        log.warning("permissions event names nobody in its tenant", extra={"event_id": str(event.id)})
        return
    groups = [
        {
            "op_group_id": str(g.op_group_id) if g.op_group_id else None,
            "permissions": sorted(set(g.permissions)),
            "datazone_ids": None if g.datazone_ids is None else sorted({str(z) for z in g.datazone_ids}),
        }
        for g in update.permissions
    ]
    await apply_if_newer(
        session,
        EffectivePermissions,
        key={"party_id": party_id},
        version=event.version,
        values={
            "tenant_id": event.tenant_id,
            "groups": groups,
            "event_id": event.id,
            "updated_at": datetime.now(UTC),
        },
    )


async def permission_groups(
    session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID
) -> list[dict[str, Any]]:
    """The stored entries, ``[{"op_group_id", "permissions", "datazone_ids"}]``; empty until
    iam says otherwise."""
    query = select(col(EffectivePermissions.groups)).where(
        EffectivePermissions.tenant_id == tenant_id, EffectivePermissions.party_id == party_id
    )
    groups: list[dict[str, Any]] | None = (await session.execute(query)).scalar_one_or_none()
    return groups or []


async def granted(session: AsyncSession, claims: Claims) -> Claims:
    """The caller with the tags iam's latest grants give them; a user iam has told nothing
    about keeps the token's (they came from this same replica when it was signed)."""
    if claims.party_id is None:
        return claims
    query = select(col(EffectivePermissions.groups)).where(
        EffectivePermissions.tenant_id == claims.tenant_id, EffectivePermissions.party_id == claims.party_id
    )
    groups: list[dict[str, Any]] | None = (await session.execute(query)).scalar_one_or_none()
    return claims if groups is None else claims_with_grants(claims, Grants.from_json(groups))


def seed_grouping(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Seed 004's ``/users/me`` grouping, ``[{"op_group_id", "permissions"}]``: the seed names
    just these two properties per group, and where the tags reach is for the services that own
    the objects to enforce, not for a client to read here."""
    return [{"op_group_id": g.get("op_group_id"), "permissions": g.get("permissions", [])} for g in groups]


def flattened(groups: list[dict[str, Any]]) -> list[str]:
    """Every permission of every group once: the access token's ``perms``."""
    return sorted({p for group in groups for p in group.get("permissions", [])})
