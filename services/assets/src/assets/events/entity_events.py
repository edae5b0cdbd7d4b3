"""The entity events assets publishes: ``assets.entity.created`` / ``.updated`` / ``.deleted``
(contract 1): ``id``, ``name``, ``type_id``, ``industry_id``, ``addresses``, ``owners`` and
``contacts`` (``[{party_id, role_id}]``), ``service_ids``, ``suspended_at``, ``deleted_at``:
what contracts, iam (commercial datazones) and heatmaps (entity points) read."""

from __future__ import annotations

from typing import Any

from assets.repositories.entity_queries import EntityLinks
from assets.repositories.entity_records import Entity
from proximity.events.envelope import Event

ENTITY_CONTRACT_VERSION = 1


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def entity_state(found: Entity, links: EntityLinks) -> dict[str, Any]:
    return {
        "contract": ENTITY_CONTRACT_VERSION,
        "id": str(found.id),
        "name": found.name,
        "type_id": str(found.type_id) if found.type_id else None,
        "industry_id": str(found.industry_id) if found.industry_id else None,
        "addresses": found.addresses,
        "owners": [{"party_id": str(a.party_id), "role_id": str(a.role_id)} for a in links.owners],
        "contacts": [{"party_id": str(a.party_id), "role_id": str(a.role_id)} for a in links.contacts],
        "service_ids": [str(s) for s in links.service_ids],
        "suspended_at": _iso(found.suspended_at),
        "deleted_at": _iso(found.deleted_at),
    }


def _event(subject: str, found: Entity, links: EntityLinks) -> Event:
    return Event(
        type=subject,
        tenant_id=found.tenant_id,
        aggregate_id=str(found.id),
        version=found.version,
        data=entity_state(found, links),
    )


def entity_created(found: Entity, links: EntityLinks) -> Event:
    return _event("assets.entity.created", found, links)


def entity_updated(found: Entity, links: EntityLinks) -> Event:
    return _event("assets.entity.updated", found, links)


def entity_deleted(found: Entity, links: EntityLinks) -> Event:
    return _event("assets.entity.deleted", found, links)
