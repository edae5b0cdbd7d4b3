"""``contracts.contract.created`` / ``.updated`` / ``.deleted`` (contract 1): the contract's
whole state with all its links, at the contract's ``version`` (bumped by every change of the
contract or of one of its links). assets reads them into its replica of contract links
(``assets.events.consumed.ContractPayload``)."""

from __future__ import annotations

from typing import Any

from contracts.repositories.contract_links import ContractLinks
from contracts.repositories.contract_records import Contract
from proximity.events.envelope import Event

CONTRACT_CONTRACT_VERSION = 1
CONTRACT_SUBJECTS = (
    "contracts.contract.created",
    "contracts.contract.updated",
    "contracts.contract.deleted",
)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def contract_state(found: Contract, links: ContractLinks) -> dict[str, Any]:
    return {
        "contract": CONTRACT_CONTRACT_VERSION,
        "id": str(found.id),
        "name": found.name,
        "suspended_at": _iso(found.suspended_at),
        "deleted_at": _iso(found.deleted_at),
        "asset_ids": [str(i) for i in links.asset_ids],
        "entity_ids": [str(i) for i in links.entity_ids],
        "party_ids": [str(i) for i in links.party_ids],
        "service_ids": [str(i) for i in links.service_ids],
    }


def _event(subject: str, found: Contract, links: ContractLinks) -> Event:
    return Event(
        type=subject,
        tenant_id=found.tenant_id,
        aggregate_id=str(found.id),
        version=found.version,
        data=contract_state(found, links),
    )


def contract_created(found: Contract, links: ContractLinks) -> Event:
    return _event("contracts.contract.created", found, links)


def contract_updated(found: Contract, links: ContractLinks) -> Event:
    return _event("contracts.contract.updated", found, links)


def contract_deleted(found: Contract, links: ContractLinks) -> Event:
    return _event("contracts.contract.deleted", found, links)


def contract_changed(found: Contract, links: ContractLinks) -> Event:
    """Deleted or updated, as the contract now is."""
    return (contract_deleted if found.deleted_at is not None else contract_updated)(found, links)
