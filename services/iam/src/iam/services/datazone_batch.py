"""``PATCH /datazones``: assign and unassign an entity, contract and industry, suspend, delete
and restore many datazones (seed 004 "BATCH UPDATE DataZones").

Each row succeeds or fails on its own, in a savepoint of its own (``proximity.batch_patch``): a
failing row leaves nothing of itself behind and the others apply."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from iam.bootstrap import Collaborators
from iam.domain.datazone_errors import DatazoneNotFound
from iam.domain.datazones import assigned, check_contents
from iam.events import datazone_events
from iam.repositories import datazones
from iam.repositories.datazone_records import Datazone
from iam.schemas.datazones import DatazonePatch
from iam.services.datazone_checks import is_live, missing_error, note_territory_change
from proximity.auth.claims import Claims
from proximity.auth.permissions import require
from proximity.batch_patch import BatchOutcome, BatchPlan, patch_rows
from proximity.db.columns import now
from proximity.events.envelope import Event

# The zone's list each pair of row fields changes: (assign, unassign).
_FIELDS: dict[str, tuple[str, str]] = {
    "entity_ids": ("entity_id_assign", "entity_id_unassign"),
    "contract_ids": ("contract_id_assign", "contract_id_unassign"),
    "industry_ids": ("industry_id_assign", "industry_id_unassign"),
}


async def _apply_row(session: AsyncSession, found: Datazone, patch: DatazonePatch) -> Event | None:
    given = patch.model_fields_set
    was_deleted, was_live = found.deleted_at is not None, is_live(found)
    if was_deleted and not ("deleted_at" in given and patch.deleted_at is None):
        raise DatazoneNotFound()  # a deleted datazone can only be restored
    changed = was_deleted
    for field, (assign_field, unassign_field) in _FIELDS.items():
        current: list[uuid.UUID] = list(getattr(found, field))
        assign, unassign = getattr(patch, assign_field), getattr(patch, unassign_field)
        if assign is not None and assign not in current:
            error = await missing_error(session, found.tenant_id, field, {assign})
            if error is not None:
                raise error
        wanted = assigned(current, assign, unassign)
        if wanted != current:
            setattr(found, field, wanted)
            changed = True
    check_contents(found.type, found.addresses, found.industry_ids)
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
    await note_territory_change(session, found, was_live)
    geozones = (await datazones.geozones_of(session, [found.id]))[found.id]
    return datazone_events.datazone_changed(found, geozones)


async def patch_datazones(ctx: Collaborators, claims: Claims, rows: Sequence[Any]) -> BatchOutcome[Datazone]:
    require(claims, "datazones.update")

    async def lock(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, Datazone]:
        return await datazones.datazones_for_update(session, claims.tenant_id, ids)

    async def apply(session: AsyncSession, found: Datazone, patch: DatazonePatch) -> Event | None:
        return await _apply_row(session, found, patch)

    plan = BatchPlan(DatazonePatch, "datazones.delete", DatazoneNotFound, lock, apply)
    return await patch_rows(ctx.unit_of_work, claims, rows, plan)
