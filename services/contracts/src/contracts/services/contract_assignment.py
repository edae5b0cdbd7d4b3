"""``POST /entities/~/actions/assign_contract``: one contract linked to many entities and
unlinked from others, all or nothing."""

from __future__ import annotations

from contracts.bootstrap import Collaborators
from contracts.errors import EntitiesNotFound, MissingContracts
from contracts.events import contract_events
from contracts.repositories import contract_links, contract_queries
from contracts.repositories.asset_replica import missing_entities
from contracts.schemas.contract_assignment import ContractAssignment
from contracts.services.territories import grants_of, place_contract
from proximity.auth.claims import Claims
from proximity.db.columns import now


async def assign_contract(ctx: Collaborators, claims: Claims, assignment: ContractAssignment) -> None:
    """Every pushed entity must be a live entity of the tenant as assets last announced it
    (``eEntitiesNotFound``, naming the others); one only pulled may have been deleted since.
    The contract must be a live contract of the tenant (``eAttemptSaveWithMissingContracts``);
    a suspended one can be linked. An entity in both lists ends without the contract. The
    caller needs ``contracts.update`` on the contract as it is (403 outside their territory)."""
    async with ctx.unit_of_work() as uow:
        grants = await grants_of(uow.session, claims)
        grants.require_granted("contracts.update")
        found = await contract_queries.contract(
            uow.session, claims.tenant_id, assignment.contract_id, for_update=True
        )
        if found is None or found.deleted_at is not None:
            raise MissingContracts()
        grants.require("contracts.update", found.datazone_ids)
        current = await contract_links.links_of(uow.session, found.id)
        pushed = set(assignment.push) - set(current.entity_ids)
        missing = await missing_entities(uow.session, claims.tenant_id, pushed)
        if missing:
            named = ", ".join(sorted(str(i) for i in missing))
            raise EntitiesNotFound(f"These entities could not be found: {named}.")
        wanted = current.with_kind(
            "entities", (set(current.entity_ids) | set(assignment.push)) - set(assignment.pull)
        )
        if await contract_links.replace_links(uow.session, found, wanted):
            await place_contract(uow.session, found, wanted.entity_ids)
            found.version += 1
            found.updated_at = now()
            await uow.session.flush()
            uow.publish(contract_events.contract_updated(found, wanted))
        await uow.commit()
