"""Use cases on heatmap configurations: list, read, create, replace, delete (seed 004
"Heatmaps")."""

from __future__ import annotations

import uuid
from typing import Any

from heatmaps.bootstrap import Collaborators
from heatmaps.errors import HeatmapNotFound
from heatmaps.events import heatmap_events
from heatmaps.repositories import heatmap_queries, heatmap_records
from heatmaps.repositories.heatmap_queries import GroupStats, HeatmapFilter
from heatmaps.repositories.heatmap_records import Heatmap
from heatmaps.schemas.heatmaps import HeatmapIn, metric_state
from heatmaps.services.heatmap_checks import check_links
from proximity.auth.claims import Claims
from proximity.auth.permissions import require
from proximity.db.columns import now
from proximity.http.list_query import KeysetPage, ListQuery


async def list_heatmaps(
    ctx: Collaborators, claims: Claims, filters: HeatmapFilter, query: ListQuery, *, with_stats: bool
) -> tuple[list[Heatmap], KeysetPage, dict[uuid.UUID, GroupStats] | None]:
    require(claims, "heatmaps.view")
    async with ctx.snapshot() as session:  # the page, its total and its stats agree
        found, page = await heatmap_queries.list_page(session, claims.tenant_id, filters, query)
        stats = None
        if with_stats:
            stats = await heatmap_queries.group_stats(session, claims.tenant_id, [item.id for item in found])
    return found, page, stats


async def get_heatmap(
    ctx: Collaborators, claims: Claims, heatmap_id: uuid.UUID
) -> tuple[Heatmap, GroupStats]:
    """A deleted heatmap too, with its ``deleted_at``."""
    require(claims, "heatmaps.view")
    async with ctx.snapshot() as session:
        found = await heatmap_records.heatmap(session, claims.tenant_id, heatmap_id)
        if found is None:
            raise HeatmapNotFound()
        stats = await heatmap_queries.group_stats(session, claims.tenant_id, [found.id])
    return found, stats.get(found.id, GroupStats(operational=0, user=0))


def _apply(found: Heatmap, fields: HeatmapIn) -> None:
    found.name = fields.name
    found.description = fields.description
    found.type = fields.type
    found.owner_ids = list(fields.owner_ids)
    found.group_ids = list(fields.group_ids)
    found.metrics = [metric_state(metric) for metric in fields.metrics]
    # Seed 004: a non-null date suspends at the server's time; one already suspended keeps its.
    if fields.suspended_at is None:
        found.suspended_at = None
    elif found.suspended_at is None:
        found.suspended_at = now()


def _state(found: Heatmap) -> tuple[Any, ...]:
    return (
        found.name,
        found.description,
        found.type,
        list(found.owner_ids),
        list(found.group_ids),
        list(found.metrics),
        found.suspended_at,
    )


async def create_heatmap(ctx: Collaborators, claims: Claims, fields: HeatmapIn) -> Heatmap:
    require(claims, "heatmaps.create")
    async with ctx.unit_of_work() as uow:
        await check_links(uow.session, claims.tenant_id, fields)
        found = Heatmap(tenant_id=claims.tenant_id, name=fields.name, type=fields.type)
        _apply(found, fields)
        uow.session.add(found)
        await uow.session.flush()
        uow.publish(heatmap_events.heatmap_created(found))
        await uow.commit()
    return found


async def replace_heatmap(
    ctx: Collaborators, claims: Claims, heatmap_id: uuid.UUID, fields: HeatmapIn
) -> Heatmap:
    """A PUT that changes nothing is not a new version and publishes nothing."""
    require(claims, "heatmaps.update")
    async with ctx.unit_of_work() as uow:
        found = await heatmap_records.heatmap(uow.session, claims.tenant_id, heatmap_id, for_update=True)
        if found is None or found.deleted_at is not None:
            raise HeatmapNotFound()
        await check_links(uow.session, claims.tenant_id, fields)
        before = _state(found)
        _apply(found, fields)
        if _state(found) != before:
            found.version += 1
            found.updated_at = now()
            uow.publish(heatmap_events.heatmap_updated(found))
        await uow.commit()
    return found


async def delete_heatmap(ctx: Collaborators, claims: Claims, heatmap_id: uuid.UUID) -> None:
    """Soft: ``GET /heatmaps/{id}`` still answers, with ``deleted_at``; nothing else sees it.
    Deleting again changes nothing."""
    require(claims, "heatmaps.delete")
    async with ctx.unit_of_work() as uow:
        found = await heatmap_records.heatmap(uow.session, claims.tenant_id, heatmap_id, for_update=True)
        if found is None:
            raise HeatmapNotFound()
        if found.deleted_at is None:
            found.deleted_at = found.updated_at = now()
            found.version += 1
            uow.publish(heatmap_events.heatmap_deleted(found))
        await uow.commit()
