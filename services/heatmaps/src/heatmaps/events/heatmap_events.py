"""The heatmap events heatmaps publishes: ``heatmaps.heatmap.created`` / ``.updated`` /
``.deleted`` (payload contract 1, docs/events.md): the configuration, ``id``, ``name``,
``description``, ``type``, ``owner_ids``, ``group_ids``, ``metrics``, ``suspended_at``,
``deleted_at``. The envelope's ``version`` is the heatmap's."""

from __future__ import annotations

from typing import Any

from heatmaps.repositories.heatmap_records import Heatmap
from proximity.events.envelope import Event

HEATMAP_PAYLOAD_CONTRACT = 1
HEATMAP_SUBJECTS = ("heatmaps.heatmap.created", "heatmaps.heatmap.updated", "heatmaps.heatmap.deleted")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def heatmap_state(found: Heatmap) -> dict[str, Any]:
    return {
        "contract": HEATMAP_PAYLOAD_CONTRACT,
        "id": str(found.id),
        "name": found.name,
        "description": found.description,
        "type": found.type,
        "owner_ids": [str(owner) for owner in found.owner_ids or ()],
        "group_ids": [str(group) for group in found.group_ids or ()],
        "metrics": list(found.metrics or ()),
        "suspended_at": _iso(found.suspended_at),
        "deleted_at": _iso(found.deleted_at),
    }


def _event(subject: str, found: Heatmap) -> Event:
    return Event(
        type=subject,
        tenant_id=found.tenant_id,
        aggregate_id=str(found.id),
        version=found.version,
        data=heatmap_state(found),
    )


def heatmap_created(found: Heatmap) -> Event:
    return _event("heatmaps.heatmap.created", found)


def heatmap_updated(found: Heatmap) -> Event:
    return _event("heatmaps.heatmap.updated", found)


def heatmap_deleted(found: Heatmap) -> Event:
    return _event("heatmaps.heatmap.deleted", found)
