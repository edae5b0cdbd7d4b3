"""The events of assets' stream ``ASSETS`` that put points on the map (contracts in
docs/events.md): ``assets.asset.*`` and ``assets.entity.*`` carry the object's whole state at
the event's ``version``; ``assets.value.updated`` one dynamic field value, aggregate
``<field>:<subject>:<object>``, of which heatmaps keeps those of number fields whose subject is
an asset (number x 10^-scalefactor; null: cleared)."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict

from heatmaps.domain.map_points import MapPoint, asset_point, entity_point
from proximity.events.consumer import UnusableEvent
from proximity.events.envelope import Event
from proximity.events.payload import tenant_payload

PAYLOAD_CONTRACT = 1
ASSET_SUBJECTS = ("assets.asset.created", "assets.asset.updated", "assets.asset.deleted")
ASSET_FILTER = "assets.asset.*"
ASSETS_CONSUMER = "heatmaps-assets-assets"
ENTITY_SUBJECTS = ("assets.entity.created", "assets.entity.updated", "assets.entity.deleted")
ENTITY_FILTER = "assets.entity.*"
ENTITIES_CONSUMER = "heatmaps-assets-entities"
VALUE_UPDATED = "assets.value.updated"
VALUES_CONSUMER = "heatmaps-assets-values"


class _Located(BaseModel):
    """What is checked before a payload becomes a point (the rest is read leniently)."""

    model_config = ConfigDict(extra="ignore")

    contract: int = PAYLOAD_CONTRACT
    id: uuid.UUID
    name: str | None = None
    deleted_at: str | None = None


class ValueUpdated(BaseModel):
    model_config = ConfigDict(extra="ignore")

    contract: int = PAYLOAD_CONTRACT
    field_id: uuid.UUID
    field_type: str
    scalefactor: int | None = None
    subject_type: str
    subject_id: uuid.UUID
    object_type: str | None = None
    object_id: uuid.UUID
    value: Any = None

    def number(self) -> float | None:
        """The value as the number it stands for; None when cleared or not a number."""
        if isinstance(self.value, bool) or not isinstance(self.value, (int, float)):
            return None
        return float(self.value) / float(10 ** (self.scalefactor or 0))


def point_of(event: Event) -> tuple[uuid.UUID, MapPoint] | None:
    """The tenant and point an asset or entity event announces (None: another subject)."""
    if event.type not in ASSET_SUBJECTS and event.type not in ENTITY_SUBJECTS:
        return None
    tenant_id, _ = tenant_payload(event, _Located, contract=PAYLOAD_CONTRACT)
    data = dict(event.data)
    deleted = data.get("deleted_at") is not None or event.type.endswith(".deleted")
    read = asset_point if event.type in ASSET_SUBJECTS else entity_point
    try:
        return tenant_id, read(data, event.version, deleted)
    except (KeyError, TypeError, ValueError) as exc:
        raise UnusableEvent(f"{event.type} breaks its contract: {exc}") from None


def value_of(event: Event) -> tuple[uuid.UUID, ValueUpdated] | None:
    if event.type != VALUE_UPDATED:
        return None
    return tenant_payload(event, ValueUpdated, contract=PAYLOAD_CONTRACT)
