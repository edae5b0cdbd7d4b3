"""The link writes assets forwards (docs/internal-api.md): an asset's or entity's contracts
replaced, or one assigned and one unassigned, for the tenant of assets' service token.

Every contract the write touches is locked, in id order, before anything changes; each one
whose links change gets a new version and publishes ``contracts.contract.updated`` with its
whole state. The asset or entity id is not checked (assets is its authority and may not have
committed it yet)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.bootstrap import Collaborators
from contracts.errors import MissingContracts
from contracts.events import contract_events
from contracts.repositories import contract_links, contract_queries
from contracts.repositories.access_replica import access
from contracts.repositories.contract_links import LinkKind
from contracts.repositories.contract_records import Contract
from contracts.services.territories import place_contract
from proximity.auth.claims import Claims
from proximity.db.columns import now
from proximity.db.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class LinkVersion:
    contract_id: uuid.UUID
    linked: bool
    version: int


@dataclass(frozen=True, slots=True)
class ObjectLinks:
    object_id: uuid.UUID
    contract_ids: list[uuid.UUID]
    links: list[LinkVersion]


async def _locked_live(
    session: AsyncSession, tenant_id: uuid.UUID, contract_ids: set[uuid.UUID]
) -> dict[uuid.UUID, Contract]:
    found = await contract_queries.contracts_for_update(session, tenant_id, sorted(contract_ids))
    return {c: found[c] for c in found if found[c].deleted_at is None}


async def _write(
    uow: UnitOfWork,
    tenant_id: uuid.UUID,
    kind: LinkKind,
    object_id: uuid.UUID,
    *,
    exactly: set[uuid.UUID] | None = None,
    add: set[uuid.UUID] | None = None,
    remove: set[uuid.UUID] | None = None,
) -> ObjectLinks:
    """Links the object to ``exactly`` these contracts, or to its current ones with ``add``
    and without ``remove``. Each contract added must be a live contract of the tenant."""
    session = uow.session
    named = (exactly or set()) | (add or set()) | (remove or set())
    seen = set(await contract_links.contracts_linking(session, tenant_id, kind, object_id))
    live = await _locked_live(session, tenant_id, named | seen)
    # Read again under the locks: a write that raced ours has committed by now.
    current = set(await contract_links.contracts_linking(session, tenant_id, kind, object_id))
    if current - set(live):
        live |= await _locked_live(session, tenant_id, current - set(live))
    after = set(exactly) if exactly is not None else (current | (add or set())) - (remove or set())
    if after - current - set(live):
        raise MissingContracts()
    stamp = now()
    # An entity linked or unlinked moves the contract in or out of the zones naming it.
    territory = await access.territory(session, tenant_id) if kind == "entities" and after ^ current else None
    for contract_id in sorted(after ^ current):
        found = live[contract_id]
        if contract_id in after:
            await contract_links.link_one(session, found, kind, object_id)
        else:
            await contract_links.unlink_one(session, found, kind, object_id)
        await contract_links.recount(session, [found.id])
        found.version += 1
        found.updated_at = stamp
        await session.flush()
        await session.refresh(found)
        linked = await contract_links.links_of(session, found.id)
        if territory is not None:
            await place_contract(session, found, linked.entity_ids, territory)
        uow.publish(contract_events.contract_updated(found, linked))
    touched = sorted(after | current)
    return ObjectLinks(
        object_id, sorted(after), [LinkVersion(c, c in after, live[c].version) for c in touched]
    )


async def replace_object_links(
    ctx: Collaborators, claims: Claims, kind: LinkKind, object_id: uuid.UUID, contract_ids: list[uuid.UUID]
) -> ObjectLinks:
    async with ctx.unit_of_work() as uow:
        answer = await _write(uow, claims.tenant_id, kind, object_id, exactly=set(contract_ids))
        await uow.commit()
    return answer


async def change_object_link(
    ctx: Collaborators,
    claims: Claims,
    kind: LinkKind,
    object_id: uuid.UUID,
    *,
    assign: uuid.UUID | None,
    unassign: uuid.UUID | None,
) -> ObjectLinks:
    """Assigning a linked contract or unassigning an unlinked one is a no-op; unassigning an
    unknown contract too. An unknown contract to assign is refused even when the same one is
    unassigned (it then ends unlinked)."""
    async with ctx.unit_of_work() as uow:
        if assign is not None and not await _locked_live(uow.session, claims.tenant_id, {assign}):
            raise MissingContracts()
        add = {assign} if assign is not None and assign != unassign else set()
        remove = {unassign} if unassign is not None else set()
        answer = await _write(uow, claims.tenant_id, kind, object_id, add=add, remove=remove)
        await uow.commit()
    return answer
