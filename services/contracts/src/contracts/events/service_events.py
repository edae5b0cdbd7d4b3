"""The service events contracts publishes: ``contracts.service.created`` / ``.updated`` /
``.deleted`` (payload contract 1, docs/events.md): ``id``, ``name``, ``type`` (the service type's
key, which never changes: ``maintenance``; null without a type), ``type_id``, ``category_id``,
``suspended_at``, ``deleted_at``. The envelope's ``version`` is the service's: assets' replica
applies a state only when it is newer (``assets.events.consumed.ServicePayload`` reads it)."""

from __future__ import annotations

from typing import Any

from contracts.repositories.services import Service
from proximity.events.envelope import Event

SERVICE_PAYLOAD_CONTRACT = 1
SERVICE_SUBJECTS = (
    "contracts.service.created",
    "contracts.service.updated",
    "contracts.service.deleted",
)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _id(value: Any) -> str | None:
    return str(value) if value is not None else None


def service_state(found: Service, type_key: str | None) -> dict[str, Any]:
    return {
        "contract": SERVICE_PAYLOAD_CONTRACT,
        "id": str(found.id),
        "name": found.name,
        "type": type_key,
        "type_id": _id(found.type_id),
        "category_id": _id(found.category_id),
        "suspended_at": _iso(found.suspended_at),
        "deleted_at": _iso(found.deleted_at),
    }


def _event(subject: str, found: Service, type_key: str | None) -> Event:
    return Event(
        type=subject,
        tenant_id=found.tenant_id,
        aggregate_id=str(found.id),
        version=found.version,
        data=service_state(found, type_key),
    )


def service_created(found: Service, type_key: str | None) -> Event:
    return _event("contracts.service.created", found, type_key)


def service_updated(found: Service, type_key: str | None) -> Event:
    return _event("contracts.service.updated", found, type_key)


def service_deleted(found: Service, type_key: str | None) -> Event:
    return _event("contracts.service.deleted", found, type_key)
