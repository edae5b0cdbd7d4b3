"""Keeping the replicas of contracts' contracts (with their links) and services current from
``contracts.contract.*`` and ``contracts.service.*``."""

from __future__ import annotations

import uuid
from typing import TypeVar

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from assets.events.consumed import (
    CONTRACT_SUBJECTS,
    CONTRACTS_PAYLOAD_CONTRACT,
    SERVICE_SUBJECTS,
    ContractPayload,
    ServicePayload,
)
from assets.repositories.contract_replica import ContractState, apply_contract, apply_service, linked_to
from assets.services.territories import refresh
from proximity.events.consumer import UnusableEvent
from proximity.events.envelope import Event

P = TypeVar("P", ContractPayload, ServicePayload)


def _payload(event: Event, model: type[P]) -> tuple[uuid.UUID, P]:
    if event.tenant_id is None:
        raise UnusableEvent(f"{event.type} names no tenant")
    try:
        found = model.model_validate(event.data)
    except ValidationError as exc:
        raise UnusableEvent(f"{event.type} breaks its contract: {exc}") from None
    if found.contract != CONTRACTS_PAYLOAD_CONTRACT:
        raise UnusableEvent(f"{event.type} carries payload contract {found.contract}; assets reads 1")
    return event.tenant_id, found


async def apply_contract_event(session: AsyncSession, event: Event) -> None:
    if event.type not in CONTRACT_SUBJECTS:
        return  # a contract subject this contract does not know yet: nothing assets needs
    tenant_id, contract = _payload(event, ContractPayload)
    state = ContractState(
        contract_id=contract.id,
        tenant_id=tenant_id,
        name=contract.name,
        suspended=contract.suspended_at is not None,
        deleted=contract.deleted_at is not None or event.type == "contracts.contract.deleted",
        asset_ids=frozenset(contract.asset_ids),
        entity_ids=frozenset(contract.entity_ids),
    )
    linked_assets, linked_entities = await linked_to(session, contract.id)
    if await apply_contract(session, state, event.version):
        # Objects linked or unlinked move in or out of the zones that name the contract.
        await refresh(
            session,
            tenant_id,
            asset_ids=linked_assets | state.asset_ids,
            entity_ids=linked_entities | state.entity_ids,
        )


async def apply_service_event(session: AsyncSession, event: Event) -> None:
    if event.type not in SERVICE_SUBJECTS:
        return
    tenant_id, service = _payload(event, ServicePayload)
    await apply_service(
        session,
        tenant_id=tenant_id,
        service_id=service.id,
        name=service.name,
        kind=service.type,
        suspended=service.suspended_at is not None,
        deleted=service.deleted_at is not None or event.type == "contracts.service.deleted",
        version=event.version,
    )
