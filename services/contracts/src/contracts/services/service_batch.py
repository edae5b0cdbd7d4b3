"""``PATCH /services``: suspend, reactivate, delete and restore many services.

Each row succeeds or fails on its own, in a savepoint of its own (as assets' batches): a row
that fails leaves nothing of itself behind, and the rows before and after it still apply."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.bootstrap import Collaborators
from contracts.domain.service_errors import ServiceNotFound
from contracts.events import service_events
from contracts.repositories import services
from contracts.repositories.services import Service
from contracts.schemas.services import ServicePatch
from contracts.services.services import type_key_of
from proximity.auth.claims import Claims
from proximity.auth.permissions import require
from proximity.batch_patch import BatchOutcome, BatchPlan, patch_rows
from proximity.db.columns import now
from proximity.events.envelope import Event


async def _apply_row(session: AsyncSession, found: Service, patch: ServicePatch) -> Event | None:
    given = patch.model_fields_set
    was_deleted = found.deleted_at is not None
    if was_deleted and not ("deleted_at" in given and patch.deleted_at is None):
        raise ServiceNotFound()  # a deleted service can only be restored
    changed = was_deleted
    stamp = now()
    if "suspended_at" in given and (patch.suspended_at is None) != (found.suspended_at is None):
        found.suspended_at = stamp if patch.suspended_at is not None else None
        changed = True
    if was_deleted:
        found.deleted_at = None
    elif "deleted_at" in given and patch.deleted_at is not None:
        found.deleted_at = stamp
        changed = True
    if not changed:
        return None
    found.version += 1
    found.updated_at = stamp
    await session.flush()
    build = service_events.service_deleted if found.deleted_at else service_events.service_updated
    return build(found, await type_key_of(session, found))


async def patch_services(ctx: Collaborators, claims: Claims, rows: Sequence[Any]) -> BatchOutcome[Service]:
    require(claims, "services.update")

    async def lock(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, Service]:
        return await services.services_for_update(session, claims.tenant_id, ids)

    async def apply(session: AsyncSession, found: Service, patch: ServicePatch) -> Event | None:
        return await _apply_row(session, found, patch)

    plan = BatchPlan(ServicePatch, "services.delete", ServiceNotFound, lock, apply)
    return await patch_rows(ctx.unit_of_work, claims, rows, plan)
