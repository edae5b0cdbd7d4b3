"""``iam.datazone.created`` / ``.updated`` / ``.deleted`` (contract 1, iam-contract.md): the
datazone's whole state with its geozones, at the zone's ``version`` (bumped by every change,
``PUT .../geozones`` included). Every service that enforces territory keeps a replica of them
and computes which datazones its objects are in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from iam.repositories.datazone_records import Datazone, Geozone
from proximity.events.envelope import Event

DATAZONE_CONTRACT_VERSION = 1
DATAZONE_SUBJECTS = ("iam.datazone.created", "iam.datazone.updated", "iam.datazone.deleted")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def datazone_state(found: Datazone, geozones: Sequence[Geozone]) -> dict[str, Any]:
    return {
        "contract": DATAZONE_CONTRACT_VERSION,
        "id": str(found.id),
        "name": found.name,
        "type": found.type,
        "is_dynamic": found.is_dynamic,
        "addresses": list(found.addresses),
        "geozones": [
            {
                "id": str(zone.id),
                "name": zone.name,
                "lat": zone.lat,
                "long": zone.long,
                "radius": zone.radius,
                "wkt": zone.wkt,
            }
            for zone in geozones
        ],
        "entity_ids": [str(i) for i in found.entity_ids],
        "contract_ids": [str(i) for i in found.contract_ids],
        "industry_ids": [str(i) for i in found.industry_ids],
        "suspended_at": _iso(found.suspended_at),
        "deleted_at": _iso(found.deleted_at),
    }


def _event(subject: str, found: Datazone, geozones: Sequence[Geozone]) -> Event:
    return Event(
        type=subject,
        tenant_id=found.tenant_id,
        aggregate_id=str(found.id),
        version=found.version,
        data=datazone_state(found, geozones),
    )


def datazone_created(found: Datazone, geozones: Sequence[Geozone]) -> Event:
    return _event("iam.datazone.created", found, geozones)


def datazone_changed(found: Datazone, geozones: Sequence[Geozone]) -> Event:
    """Deleted or updated, as the zone now is."""
    subject = "iam.datazone.deleted" if found.deleted_at is not None else "iam.datazone.updated"
    return _event(subject, found, geozones)
