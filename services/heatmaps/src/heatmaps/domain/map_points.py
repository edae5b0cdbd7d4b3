"""The points of a heatmap: assets and entities with a location, as the read model keeps them.

An asset's location is the ``point`` assets publishes (its geo's point, else its address's
coordinates); an entity's is its first address with both ``lat`` and ``long``. Country, region
and city, what ``group_type`` groups by, come from the asset's address or that entity address
(an entity without coordinates has none). A hidden asset, a deleted point or one without a
location is not on the map; suspended ones are, as lists show them.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from proximity.access.territory import Locatable

Kind = Literal["asset", "entity"]
KINDS: tuple[Kind, ...] = ("asset", "entity")
# What ``group_type`` may group by besides ``cluster``.
ADDRESS_GROUPS = ("region", "country", "city")


@dataclass(frozen=True, slots=True)
class MapPoint:
    id: uuid.UUID
    kind: Kind
    version: int
    name: str
    lng: float | None = None
    lat: float | None = None
    country: str | None = None
    region: str | None = None
    city: str | None = None
    entity_id: uuid.UUID | None = None  # an asset's entity; an entity's own id
    industry_id: uuid.UUID | None = None  # an entity's industry
    addresses: tuple[Mapping[str, Any], ...] = ()
    on_map: bool = True  # False: deleted or hidden

    @property
    def located(self) -> bool:
        return self.on_map and self.lng is not None and self.lat is not None

    def group_value(self, group: str) -> str | None:
        value: str | None = getattr(self, group)
        return value

    def search_text(self) -> str:
        """What ``keywords`` match: the name and the address's parts, lower case."""
        parts = [self.name]
        for address in self.addresses:
            parts.extend(str(v) for k, v in address.items() if isinstance(v, str) and k != "name")
        return " ".join(parts).casefold()

    def locatable(self, industry_id: uuid.UUID | None) -> Locatable:
        """How iam's datazones see it; ``industry_id``: its entity's (an asset's, looked up)."""
        return Locatable(
            point=(self.lng, self.lat) if self.lng is not None and self.lat is not None else None,
            addresses=self.addresses,
            entity_ids=frozenset({self.entity_id}) if self.entity_id else frozenset(),
            industry_ids=frozenset({industry_id}) if industry_id else frozenset(),
        )


def _text(address: Mapping[str, Any], part: str) -> str | None:
    value = address.get(part)
    return value if isinstance(value, str) and value else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def asset_point(state: Mapping[str, Any], version: int, deleted: bool) -> MapPoint:
    """From an ``assets.asset.*`` payload (docs/events.md)."""
    point = state.get("point") or {}
    address = state.get("address") or {}
    lng, lat = _number(point.get("long")), _number(point.get("lat"))
    if lng is None or lat is None or not (-180 <= lng <= 180 and -90 <= lat <= 90):
        lng = lat = None
    entity = state.get("entity_id")
    return MapPoint(
        id=uuid.UUID(str(state["id"])),
        kind="asset",
        version=version,
        name=str(state.get("name") or ""),
        lng=lng,
        lat=lat,
        country=_text(address, "country"),
        region=_text(address, "region"),
        city=_text(address, "city"),
        entity_id=uuid.UUID(str(entity)) if entity else None,
        addresses=(dict(address),) if address else (),
        on_map=not deleted and not state.get("is_hidden"),
    )


def entity_point(state: Mapping[str, Any], version: int, deleted: bool) -> MapPoint:
    """From an ``assets.entity.*`` payload: located at its first address with coordinates."""
    addresses: Sequence[Mapping[str, Any]] = [a for a in state.get("addresses") or () if isinstance(a, dict)]
    located = next(
        (a for a in addresses if _number(a.get("lat")) is not None and _number(a.get("long")) is not None),
        None,
    )
    lng = _number(located.get("long")) if located else None
    lat = _number(located.get("lat")) if located else None
    if lng is None or lat is None or not (-180 <= lng <= 180 and -90 <= lat <= 90):
        lng = lat = None
    where = located or {}
    point_id = uuid.UUID(str(state["id"]))
    industry = state.get("industry_id")
    return MapPoint(
        id=point_id,
        kind="entity",
        version=version,
        name=str(state.get("name") or ""),
        lng=lng,
        lat=lat,
        country=_text(where, "country"),
        region=_text(where, "region"),
        city=_text(where, "city"),
        entity_id=point_id,
        industry_id=uuid.UUID(str(industry)) if industry else None,
        addresses=tuple(dict(a) for a in addresses),
        on_map=not deleted,
    )
