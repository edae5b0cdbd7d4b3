"""``GET /heatmaps``: a tenant's heatmaps page by page (``proximity.db.listing``), and the
``stats`` of the heatmaps shown: how many of each one's ``group_ids`` are live operational and
user groups (the group replica's). The name, description, type and date sorts are cut by
partial indexes (``heatmap_records``); the group counts are computed per row, so sorting by
them reads every live heatmap of the tenant (a tenant has tens of heatmaps, not thousands)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from heatmaps.repositories.group_replica import live_groups_of_type
from heatmaps.repositories.heatmap_records import Heatmap
from proximity.db.keywords import matches_keywords
from proximity.db.listing import capped_total, keyset_page, nullable_key, ordering, page_of, window
from proximity.http.list_query import KeysetPage, ListQuery

_columns = Heatmap.__table__.c  # type: ignore[attr-defined]  # typed Core columns of the model

OPERATIONAL_GROUPS = live_groups_of_type(_columns.tenant_id, _columns.group_ids, "operational")
USER_GROUPS = live_groups_of_type(_columns.tenant_id, _columns.group_ids, "user")

SORTS: dict[str, tuple[ColumnElement[Any], ...]] = {
    "name": (func.lower(_columns.name),),
    "description": nullable_key(func.lower(func.left(_columns.description, 200)), literal_column("''")),
    "type": (_columns.type,),
    "total_user_groups": (USER_GROUPS,),
    "total_op_groups": (OPERATIONAL_GROUPS,),
    "created": (_columns.created_at,),
    "updated": (func.coalesce(_columns.updated_at, _columns.created_at),),
}


@dataclass(frozen=True, slots=True)
class HeatmapFilter:
    ids: tuple[uuid.UUID, ...] = ()
    keywords: str | None = None


@dataclass(frozen=True, slots=True)
class GroupStats:
    operational: int
    user: int


def _conditions(tenant_id: uuid.UUID, filters: HeatmapFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [col(Heatmap.tenant_id) == tenant_id]
    if filters.ids:
        conditions.append(col(Heatmap.id).in_(filters.ids))  # deleted ones only when named
    else:
        conditions.append(col(Heatmap.deleted_at).is_(None))
    if filters.keywords is not None:
        conditions.append(matches_keywords(_columns.search_words, filters.keywords))
    return conditions


async def list_page(
    session: AsyncSession, tenant_id: uuid.UUID, filters: HeatmapFilter, query: ListQuery
) -> tuple[list[Heatmap], KeysetPage]:
    order = ordering(query.sort, SORTS, _columns.id)
    at = window(query, order)
    filtered: Select[Any] = select(col(Heatmap.id)).where(and_(*_conditions(tenant_id, filters)))
    page = page_of(filtered, order, at).subquery("page")
    keys = list(page.c)[1:]
    statement = (
        select(Heatmap, *keys).join(page, page.c[0] == col(Heatmap.id)).order_by(*order.order_of(keys))
    )
    rows = (await session.execute(statement)).all()
    shown, sort_keys = [row[0] for row in rows[: at.limit]], [tuple(row[1:]) for row in rows]
    total = await capped_total(session, filtered, at, len(sort_keys))
    return shown, keyset_page(order, at, sort_keys, total)


async def group_stats(
    session: AsyncSession, tenant_id: uuid.UUID, heatmap_ids: list[uuid.UUID]
) -> dict[uuid.UUID, GroupStats]:
    """Each heatmap's live operational and user groups, for the heatmaps of one page."""
    if not heatmap_ids:
        return {}
    statement = select(col(Heatmap.id), OPERATIONAL_GROUPS, USER_GROUPS).where(
        col(Heatmap.tenant_id) == tenant_id, col(Heatmap.id).in_(heatmap_ids)
    )
    rows = (await session.execute(statement)).all()
    return {row[0]: GroupStats(operational=int(row[1]), user=int(row[2])) for row in rows}
