"""Tenant-scoped reads and writes of datazones: one by id (locked for a write), several for a
batch, their owners and geozones, the page of ``GET /datazones``, and how many operational
groups reach each zone (``include[]=counts``, ``sort=total_operational_groups``)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, column, delete, func, select, table
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.selectable import Subquery
from sqlalchemy.types import Uuid
from sqlmodel import col

from iam.repositories.datazone_records import Datazone, DatazoneOwner, Geozone
from proximity.db.keywords import matches_keywords
from proximity.http.list_query import ListQuery

# The group tables of iam (iam-core's migration 0001), as far as counting reach needs them.
_groups = table(
    "iam_group",
    column("id", Uuid()),
    column("tenant_id", Uuid()),
    column("type"),
    column("suspended_at"),
    column("deleted_at"),
)
_inherits = table("group_inherit", column("group_id", Uuid()), column("inherit_id", Uuid()))
_items = table("group_item", column("group_id", Uuid()), column("item_id", Uuid()))

_columns = Datazone.__table__.c  # type: ignore[attr-defined]  # typed Core columns of the model


@dataclass(frozen=True, slots=True)
class DatazoneFilter:
    ids: tuple[uuid.UUID, ...] = ()
    keywords: str | None = None
    type: str | None = None
    entity_id: uuid.UUID | None = None


def _live_group() -> ColumnElement[bool]:
    return and_(_groups.c.suspended_at.is_(None), _groups.c.deleted_at.is_(None))


def operational_reach(tenant_id: uuid.UUID, datazone_ids: Collection[uuid.UUID] | None = None) -> Subquery:
    """``(datazone_id, operational)``: how many live operational groups hold each zone in their
    closure, through live territory groups (iam-contract.md: a suspended or deleted group
    contributes nothing, so the walk does not pass through one). UNION, not UNION ALL: an
    inheritance cycle ends the walk instead of looping."""
    base = (
        select(_items.c.item_id.label("datazone_id"), _groups.c.id.label("group_id"))
        .join(_groups, _groups.c.id == _items.c.group_id)
        .where(_groups.c.tenant_id == tenant_id, _groups.c.type == "territory", _live_group())
    )
    if datazone_ids is not None:
        base = base.where(_items.c.item_id.in_(list(datazone_ids)))
    reached = base.cte("reached", recursive=True)
    step = (
        select(reached.c.datazone_id, _groups.c.id)
        .join(_inherits, _inherits.c.inherit_id == reached.c.group_id)
        .join(_groups, _groups.c.id == _inherits.c.group_id)
        .where(_groups.c.tenant_id == tenant_id, _live_group())
    )
    reached = reached.union(step)
    return (
        select(reached.c.datazone_id, func.count(func.distinct(reached.c.group_id)).label("operational"))
        .join(_groups, _groups.c.id == reached.c.group_id)
        .where(_groups.c.type == "operational")
        .group_by(reached.c.datazone_id)
        .subquery("operational_reach")
    )


async def operational_counts(
    session: AsyncSession, tenant_id: uuid.UUID, datazone_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, int]:
    if not datazone_ids:
        return {}
    reach = operational_reach(tenant_id, datazone_ids)
    rows = (await session.execute(select(reach.c.datazone_id, reach.c.operational))).all()
    counted = {row[0]: int(row[1]) for row in rows}
    return {zone: counted.get(zone, 0) for zone in datazone_ids}


async def datazone(
    session: AsyncSession, tenant_id: uuid.UUID, datazone_id: uuid.UUID, *, for_update: bool = False
) -> Datazone | None:
    """One datazone, deleted ones too (naming an id asks for it explicitly, seed 004)."""
    query = select(Datazone).where(col(Datazone.tenant_id) == tenant_id, col(Datazone.id) == datazone_id)
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    found: Datazone | None = (await session.execute(query)).scalar_one_or_none()
    return found


async def datazones_for_update(
    session: AsyncSession, tenant_id: uuid.UUID, datazone_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Datazone]:
    """The tenant's datazones among ``datazone_ids``, locked in id order (two batches naming the
    same zones lock them in the same order)."""
    if not datazone_ids:
        return {}
    query = (
        select(Datazone)
        .where(col(Datazone.tenant_id) == tenant_id, col(Datazone.id).in_(sorted(set(datazone_ids))))
        .order_by(col(Datazone.id))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {found.id: found for found in (await session.execute(query)).scalars()}


async def owners_of(session: AsyncSession, datazone_id: uuid.UUID) -> list[uuid.UUID]:
    query = (
        select(col(DatazoneOwner.party_id))
        .where(col(DatazoneOwner.datazone_id) == datazone_id)
        .order_by(col(DatazoneOwner.position), col(DatazoneOwner.party_id))
    )
    return list((await session.execute(query)).scalars())


async def replace_owners(session: AsyncSession, found: Datazone, owner_ids: Sequence[uuid.UUID]) -> bool:
    """Whether the owners changed."""
    if await owners_of(session, found.id) == list(owner_ids):
        return False
    await session.execute(delete(DatazoneOwner).where(col(DatazoneOwner.datazone_id) == found.id))
    session.add_all(
        DatazoneOwner(datazone_id=found.id, party_id=party, tenant_id=found.tenant_id, position=i)
        for i, party in enumerate(owner_ids)
    )
    await session.flush()
    return True


async def geozones_of(
    session: AsyncSession, datazone_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[Geozone]]:
    """Each zone's geozones in their order (an empty list for a zone without)."""
    found: dict[uuid.UUID, list[Geozone]] = {zone: [] for zone in datazone_ids}
    if not datazone_ids:
        return found
    query = (
        select(Geozone)
        .where(col(Geozone.datazone_id).in_(list(datazone_ids)))
        .order_by(col(Geozone.datazone_id), col(Geozone.position))
    )
    for zone in (await session.execute(query)).scalars():
        found[zone.datazone_id].append(zone)
    return found


async def delete_geozones(session: AsyncSession, geozone_ids: Collection[uuid.UUID]) -> None:
    if geozone_ids:
        await session.execute(delete(Geozone).where(col(Geozone.id).in_(list(geozone_ids))))


SORTS: tuple[str, ...] = ("name", "description", "total_operational_groups", "created", "updated")


def _sort_key(field: str, reach: Subquery | None) -> ColumnElement[Any]:
    if field == "total_operational_groups" and reach is not None:
        return func.coalesce(reach.c.operational, 0)
    keys: dict[str, ColumnElement[Any]] = {
        "name": func.lower(_columns.name),
        "description": func.lower(func.left(_columns.description, 200)),
        "created": _columns.created_at,
        "updated": func.coalesce(_columns.updated_at, _columns.created_at),
    }
    return keys[field]


def _filtered(tenant_id: uuid.UUID, filters: DatazoneFilter) -> Select[Any]:
    query = select(Datazone).where(_columns.tenant_id == tenant_id)
    if filters.ids:
        query = query.where(_columns.id.in_(filters.ids))
    else:
        query = query.where(_columns.deleted_at.is_(None))  # deleted only when named (seed 004)
    if filters.type is not None:
        query = query.where(_columns.type == filters.type)
    if filters.keywords is not None:
        query = query.where(matches_keywords(_columns.search_words, filters.keywords))
    if filters.entity_id is not None:
        query = query.where(_columns.entity_ids.contains(array([filters.entity_id], type_=Uuid())))
    return query


async def list_page(
    session: AsyncSession, tenant_id: uuid.UUID, filters: DatazoneFilter, query: ListQuery
) -> tuple[list[Datazone], int]:
    """A tenant holds tens or hundreds of datazones, not millions: the page is cut by offset
    and the total counted exactly."""
    filtered = _filtered(tenant_id, filters)
    total: int = (await session.execute(select(func.count()).select_from(filtered.subquery()))).scalar_one()
    statement = filtered
    if any(item.field == "total_operational_groups" for item in query.sort):
        reach = operational_reach(tenant_id)
        statement = statement.outerjoin(reach, reach.c.datazone_id == _columns.id)
    else:
        reach = None
    order: list[Any] = []
    for item in query.sort:
        key = _sort_key(item.field, reach)
        order.append(key.desc() if item.direction == "desc" else key.asc())
    last_desc = bool(query.sort) and query.sort[-1].direction == "desc"
    order.append(_columns.id.desc() if last_desc else _columns.id.asc())
    page = statement.order_by(*order).offset(query.offset).limit(query.per_page)
    return list((await session.execute(page)).scalars()), total
