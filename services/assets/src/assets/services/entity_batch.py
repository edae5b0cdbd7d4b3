"""``PATCH /entities``: assign and unassign services and contracts, suspend, delete and restore
many entities.

Each row succeeds or fails on its own, in a savepoint of its own (as ``PATCH /assets``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from assets.bootstrap import Collaborators
from assets.errors import EntityNotFound, MissingServices
from assets.events import entity_events
from assets.repositories import entity_queries
from assets.repositories.contract_replica import missing_services
from assets.repositories.entity_records import Entity
from assets.schemas.entity_batch import EntityPatch
from assets.services.contract_links import change_links
from assets.services.territories import grants_of, place_entity
from proximity.access.grants import Grants
from proximity.auth.claims import Claims
from proximity.batch_patch import BatchOutcome, BatchPlan, patch_rows
from proximity.db.columns import now
from proximity.events.envelope import Event


async def _apply_row(
    ctx: Collaborators, session: AsyncSession, grants: Grants, found: Entity, patch: EntityPatch
) -> Event | None:
    given = patch.model_fields_set
    grants.require("entities.update", found.datazone_ids)
    if "deleted_at" in given:
        grants.require("entities.delete", found.datazone_ids)
    was_deleted = found.deleted_at is not None
    if was_deleted and not ("deleted_at" in given and patch.deleted_at is None):
        raise EntityNotFound()  # a deleted entity can only be restored
    links = await entity_queries.links_of(session, found.id)
    services = set(links.service_ids)
    if patch.service_id_assign is not None and patch.service_id_assign not in services:
        if await missing_services(session, found.tenant_id, {patch.service_id_assign}):
            raise MissingServices()
        services.add(patch.service_id_assign)
    if patch.service_id_unassign is not None:
        services.discard(patch.service_id_unassign)
    changed = was_deleted
    if services != set(links.service_ids):
        links = replace(links, service_ids=tuple(sorted(services)))
        await entity_queries.replace_links(session, found, links)
        changed = True
    stamp = now()
    if "suspended_at" in given and (patch.suspended_at is None) != (found.suspended_at is None):
        found.suspended_at = stamp if patch.suspended_at is not None else None
        changed = True
    if was_deleted:
        found.deleted_at = None
    elif "deleted_at" in given and patch.deleted_at is not None:
        found.deleted_at = stamp
        changed = True
    event: Event | None = None
    if changed:
        found.version += 1
        found.updated_at = stamp
        await session.flush()
        build = entity_events.entity_deleted if found.deleted_at else entity_events.entity_updated
        event = build(found, links)
    if patch.contract_id_assign is not None or patch.contract_id_unassign is not None:
        # Contracts' write last, once the row's own checks passed; its failure rolls the row
        # back. Contract links are contracts', not a new version of the entity.
        await change_links(
            ctx,
            session,
            "entities",
            found.tenant_id,
            found.id,
            assign=patch.contract_id_assign,
            unassign=patch.contract_id_unassign,
        )
        await place_entity(session, found)  # a contract can move it between zones
    return event


async def patch_entities(
    ctx: Collaborators, claims: Claims, rows: Sequence[Any]
) -> tuple[BatchOutcome[Entity], Grants]:
    async with ctx.reading() as session:
        grants = await grants_of(session, claims)
    grants.require_granted("entities.update")

    async def lock(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, Entity]:
        return await entity_queries.entities_for_update(session, claims.tenant_id, ids)

    async def apply(session: AsyncSession, found: Entity, patch: EntityPatch) -> Event | None:
        return await _apply_row(ctx, session, grants, found, patch)

    plan = BatchPlan(EntityPatch, "entities.delete", EntityNotFound, lock, apply)
    return await patch_rows(ctx.unit_of_work, claims, rows, plan), grants
