"""What every group write checks before it stores links (seed 004 "CREATE a new Group" errors,
in the seed's order): inherited groups exist and may be inherited (type, no cycle, depth),
items exist for the group's type, owners exist. Another tenant's ids are missing ones."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from iam.domain.group_rules import check_inherit_types, check_inheritance, holds_items
from iam.errors import MissingInherits, MissingItems, MissingOwners
from iam.repositories import group_queries
from iam.repositories.group_queries import GroupLinks
from iam.repositories.item_catalogues import missing_items
from iam.repositories.party_replica import missing_parties
from iam.repositories.user_replica import parties_of_users


def _named(ids: Collection[uuid.UUID]) -> str:
    return ", ".join(sorted(str(i) for i in ids))


async def check_inherits(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    group_id: uuid.UUID,
    group_type: str,
    inherit_ids: Collection[uuid.UUID],
) -> None:
    """``group_id`` (of ``group_type``) is to inherit exactly ``inherit_ids``."""
    types = await group_queries.live_types(session, tenant_id, inherit_ids)
    missing = set(inherit_ids) - set(types)
    if missing:
        raise MissingInherits(f"{MissingInherits.message} Missing: {_named(missing)}.")
    check_inherit_types(group_type, types.values())
    below = await group_queries.edges_below(session, tenant_id, inherit_ids)
    above = await group_queries.edges_above(session, tenant_id, group_id)
    check_inheritance(group_id, inherit_ids, below, above)


async def check_items(
    session: AsyncSession, tenant_id: uuid.UUID, group_type: str, items: Collection[uuid.UUID]
) -> None:
    missing = await missing_items(session, tenant_id, group_type, items)
    if missing:
        raise MissingItems(f"{MissingItems.message} Missing: {_named(missing)}.")


async def owner_parties(
    session: AsyncSession, tenant_id: uuid.UUID, owner_ids: Collection[uuid.UUID]
) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """Each owner as a live party: a party id as it is, a (legacy) user id as its user's party
    (seed 004: owner_ids "can also use legacy user ids"); and the ids that are neither."""
    not_parties = await missing_parties(session, tenant_id, owner_ids)
    users = await parties_of_users(session, tenant_id, not_parties)
    dead = await missing_parties(session, tenant_id, set(users.values()))
    resolved: set[uuid.UUID] = set()
    unknown: set[uuid.UUID] = set()
    for owner in owner_ids:
        if owner not in not_parties:
            resolved.add(owner)
        elif owner in users and users[owner] not in dead:
            resolved.add(users[owner])
        else:
            unknown.add(owner)
    return resolved, unknown


async def check_owners(
    session: AsyncSession, tenant_id: uuid.UUID, owner_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    resolved, missing = await owner_parties(session, tenant_id, owner_ids)
    if missing:
        raise MissingOwners(f"{MissingOwners.message} Missing: {_named(missing)}.")
    return resolved


async def checked_links(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    group_id: uuid.UUID,
    group_type: str,
    *,
    items: Sequence[uuid.UUID],
    owner_ids: Sequence[uuid.UUID],
    inherit_ids: Sequence[uuid.UUID],
) -> GroupLinks:
    """The links a create or replace stores, once every rule holds; an operational group's
    items are ignored (seed 004)."""
    inherits = set(inherit_ids)
    await check_inherits(session, tenant_id, group_id, group_type, inherits)
    kept = set(items) if holds_items(group_type) else set()
    await check_items(session, tenant_id, group_type, kept)
    owners = await check_owners(session, tenant_id, set(owner_ids))
    return GroupLinks(tuple(sorted(kept)), tuple(sorted(owners)), tuple(sorted(inherits)))
