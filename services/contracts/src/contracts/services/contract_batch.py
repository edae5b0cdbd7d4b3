"""``PATCH /contracts``: assign and unassign a party, asset, service and entity, suspend,
delete and restore many contracts.

Each row succeeds or fails on its own, in a savepoint of its own (as assets' batches): a
failing row leaves nothing of itself behind and the others apply. A row needs
``contracts.update`` (and ``contracts.delete`` to delete or restore) on the contract as it is,
else it fails with ``ePermissionDenied``."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.bootstrap import Collaborators
from contracts.errors import ContractNotFound
from contracts.events import contract_events
from contracts.repositories import contract_links, contract_queries
from contracts.repositories.contract_links import LinkKind
from contracts.repositories.contract_records import Contract
from contracts.schemas.contract_batch import ContractPatch
from contracts.services.link_checks import missing_of_kind
from contracts.services.territories import grants_of, place_contract
from proximity.access.caller import claims_with_grants
from proximity.access.grants import Grants
from proximity.auth.claims import Claims
from proximity.batch_patch import BatchOutcome, BatchPlan, patch_rows
from proximity.db.columns import now
from proximity.events.envelope import Event

# The row's fields for each kind of link: (assign, unassign).
_FIELDS: dict[LinkKind, tuple[str, str]] = {
    "services": ("service_id_assign", "service_id_unassign"),
    "parties": ("party_id_assign", "party_id_unassign"),
    "entities": ("entity_id_assign", "entity_id_unassign"),
    "assets": ("asset_id_assign", "asset_id_unassign"),
}


async def _apply_row(
    session: AsyncSession, grants: Grants, found: Contract, patch: ContractPatch
) -> Event | None:
    given = patch.model_fields_set
    # The tags on the contract as it is (its datazones): a row outside the caller's territory fails.
    grants.require("contracts.update", found.datazone_ids)
    if "deleted_at" in given:
        grants.require("contracts.delete", found.datazone_ids)
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
        await place_contract(session, found, wanted.entity_ids)  # its entities decide its zones
        changed = True
    stamp = now()
    if "suspended_at" in given and (patch.suspended_at is None) != (found.suspended_at is None):
        found.suspended_at = stamp if patch.suspended_at is not None else None
        changed = True
    if was_deleted:
        found.deleted_at = None
        # Recomputed while it was deleted only if its entity links changed: placed again.
        await place_contract(session, found, wanted.entity_ids)
    elif "deleted_at" in given and patch.deleted_at is not None:
        found.deleted_at = stamp
        changed = True
    if not changed:
        return None
    found.version += 1
    found.updated_at = stamp
    await session.flush()
    return contract_events.contract_changed(found, wanted)


async def patch_contracts(
    ctx: Collaborators, claims: Claims, rows: Sequence[Any]
) -> tuple[BatchOutcome[Contract], Grants]:
    """The outcome, and the caller's grants (what each applied row's ``__permissions__`` shows)."""
    async with ctx.reading() as session:
        grants = await grants_of(session, claims)
    grants.require_granted("contracts.update")

    async def lock(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, Contract]:
        return await contract_queries.contracts_for_update(session, claims.tenant_id, ids)

    async def apply(session: AsyncSession, found: Contract, patch: ContractPatch) -> Event | None:
        return await _apply_row(session, grants, found, patch)

    plan = BatchPlan(ContractPatch, "contracts.delete", ContractNotFound, lock, apply)
    # patch_rows checks a deleting row's tag on the claims before it reads the rows: the tags
    # the grants give, so iam's grants decide rather than the token's (the row checks its zones).
    return await patch_rows(ctx.unit_of_work, claims_with_grants(claims, grants), rows, plan), grants
