"""Tenant-scoped reads and writes of groups and their links: one group (locked for a write),
several for a batch, a group's own items, owners and inherit edges, the inherit graph around
a group (for the rules of ``iam.domain.group_rules``), the counts over a group's closure, and
the page of ``GET /groups``.

A group's closure is the group and every group it inherits, transitively, through live,
unsuspended groups only: a suspended or deleted group contributes nothing (nor what it
inherits), as for the permissions it gives."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    delete,
    distinct,
    exists,
    func,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.selectable import CTE
from sqlmodel import col

from iam.repositories.datazone_records import Datazone
from iam.repositories.groups import GroupInherit, GroupItem, GroupOwner, IamGroup
from proximity.db.keywords import matches_keywords
from proximity.db.listing import capped_total, keyset_page, ordering, page_of, window
from proximity.http.list_query import KeysetPage, ListQuery

_groups = IamGroup.__table__  # type: ignore[attr-defined]  # typed Core columns of the models
_edges = GroupInherit.__table__  # type: ignore[attr-defined]
_items = GroupItem.__table__  # type: ignore[attr-defined]
_owners = GroupOwner.__table__  # type: ignore[attr-defined]
_zones = Datazone.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class GroupLinks:
    """A group's own items, owners and inherited groups, each sorted."""

    items: tuple[uuid.UUID, ...] = ()
    owner_ids: tuple[uuid.UUID, ...] = ()
    inherit_ids: tuple[uuid.UUID, ...] = ()


@dataclass(frozen=True, slots=True)
class GroupStats:
    """seed 004's ``stats``: the distinct items of each type over the closure, and how many
    groups it inherits."""

    territory: int = 0
    user: int = 0
    feature: int = 0
    inherits: int = 0


@dataclass(frozen=True, slots=True)
class GroupFilter:
    ids: tuple[uuid.UUID, ...] = ()
    type: str | None = None
    keywords: str | None = None
    party_id: uuid.UUID | None = None
    datazone_id: uuid.UUID | None = None
    entity_id: uuid.UUID | None = None


async def group(
    session: AsyncSession, tenant_id: uuid.UUID, group_id: uuid.UUID, *, for_update: bool = False
) -> IamGroup | None:
    """One group of the tenant, deleted ones too (naming an id asks for it explicitly)."""
    query = select(IamGroup).where(col(IamGroup.tenant_id) == tenant_id, col(IamGroup.id) == group_id)
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    found: IamGroup | None = (await session.execute(query)).scalar_one_or_none()
    return found


async def groups_for_update(
    session: AsyncSession, tenant_id: uuid.UUID, group_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, IamGroup]:
    if not group_ids:
        return {}
    query = (
        select(IamGroup)
        .where(col(IamGroup.tenant_id) == tenant_id, col(IamGroup.id).in_(list(group_ids)))
        .order_by(col(IamGroup.id))  # one lock order, so two writes cannot deadlock
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {found.id: found for found in (await session.execute(query)).scalars()}


async def lock_inheritance(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Serialises the tenant's writes that change inherit edges, for the transaction: two
    writes each adding half of a cycle would otherwise both pass their check. Taken before
    any group row, so every such write locks in the same order."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"iam-group-inheritance:{tenant_id}"},
    )


async def live_types(
    session: AsyncSession, tenant_id: uuid.UUID, group_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """The type of each of ``group_ids`` that is a live (not deleted) group of the tenant; a
    suspended group may still be inherited."""
    if not group_ids:
        return {}
    query = select(_groups.c.id, _groups.c.type).where(
        _groups.c.tenant_id == tenant_id,
        _groups.c.id.in_(list(group_ids)),
        _groups.c.deleted_at.is_(None),
    )
    return {row[0]: row[1] for row in (await session.execute(query)).all()}


async def links_of(session: AsyncSession, group_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, GroupLinks]:
    """Each group's own links. An inherited group that was deleted is not shown (the group
    lost it, seed 004 "DELETE a Group"); its edge stays, so restoring it gives it back."""
    ids = list(group_ids)
    found: dict[uuid.UUID, dict[str, list[uuid.UUID]]] = {
        i: {"items": [], "owner_ids": [], "inherit_ids": []} for i in ids
    }
    if not ids:
        return {}
    for row in await session.execute(
        select(_items.c.group_id, _items.c.item_id).where(_items.c.group_id.in_(ids))
    ):
        found[row[0]]["items"].append(row[1])
    owners = select(_owners.c.group_id, _owners.c.party_id).where(_owners.c.group_id.in_(ids))
    for row in await session.execute(owners):
        found[row[0]]["owner_ids"].append(row[1])
    inherited = (
        select(_edges.c.group_id, _edges.c.inherit_id)
        .join(_groups, _groups.c.id == _edges.c.inherit_id)
        .where(_edges.c.group_id.in_(ids), _groups.c.deleted_at.is_(None))
    )
    for row in await session.execute(inherited):
        found[row[0]]["inherit_ids"].append(row[1])
    return {
        i: GroupLinks(
            tuple(sorted(v["items"])), tuple(sorted(v["owner_ids"])), tuple(sorted(v["inherit_ids"]))
        )
        for i, v in found.items()
    }


async def stored_inherits(session: AsyncSession, group_id: uuid.UUID) -> set[uuid.UUID]:
    """Every inherit edge of the group, to deleted groups too."""
    query = select(_edges.c.inherit_id).where(_edges.c.group_id == group_id)
    return set((await session.execute(query)).scalars())


async def _replace(
    session: AsyncSession, table: Any, column: str, found: IamGroup, wanted: Collection[uuid.UUID]
) -> bool:
    current = set(
        (await session.execute(select(table.c[column]).where(table.c.group_id == found.id))).scalars()
    )
    wanted_set = set(wanted)
    gone, added = current - wanted_set, wanted_set - current
    if gone:
        await session.execute(
            delete(table).where(table.c.group_id == found.id, table.c[column].in_(list(gone)))
        )
    if added:
        rows = [{"tenant_id": found.tenant_id, "group_id": found.id, column: i} for i in sorted(added)]
        await session.execute(insert(table).values(rows).on_conflict_do_nothing())
    return bool(gone or added)


async def replace_links(session: AsyncSession, found: IamGroup, links: GroupLinks) -> bool:
    """The group's own links become exactly ``links``; returns whether any changed."""
    changed = await _replace(session, _items, "item_id", found, links.items)
    changed = await _replace(session, _owners, "party_id", found, links.owner_ids) or changed
    return await _replace(session, _edges, "inherit_id", found, links.inherit_ids) or changed


LINK_TABLES: dict[str, tuple[Any, str]] = {
    "item": (_items, "item_id"),
    "owner": (_owners, "party_id"),
    "inherit": (_edges, "inherit_id"),
}


async def add_link(session: AsyncSession, found: IamGroup, kind: str, linked: uuid.UUID) -> bool:
    table, column = LINK_TABLES[kind]
    statement = (
        insert(table)
        .values(tenant_id=found.tenant_id, group_id=found.id, **{column: linked})
        .on_conflict_do_nothing()
        .returning(table.c.group_id)
    )
    return (await session.execute(statement)).first() is not None


async def remove_link(session: AsyncSession, found: IamGroup, kind: str, linked: uuid.UUID) -> bool:
    table, column = LINK_TABLES[kind]
    statement = (
        delete(table)
        .where(table.c.group_id == found.id, table.c[column] == linked)
        .returning(table.c.group_id)
    )
    return (await session.execute(statement)).first() is not None


async def edges_below(
    session: AsyncSession, tenant_id: uuid.UUID, starts: Collection[uuid.UUID]
) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Every inherit edge reachable from ``starts`` (``group -> inherited``), deleted and
    suspended groups' too."""
    if not starts:
        return {}
    rows = await session.execute(
        text(
            """
            WITH RECURSIVE below(group_id, inherit_id) AS (
                SELECT group_id, inherit_id FROM group_inherit
                WHERE tenant_id = :tenant_id AND group_id = ANY(:starts)
              UNION
                SELECT e.group_id, e.inherit_id FROM group_inherit e
                JOIN below b ON e.group_id = b.inherit_id
                WHERE e.tenant_id = :tenant_id
            )
            SELECT group_id, inherit_id FROM below
            """
        ),
        {"tenant_id": tenant_id, "starts": list(starts)},
    )
    graph: dict[uuid.UUID, set[uuid.UUID]] = {}
    for group_id, inherit_id in rows.all():
        graph.setdefault(group_id, set()).add(inherit_id)
    return graph


async def edges_above(
    session: AsyncSession, tenant_id: uuid.UUID, group_id: uuid.UUID
) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Every group inheriting ``group_id``, directly or not, as reversed edges
    (``group -> the groups inheriting it``)."""
    rows = await session.execute(
        text(
            """
            WITH RECURSIVE above(group_id, inherit_id) AS (
                SELECT group_id, inherit_id FROM group_inherit
                WHERE tenant_id = :tenant_id AND inherit_id = :group_id
              UNION
                SELECT e.group_id, e.inherit_id FROM group_inherit e
                JOIN above a ON e.inherit_id = a.group_id
                WHERE e.tenant_id = :tenant_id
            )
            SELECT group_id, inherit_id FROM above
            """
        ),
        {"tenant_id": tenant_id, "group_id": group_id},
    )
    graph: dict[uuid.UUID, set[uuid.UUID]] = {}
    for inheriting, inherited in rows.all():
        graph.setdefault(inherited, set()).add(inheriting)
    return graph


def _closure(tenant_id: uuid.UUID, roots: Collection[uuid.UUID] | None) -> CTE:
    """``(root, member)`` for each root group and every group in its closure, itself included.
    ``roots`` None: every live group of the tenant."""
    start = select(_groups.c.id.label("root"), _groups.c.id.label("member")).where(
        _groups.c.tenant_id == tenant_id
    )
    if roots is None:
        start = start.where(_groups.c.deleted_at.is_(None))
    else:
        start = start.where(_groups.c.id.in_(list(roots)))
    closure = start.cte("closure", recursive=True)
    member = _groups.alias("inherited")
    step = (
        select(closure.c.root, _edges.c.inherit_id)
        .join(_edges, _edges.c.group_id == closure.c.member)
        .join(
            member,
            and_(
                member.c.id == _edges.c.inherit_id,
                member.c.deleted_at.is_(None),
                member.c.suspended_at.is_(None),
            ),
        )
    )
    return closure.union(step)


def _totals(tenant_id: uuid.UUID, roots: Collection[uuid.UUID] | None) -> Select[Any]:
    closure = _closure(tenant_id, roots)
    member = _groups.alias("member")

    def distinct_items(kind: str) -> ColumnElement[int]:
        return func.count(distinct(_items.c.item_id)).filter(member.c.type == kind)

    return (
        select(
            closure.c.root,
            distinct_items("territory").label("territory"),
            distinct_items("user").label("user"),
            distinct_items("feature").label("feature"),
            (func.count(distinct(closure.c.member)) - 1).label("inherits"),
        )
        .select_from(
            closure.join(member, member.c.id == closure.c.member).outerjoin(
                _items, _items.c.group_id == closure.c.member
            )
        )
        .group_by(closure.c.root)
    )


async def stats_of(
    session: AsyncSession, tenant_id: uuid.UUID, group_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, GroupStats]:
    if not group_ids:
        return {}
    rows = (await session.execute(_totals(tenant_id, group_ids))).all()
    found = {row[0]: GroupStats(row[1], row[2], row[3], row[4]) for row in rows}
    return {i: found.get(i, GroupStats()) for i in group_ids}


# The documented sorts; the ``total_*`` ones read the closure counts of every listed group.
PLAIN_SORTS: dict[str, tuple[ColumnElement[Any], ...]] = {
    "name": (func.lower(_groups.c.name),),
    "description": (func.lower(func.left(_groups.c.description, 200)),),
    "created": (_groups.c.created_at,),
    "updated": (func.coalesce(_groups.c.updated_at, _groups.c.created_at),),
}
TOTAL_SORTS = {
    "total_user": "user",
    "total_datazone": "territory",
    "total_feature": "feature",
    "total_inherited": "inherits",
}
SORT_NAMES = (*PLAIN_SORTS, *TOTAL_SORTS)


def _conditions(tenant_id: uuid.UUID, filters: GroupFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [_groups.c.tenant_id == tenant_id]
    if filters.ids:
        conditions.append(_groups.c.id.in_(filters.ids))  # deleted ones only when named
    else:
        conditions.append(_groups.c.deleted_at.is_(None))
    if filters.type is not None:
        conditions.append(_groups.c.type == filters.type)
    if filters.keywords is not None:
        conditions.append(matches_keywords(_groups.c.search_words, filters.keywords))
    if filters.party_id is not None:
        owned = exists().where(_owners.c.group_id == _groups.c.id, _owners.c.party_id == filters.party_id)
        member = exists().where(_items.c.group_id == _groups.c.id, _items.c.item_id == filters.party_id)
        conditions.append(or_(owned, and_(_groups.c.type == "user", member)))
    if filters.datazone_id is not None:
        holds = exists().where(_items.c.group_id == _groups.c.id, _items.c.item_id == filters.datazone_id)
        conditions.append(and_(_groups.c.type == "territory", holds))
    if filters.entity_id is not None:
        conditions.append(_groups.c.id.in_(select(_reaching_entity(tenant_id, filters.entity_id).c.id)))
    return conditions


def _reaching_entity(tenant_id: uuid.UUID, entity_id: uuid.UUID) -> CTE:
    """The territory groups holding a live datazone that names the entity, and every group
    inheriting one of them, transitively (seed 004: "a recursive filter")."""
    holding = (
        select(_items.c.group_id.label("id"))
        .join(_zones, _zones.c.id == _items.c.item_id)
        .where(
            _items.c.tenant_id == tenant_id,
            _zones.c.tenant_id == tenant_id,
            _zones.c.deleted_at.is_(None),
            _zones.c.entity_ids.contains([entity_id]),
        )
        .cte("reaching_entity", recursive=True)
    )
    inheriting = (
        select(_edges.c.group_id)
        .join(holding, _edges.c.inherit_id == holding.c.id)
        .where(_edges.c.tenant_id == tenant_id)
    )
    return holding.union(inheriting)


async def list_page(
    session: AsyncSession, tenant_id: uuid.UUID, filters: GroupFilter, query: ListQuery
) -> tuple[list[IamGroup], KeysetPage]:
    keys_of: dict[str, tuple[ColumnElement[Any], ...]] = dict(PLAIN_SORTS)
    source: Any = _groups
    if any(item.field in TOTAL_SORTS for item in query.sort):
        totals = _totals(tenant_id, None).subquery("totals")
        source = _groups.outerjoin(totals, totals.c.root == _groups.c.id)
        zero: ColumnElement[int] = literal_column("0")
        for name, column in TOTAL_SORTS.items():
            keys_of[name] = (func.coalesce(totals.c[column], zero),)
    order = ordering(query.sort, keys_of, _groups.c.id)
    at = window(query, order)
    filtered: Select[Any] = (
        select(_groups.c.id).select_from(source).where(and_(*_conditions(tenant_id, filters)))
    )
    page = page_of(filtered, order, at).subquery("page")
    keys = list(page.c)[1:]
    statement = (
        select(IamGroup, *keys).join(page, page.c[0] == col(IamGroup.id)).order_by(*order.order_of(keys))
    )
    rows = (await session.execute(statement)).all()
    shown: list[IamGroup] = [row[0] for row in rows[: at.limit]]
    sort_keys: list[tuple[Any, ...]] = [tuple(row[1:]) for row in rows]
    total = await capped_total(session, filtered, at, len(sort_keys))
    return shown, keyset_page(order, at, sort_keys, total)


def sorted_ids(values: Sequence[uuid.UUID]) -> tuple[uuid.UUID, ...]:
    return tuple(sorted(set(values)))
