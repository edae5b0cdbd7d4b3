"""A batch PATCH (seed 004's ``PATCH /assets``, ``/entities``, ``/contracts``, ``/services``):
each row parsed on its own and applied in a savepoint of its own, so one bad row never blocks
the others; a failure in the seed's per-row shape, in the request's order; the rows that pass
commit together, with their events, in one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from proximity.auth.claims import Claims
from proximity.auth.permissions import can
from proximity.db.unit_of_work import UnitOfWork
from proximity.errors import PermissionDenied, ProximityError, ValidationFailed
from proximity.events.envelope import Event


class BatchRow(BaseModel):
    """What every row names: the object it changes."""

    id: uuid.UUID


Row = TypeVar("Row")
Patch = TypeVar("Patch", bound=BatchRow)


@dataclass(frozen=True, slots=True)
class BatchOutcome(Generic[Row]):
    applied: list[Row]
    failures: list[dict[str, Any]]


def row_failure(row_id: Any, error: ProximityError) -> dict[str, Any]:
    return {"id": row_id if isinstance(row_id, str) else None, "code": error.code, "msg": error.message}


def parse_row(model: type[Patch], row: Any) -> Patch | dict[str, Any]:
    """The row as ``model``, or its failure naming the first field at fault."""
    raw_id = row.get("id") if isinstance(row, dict) else None
    try:
        return model.model_validate(row)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "row"
        return row_failure(raw_id, ValidationFailed(f"{where}: {first.get('msg', 'invalid')}"))


@dataclass(frozen=True, slots=True)
class BatchPlan(Generic[Patch, Row]):
    """How one kind of object is patched in a batch.

    ``lock`` reads the named rows of the caller's tenant ``FOR UPDATE`` (absent: not found);
    ``apply`` changes one row and returns its event (None: nothing changed), raising a
    ``ProximityError`` to fail that row alone; ``before_lock`` takes what must be locked
    before the rows (a tenant-wide lock), so every write locks in the same order;
    ``after_changes`` is given the rows that changed (their ``apply`` returned an event),
    once, in the batch's transaction before it commits (a record of the whole batch)."""

    model: type[Patch]
    delete_permission: str
    not_found: Callable[[], ProximityError]
    lock: Callable[[AsyncSession, list[uuid.UUID]], Awaitable[dict[uuid.UUID, Row]]]
    apply: Callable[[AsyncSession, Row, Patch], Awaitable[Event | None]]
    before_lock: Callable[[AsyncSession, Sequence[Patch]], Awaitable[None]] | None = None
    after_changes: Callable[[AsyncSession, Sequence[Row]], Awaitable[None]] | None = None


async def patch_rows(
    unit_of_work: Callable[[], UnitOfWork], claims: Claims, rows: Sequence[Any], plan: BatchPlan[Patch, Row]
) -> BatchOutcome[Row]:
    """Apply ``rows`` as ``plan`` says. A row setting ``deleted_at`` (delete or restore) also
    needs ``plan.delete_permission``."""
    failures: dict[int, dict[str, Any]] = {}  # by row position, so errors follow the request's order
    patches: dict[int, Patch] = {}
    for position, row in enumerate(rows):
        parsed = parse_row(plan.model, row)
        if isinstance(parsed, dict):
            failures[position] = parsed
        elif "deleted_at" in parsed.model_fields_set and not can(claims, plan.delete_permission):
            denied = PermissionDenied(f"Missing permission '{plan.delete_permission}'.")
            failures[position] = row_failure(str(parsed.id), denied)
        else:
            patches[position] = parsed
    applied: list[Row] = []
    changed: list[Row] = []
    async with unit_of_work() as uow:
        if plan.before_lock is not None:
            await plan.before_lock(uow.session, list(patches.values()))
        found = await plan.lock(uow.session, [patch.id for patch in patches.values()])
        for position, patch in patches.items():
            target = found.get(patch.id)
            if target is None:
                failures[position] = row_failure(str(patch.id), plan.not_found())
                continue
            try:
                async with uow.session.begin_nested():
                    event = await plan.apply(uow.session, target, patch)
            except ProximityError as error:
                failures[position] = row_failure(str(patch.id), error)
                # The savepoint's rollback expired the row: read it again for the later rows.
                found[patch.id] = (await plan.lock(uow.session, [patch.id]))[patch.id]
                continue
            if event is not None:
                uow.publish(event)
                changed.append(target)
            applied.append(target)
        if plan.after_changes is not None and changed:
            await plan.after_changes(uow.session, changed)
        await uow.commit()
    return BatchOutcome(applied, [failures[position] for position in sorted(failures)])
