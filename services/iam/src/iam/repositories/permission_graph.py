"""The part of a tenant's group graph a change touches, read with recursive SQL: the
operational groups above some groups or some users, and the groups below some operational
groups with what the effective computation needs of them
(``iam.domain.effective_permissions.TenantGraph``). ``UNION`` in each recursion drops what it
has seen, so a cycle the rules forbid still ends.

The queries name tables iam-core and the datazones owner define (``iam_group``,
``group_inherit``, ``group_item``, ``feature``, ``datazone``) by their columns only."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import AsyncSession

from iam.domain.effective_permissions import Group, GroupType, TenantGraph
from iam.repositories.party_replica import missing_users

_IDS = ARRAY(UUID(as_uuid=True))

_OPERATIONAL_ABOVE_GROUPS = text(
    """
    WITH RECURSIVE up(id) AS (
        SELECT unnest(:ids)
        UNION
        SELECT e.group_id FROM group_inherit e JOIN up ON e.inherit_id = up.id
        WHERE e.tenant_id = :tenant
    )
    SELECT g.id FROM iam_group g JOIN up ON g.id = up.id
    WHERE g.tenant_id = :tenant AND g.type = 'operational'
    """
).bindparams(bindparam("ids", type_=_IDS))

_OPERATIONAL_ABOVE_PARTIES = text(
    """
    WITH RECURSIVE up(id) AS (
        SELECT DISTINCT i.group_id FROM group_item i JOIN iam_group g ON g.id = i.group_id
        WHERE i.tenant_id = :tenant AND i.item_id = ANY(:ids) AND g.type = 'user'
          AND g.suspended_at IS NULL AND g.deleted_at IS NULL
        UNION
        SELECT e.group_id FROM group_inherit e JOIN up ON e.inherit_id = up.id
        JOIN iam_group g ON g.id = e.group_id
        WHERE e.tenant_id = :tenant AND g.suspended_at IS NULL AND g.deleted_at IS NULL
    )
    SELECT g.id FROM iam_group g JOIN up ON g.id = up.id WHERE g.type = 'operational'
    """
).bindparams(bindparam("ids", type_=_IDS))

# Every edge, whatever the groups' state: the closure a change can touch is over all of them;
# which groups contribute is the computation's business (it skips what is not live).
_BELOW = text(
    """
    WITH RECURSIVE down(id) AS (
        SELECT unnest(:ids)
        UNION
        SELECT e.inherit_id FROM group_inherit e JOIN down ON e.group_id = down.id
        WHERE e.tenant_id = :tenant
    )
    SELECT g.id, g.type, g.suspended_at IS NULL AND g.deleted_at IS NULL
    FROM iam_group g JOIN down ON g.id = down.id WHERE g.tenant_id = :tenant
    """
).bindparams(bindparam("ids", type_=_IDS))

_EDGES = text(
    "SELECT group_id, inherit_id FROM group_inherit WHERE tenant_id = :tenant AND group_id = ANY(:ids)"
).bindparams(bindparam("ids", type_=_IDS))

_ITEMS = text(
    "SELECT group_id, item_id FROM group_item WHERE tenant_id = :tenant AND group_id = ANY(:ids)"
).bindparams(bindparam("ids", type_=_IDS))

_FEATURE_TAGS = text(
    "SELECT id, permission FROM feature WHERE tenant_id = :tenant AND id = ANY(:ids) AND deleted_at IS NULL"
).bindparams(bindparam("ids", type_=_IDS))

_LIVE_DATAZONES = text(
    """
    SELECT id FROM datazone WHERE tenant_id = :tenant AND id = ANY(:ids)
    AND suspended_at IS NULL AND deleted_at IS NULL
    """
).bindparams(bindparam("ids", type_=_IDS))

_USERS_OF_PARTIES = text(
    """
    SELECT DISTINCT ON (party_id) party_id, id FROM user_replica
    WHERE tenant_id = :tenant AND party_id = ANY(:ids) AND deleted_at IS NULL
    ORDER BY party_id, id
    """
).bindparams(bindparam("ids", type_=_IDS))


async def _ids(
    session: AsyncSession, query: object, tenant_id: uuid.UUID, ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    if not ids:
        return set()
    rows = await session.execute(query, {"tenant": tenant_id, "ids": list(ids)})  # type: ignore[call-overload]
    return set(rows.scalars())


async def operational_above_groups(
    session: AsyncSession, tenant_id: uuid.UUID, group_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """The operational groups among these groups and every group inheriting one of them, through
    any edge: a suspended group in between still links what restoring it brings back."""
    return await _ids(session, _OPERATIONAL_ABOVE_GROUPS, tenant_id, group_ids)


async def operational_above_parties(
    session: AsyncSession, tenant_id: uuid.UUID, party_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """The live operational groups that may reach these parties now: above the live user groups
    holding them, through live groups."""
    return await _ids(session, _OPERATIONAL_ABOVE_PARTIES, tenant_id, party_ids)


async def graph_below(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    op_group_ids: Collection[uuid.UUID],
    party_ids: Collection[uuid.UUID] = (),
) -> TenantGraph:
    """These operational groups and every group below them, with their edges, the items of the
    live ones, the tags of their live features and their live datazones; those of
    ``party_ids`` that are no live user party any more are gone."""
    params = {"tenant": tenant_id}
    found = (
        (await session.execute(_BELOW, {**params, "ids": list(op_group_ids)})).all() if op_group_ids else []
    )
    kinds = {group_id: (GroupType(kind), bool(live)) for group_id, kind, live in found}
    inherits: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    items: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    if kinds:
        for group_id, inherit_id in await session.execute(_EDGES, {**params, "ids": list(kinds)}):
            inherits[group_id].add(inherit_id)
        # A suspended or deleted group contributes nothing: its items are not needed.
        live = [group_id for group_id, (_, is_live) in kinds.items() if is_live]
        for group_id, item_id in await session.execute(_ITEMS, {**params, "ids": live}):
            items[group_id].add(item_id)
    features = {f for g, (kind, _) in kinds.items() if kind is GroupType.FEATURE for f in items[g]}
    zones = {z for g, (kind, _) in kinds.items() if kind is GroupType.TERRITORY for z in items[g]}
    tags: dict[uuid.UUID, str] = {}
    if features:
        rows = await session.execute(_FEATURE_TAGS, {**params, "ids": list(features)})
        tags = {feature_id: tag for feature_id, tag in rows}
    groups = {
        group_id: Group(group_id, kind, is_live, frozenset(inherits[group_id]), frozenset(items[group_id]))
        for group_id, (kind, is_live) in kinds.items()
    }
    return TenantGraph(
        groups,
        tags,
        frozenset(await _ids(session, _LIVE_DATAZONES, tenant_id, zones)),
        frozenset(await missing_users(session, tenant_id, party_ids)),
    )


async def users_of(
    session: AsyncSession, tenant_id: uuid.UUID, party_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """Party id -> the id of its live user, for the parties identity has told iam a user of."""
    if not party_ids:
        return {}
    rows = await session.execute(_USERS_OF_PARTIES, {"tenant": tenant_id, "ids": list(party_ids)})
    return {party_id: user_id for party_id, user_id in rows}
