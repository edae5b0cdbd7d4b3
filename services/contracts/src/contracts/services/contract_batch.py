"""``PATCH /contracts``: assign and unassign a party, asset, service and entity, suspend,
delete and restore many contracts.

Each row succeeds or fails on its own, in a savepoint of its own (as assets' batches): a
failing row leaves nothing of itself behind and the others apply."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.bootstrap import Collaborators
from contracts.errors import ContractNotFound
from contracts.events import contract_events
from contracts.repositories import contract_links, contract_queries
from contracts.repositories.columns import now
from contracts.repositories.contract_links import LinkKind
from contracts.repositories.contract_records import Contract
from contracts.schemas.contract_batch import ContractPatch
from contracts.services.batch_rows import BatchOutcome, parse_row, row_failure
from contracts.services.link_checks import missing_of_kind
from proximity.auth.claims import Claims
from proximity.auth.permissions import can, require
from proximity.errors import PermissionDenied, ProximityError
from proximity.events.envelope import Event

# The row's fields for each kind of link: (assign, unassign).
_FIELDS: dict[LinkKind, tuple[str, str]] = {
    "services": ("service_id_assign", "service_id_unassign"),
    "parties": ("party_id_assign", "party_id_unassign"),
    "entities": ("entity_id_assign", "entity_id_unassign"),
    "assets": ("asset_id_assign", "asset_id_unassign"),
}


async def _apply_row(session: AsyncSession, found: Contract, patch: ContractPatch) -> Event | None:
    given = patch.model_fields_set
    was_deleted = found.deleted_at is not None
    if was_deleted and not ("deleted_at" in given and patch.deleted_at is None):
        raise ContractNotFound()  # a deleted contract can only be restored
    current = await contract_links.links_of(session, found.id)
    wanted = current
    for kind, (assign_field, unassign_field) in _FIELDS.items():
        ids = set(current.of(kind))
        assign, unassign = getattr(patch, assign_field), getattr(patch, unassign_field)
        if assign is not None and assign not in ids:
            error = await missing_of_kind(session, found.tenant_id, kind, {assign})
            if error is not None:
                raise error
            ids.add(assign)
        if unassign is not None:
            ids.discard(unassign)
        wanted = wanted.with_kind(kind, ids)
    changed = was_deleted
    if wanted != current:
        await contract_links.replace_links(session, found, wanted)
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
    if not changed:
        return None
    found.version += 1
    found.updated_at = stamp
    await session.flush()
    return contract_events.contract_changed(found, wanted)


async def patch_contracts(ctx: Collaborators, claims: Claims, rows: Sequence[Any]) -> BatchOutcome[Contract]:
    require(claims, "contract.update")
    failures: dict[int, dict[str, Any]] = {}
    patches: dict[int, ContractPatch] = {}
    for position, row in enumerate(rows):
        parsed = parse_row(ContractPatch, row)
        if isinstance(parsed, dict):
            failures[position] = parsed
        elif "deleted_at" in parsed.model_fields_set and not can(claims, "contract.delete"):
            failures[position] = row_failure(
                str(parsed.id), PermissionDenied("Missing permission 'contract.delete'.")
            )
        else:
            patches[position] = parsed
    applied: list[Contract] = []
    async with ctx.unit_of_work() as uow:
        found = await contract_queries.contracts_for_update(
            uow.session, claims.tenant_id, [p.id for p in patches.values()]
        )
        for position, patch in patches.items():
            target = found.get(patch.id)
            if target is None:
                failures[position] = row_failure(str(patch.id), ContractNotFound())
                continue
            try:
                async with uow.session.begin_nested():
                    event = await _apply_row(uow.session, target, patch)
            except ProximityError as error:
                failures[position] = row_failure(str(patch.id), error)
                again = await contract_queries.contracts_for_update(uow.session, claims.tenant_id, [patch.id])
                found[patch.id] = again[patch.id]
                continue
            if event is not None:
                uow.publish(event)
            applied.append(target)
        await uow.commit()
    return BatchOutcome(applied, [failures[position] for position in sorted(failures)])
