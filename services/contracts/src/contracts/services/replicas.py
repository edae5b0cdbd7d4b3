"""Keeping contracts' replicas current from the events of identity and assets, and what
contracts does on its own side when they change: a new tenant is provisioned, a deleted
asset or entity is unlinked from the tenant's contracts (each a new version of the contract,
published in the inbox's transaction), and an entity's new industry (or an unlinked entity)
moves the contracts linking it in or out of datazones (``services.territories``)."""

from __future__ import annotations

import uuid
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events import contract_events
from contracts.events.consumed import (
    ASSET_SUBJECTS,
    ASSETS_PAYLOAD_CONTRACT,
    DOCUMENT_SUBJECTS,
    ENTITY_SUBJECTS,
    PARTY_SUBJECTS,
    AssetsObjectState,
    DocumentState,
    PartyState,
    TenantCreated,
)
from contracts.repositories import contract_links, contract_queries
from contracts.repositories.access_replica import access
from contracts.repositories.asset_replica import apply_asset, apply_entity, industry_of
from contracts.repositories.contract_links import LinkKind
from contracts.repositories.document_replica import apply_document
from contracts.repositories.party_replica import apply_party
from contracts.services.tenant_provisioning import provision_tenant
from contracts.services.territories import place_contract, refresh
from proximity.db.columns import now
from proximity.events.consumer import UnusableEvent
from proximity.events.envelope import Event
from proximity.events.tables import OutboxMessage

M = TypeVar("M", bound=BaseModel)


def _parsed(model: type[M], event: Event) -> M:
    try:
        return model.model_validate(event.data)
    except ValidationError as exc:
        raise UnusableEvent(f"{event.type} breaks its contract: {exc}") from None


def _payload_contract(event: Event, contract: int) -> None:
    if contract != ASSETS_PAYLOAD_CONTRACT:
        raise UnusableEvent(f"{event.type} has payload contract {contract}, not {ASSETS_PAYLOAD_CONTRACT}")


def _tenant(event: Event) -> uuid.UUID:
    if event.tenant_id is None:
        raise UnusableEvent(f"{event.type} names no tenant")
    return event.tenant_id


async def provision_for_tenant(session: AsyncSession, event: Event) -> None:
    """``identity.tenant.created``: the tenant's catalogues, in the inbox's transaction."""
    await provision_tenant(session, _parsed(TenantCreated, event).id)


async def apply_party_event(session: AsyncSession, event: Event) -> None:
    if event.type not in PARTY_SUBJECTS:
        return  # a party subject this contract does not know yet: nothing contracts needs
    tenant_id = _tenant(event)
    party = _parsed(PartyState, event)
    await apply_party(
        session,
        tenant_id=tenant_id,
        party_id=party.id,
        deleted=party.deleted_at is not None,
        version=event.version,
    )


async def unlink_everywhere(
    session: AsyncSession, tenant_id: uuid.UUID, kind: LinkKind, object_id: uuid.UUID
) -> int:
    """Unlinks the object from every live contract of the tenant; returns how many."""
    linking = await contract_links.contracts_linking(session, tenant_id, kind, object_id)
    found = await contract_queries.contracts_for_update(session, tenant_id, linking)
    territory = await access.territory(session, tenant_id) if kind == "entities" and found else None
    stamp = now()
    for contract_id in sorted(found):
        contract = found[contract_id]
        if not await contract_links.unlink_one(session, contract, kind, object_id):
            continue
        await contract_links.recount(session, [contract.id])
        contract.version += 1
        contract.updated_at = stamp
        await session.flush()
        await session.refresh(contract)
        linked = await contract_links.links_of(session, contract.id)
        if territory is not None:  # an entity less: the zones that took it by that entity
            await place_contract(session, contract, linked.entity_ids, territory)
        event = contract_events.contract_updated(contract, linked)
        # The inbox's transaction is the write's: its outbox row commits with it.
        session.add(OutboxMessage.from_event(event))
    return len(found)


async def _apply_object(session: AsyncSession, event: Event, kind: LinkKind) -> None:
    tenant_id = _tenant(event)
    state = _parsed(AssetsObjectState, event)
    _payload_contract(event, state.contract)
    values = {"name": state.name, "suspended_at": state.suspended_at, "deleted_at": state.deleted_at}
    if kind == "assets":
        applied = await apply_asset(
            session, tenant_id=tenant_id, asset_id=state.id, version=event.version, state=values
        )
        industry_moved = False
    else:
        industry = await industry_of(session, tenant_id, state.id)
        applied = await apply_entity(
            session,
            tenant_id=tenant_id,
            entity_id=state.id,
            version=event.version,
            state={**values, "industry_id": state.industry_id},
        )
        industry_moved = applied and industry != state.industry_id
    if applied and state.deleted_at is not None:
        await unlink_everywhere(session, tenant_id, kind, state.id)
    elif industry_moved:
        # Dynamic commercial zones take a contract by its entities' industries.
        linking = await contract_links.contracts_linking(session, tenant_id, "entities", state.id)
        await refresh(session, tenant_id, linking)


async def apply_asset_event(session: AsyncSession, event: Event) -> None:
    if event.type in ASSET_SUBJECTS:
        await _apply_object(session, event, "assets")


async def apply_entity_event(session: AsyncSession, event: Event) -> None:
    if event.type in ENTITY_SUBJECTS:
        await _apply_object(session, event, "entities")


async def apply_document_event(session: AsyncSession, event: Event) -> None:
    """A deleted document stays linked to the contracts naming it (as a deleted service or
    party does): it only can no longer be added."""
    if event.type not in DOCUMENT_SUBJECTS:
        return
    tenant_id = _tenant(event)
    state = _parsed(DocumentState, event)
    _payload_contract(event, state.contract)
    deleted = state.deleted or event.type == "assets.document.deleted"
    await apply_document(
        session,
        tenant_id=tenant_id,
        document_id=state.id,
        version=event.version,
        documentable_type=state.documentable_type,
        documentable_id=state.documentable_id,
        deleted_at=event.occurred_at if deleted else None,
    )
