"""What a datazone write must check in the database before it saves: that every
id it names is a live object of the tenant as the replicas know it (seed 004's
``eAttemptSaveWithMissing…``). An id the zone already holds stays valid, so echoing a zone back
does not fail because one of its entities was deleted since."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from iam.domain.datazone_errors import MissingContracts, MissingEntities, MissingIndustries, MissingOwners
from iam.domain.datazones import unique_ids
from iam.repositories import datazone_replicas
from iam.repositories.datazone_records import Datazone
from iam.repositories.groups import GroupItem, IamGroup
from iam.repositories.party_replica import parties
from iam.repositories.permission_changes import record_change
from iam.repositories.user_replica import parties_of_users
from proximity.errors import ProximityError

MissingLookup = Callable[[AsyncSession, uuid.UUID, Collection[uuid.UUID]], Awaitable[set[uuid.UUID]]]

# Each list a datazone names: where its ids are looked up, and the error for one not there.
_LOOKUPS: dict[str, tuple[MissingLookup, type[ProximityError]]] = {
    "entity_ids": (datazone_replicas.entities.missing, MissingEntities),
    "industry_ids": (datazone_replicas.industries.missing, MissingIndustries),
    "contract_ids": (datazone_replicas.contracts.missing, MissingContracts),
    "owner_ids": (parties.missing, MissingOwners),
}


async def missing_error(
    session: AsyncSession, tenant_id: uuid.UUID, field: str, wanted: Collection[uuid.UUID]
) -> ProximityError | None:
    """The error when an id of ``field`` is no live object of the tenant."""
    if not wanted:
        return None
    lookup, error = _LOOKUPS[field]
    missing = await lookup(session, tenant_id, wanted)
    if not missing:
        return None
    return error(f"{error.message} Missing: {', '.join(sorted(str(i) for i in missing))}.")


async def owners_as_parties(
    session: AsyncSession, tenant_id: uuid.UUID, owner_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """Each owner as a party, in the order given and once: a (legacy) user id becomes its
    user's party (seed 004: owner_ids "Can use legacy user ids"); anything else stays as given
    for ``check_references`` to judge."""
    not_parties = await parties.missing(session, tenant_id, owner_ids)
    users = await parties_of_users(session, tenant_id, not_parties)
    return unique_ids(users.get(owner, owner) for owner in owner_ids)


async def check_references(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    wanted: Mapping[str, Sequence[uuid.UUID]],
    held: Mapping[str, Sequence[uuid.UUID]] | None = None,
) -> None:
    """``wanted`` / ``held``: ``owner_ids``, ``industry_ids``, ``entity_ids``, ``contract_ids``."""
    for field in _LOOKUPS:
        new = set(wanted.get(field, ())) - set((held or {}).get(field, ()))
        error = await missing_error(session, tenant_id, field, new)
        if error is not None:
            raise error


def is_live(found: Datazone) -> bool:
    return found.suspended_at is None and found.deleted_at is None


async def note_territory_change(session: AsyncSession, found: Datazone, was_live: bool) -> None:
    """A zone suspended, deleted or brought back changes the territory of every group holding
    it: one ``permission_change`` row names those territory groups, in the write's
    transaction, so the effective permissions of their users are computed again."""
    if is_live(found) == was_live:
        return
    holding = (
        select(col(GroupItem.group_id))
        .join(IamGroup, col(IamGroup.id) == col(GroupItem.group_id))
        .where(
            col(GroupItem.item_id) == found.id,
            col(IamGroup.tenant_id) == found.tenant_id,
            col(IamGroup.type) == "territory",
        )
    )
    group_ids = set((await session.execute(holding)).scalars())
    await record_change(session, found.tenant_id, group_ids=group_ids)


def as_ids(found: Datazone, owner_ids: Sequence[uuid.UUID]) -> dict[str, Any]:
    return {
        "owner_ids": list(owner_ids),
        "industry_ids": list(found.industry_ids),
        "entity_ids": list(found.entity_ids),
        "contract_ids": list(found.contract_ids),
    }
