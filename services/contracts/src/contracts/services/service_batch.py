"""``PATCH /services``: suspend, reactivate, delete and restore many services.

Each row succeeds or fails on its own, in a savepoint of its own (as assets' batches): a row
that fails leaves nothing of itself behind, and the rows before and after it still apply."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.bootstrap import Collaborators
from contracts.domain.service_errors import ServiceNotFound
from contracts.events import service_events
from contracts.repositories import services
from contracts.repositories.columns import now
from contracts.repositories.services import Service
from contracts.schemas.services import ServicePatch
from contracts.services.batch_rows import BatchOutcome, parse_row, row_failure
from contracts.services.services import type_key_of
from proximity.auth.claims import Claims
from proximity.auth.permissions import can, require
from proximity.errors import PermissionDenied, ProximityError
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
    require(claims, "service.update")
    failures: dict[int, dict[str, Any]] = {}
    patches: dict[int, ServicePatch] = {}
    for position, row in enumerate(rows):
        parsed = parse_row(ServicePatch, row)
        if isinstance(parsed, dict):
            failures[position] = parsed
        elif "deleted_at" in parsed.model_fields_set and not can(claims, "service.delete"):
            failures[position] = row_failure(
                str(parsed.id), PermissionDenied("Missing permission 'service.delete'.")
            )
        else:
            patches[position] = parsed
    applied: list[Service] = []
    async with ctx.unit_of_work() as uow:
        found = await services.services_for_update(
            uow.session, claims.tenant_id, [p.id for p in patches.values()]
        )
        for position, patch in patches.items():
            target = found.get(patch.id)
            if target is None:
                failures[position] = row_failure(str(patch.id), ServiceNotFound())
                continue
            try:
                async with uow.session.begin_nested():
                    event = await _apply_row(uow.session, target, patch)
            except ProximityError as error:
                failures[position] = row_failure(str(patch.id), error)
                # The savepoint rolled the row back; its object must show the database's state.
                again = await services.services_for_update(uow.session, claims.tenant_id, [patch.id])
                found[patch.id] = again[patch.id]
                continue
            if event is not None:
                uow.publish(event)
            applied.append(target)
        await uow.commit()
    return BatchOutcome(applied, [failures[position] for position in sorted(failures)])
