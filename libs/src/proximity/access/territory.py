"""Which datazones an object lies in: a tenant's datazones compiled once, tested many times.

Membership (docs/decisions.md, "Territories"; the iam design):

- geo, dynamic: the object's point lies in one of the zone's geozones: within ``radius``
  metres of its point (great-circle distance; 0 or null: within 1 m), or covered by its WKT
  (Multi)Polygon (the boundary counts);
- geo, static: one of the object's addresses has every field the zone's address gives equal
  (case-insensitive, trimmed; ``name``, ``lat``, ``long`` ignored). A zone address that gives
  no field matches nothing: an empty rule must not put the whole tenant in a zone;
- geo, either: the object is (or belongs to) one of ``entity_ids``, or is / links one of
  ``contract_ids``;
- commercial, dynamic: the object's entity's industry is one of ``industry_ids``;
- commercial, static: ``entity_ids`` / ``contract_ids`` as above.

A suspended or deleted datazone contains nothing. Points are tested against an STRtree of
the geozones (circles by their bounding box, then the haversine distance; polygons prepared,
tested exactly), one at a time (``zones_of``) or vectorised over many (``zones_of_many``,
what recomputing a tenant's objects after a datazone event uses). Pure: shapely and numpy only.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from shapely.errors import ShapelyError
from shapely.geometry.base import BaseGeometry

from proximity.access.datazones import DatazoneState, Geozone

EARTH_RADIUS_METRES = 6_371_008.8
METRES_PER_DEGREE = math.pi * EARTH_RADIUS_METRES / 180
# Seed 004: a geozone without radius is its point; floating point needs some tolerance.
POINT_TOLERANCE_METRES = 1.0
ADDRESS_FIELDS = ("country", "region", "city", "locale", "street", "unit", "postal")
# Seed 004 spells the postcode ``postal``; iam's design says ``postcode``: one field.
_ADDRESS_ALIASES = {"postcode": "postal"}
_AREAS = ("Polygon", "MultiPolygon")
# Up to this many geozones a point is tested against arrays of their boxes; beyond, a tree.
SCAN_AT_MOST = 1024


@dataclass(frozen=True, slots=True)
class Locatable:
    """What membership looks at. ``point``: (longitude, latitude) or None; ``entity_ids``:
    the object itself if an entity, or its entity; ``contract_ids``: itself if a contract, or
    the contracts linking it; ``industry_ids``: its entity's (or its own) industry."""

    point: tuple[float, float] | None = None
    addresses: tuple[Mapping[str, Any], ...] = ()
    entity_ids: frozenset[uuid.UUID] = frozenset()
    contract_ids: frozenset[uuid.UUID] = frozenset()
    industry_ids: frozenset[uuid.UUID] = frozenset()


AddressKey = tuple[tuple[str, str], ...]


def address_key(address: Mapping[str, Any]) -> AddressKey:
    """The given fields of an address, normalised: ``(("city", "calgary"), ("country", "canada"))``."""
    parts: dict[str, str] = {}
    for name, value in address.items():
        name = _ADDRESS_ALIASES.get(name, name)
        if name in ADDRESS_FIELDS and value is not None and (text := str(value).strip().casefold()):
            parts[name] = text
    return tuple(sorted(parts.items()))


def _circle_box(long: float, lat: float, radius: float) -> tuple[float, float, float, float]:
    """A box holding every point within ``radius`` metres (wider near the poles; the whole
    band of longitudes where it would cross the antimeridian)."""
    dlat = radius / METRES_PER_DEGREE
    min_lat, max_lat = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    widest = max(abs(min_lat), abs(max_lat))
    cos = math.cos(math.radians(widest))
    dlong = 360.0 if cos < 1e-9 else radius / (METRES_PER_DEGREE * cos)
    if dlong >= 180.0 or long - dlong < -180.0 or long + dlong > 180.0:
        return (-180.0, min_lat, 180.0, max_lat)
    return (long - dlong, min_lat, long + dlong, max_lat)


def _area(geozone: Geozone) -> BaseGeometry | None:
    if geozone.wkt is None:
        return None
    try:
        shape = shapely.from_wkt(geozone.wkt)
    except (ShapelyError, ValueError, TypeError):
        return None  # iam validated it; a shape no one can read contains nothing
    if shape is None or shape.geom_type not in _AREAS or shape.is_empty:
        return None
    return shape


def _radius(geozone: Geozone) -> float:
    radius = geozone.radius or 0.0
    return radius if radius > 0 else POINT_TOLERANCE_METRES


def geozone_bounds(geozone: Geozone) -> tuple[float, float, float, float] | None:
    """The box (min_long, min_lat, max_long, max_lat) a geozone covers, None if it has no
    usable shape: where a service looks for objects that may have entered it."""
    shape = _area(geozone)
    if shape is not None:
        return tuple(shape.bounds)
    if geozone.wkt is None and geozone.lat is not None and geozone.long is not None:
        return _circle_box(geozone.long, geozone.lat, _radius(geozone))
    return None


def zone_bounds(zone: DatazoneState) -> list[tuple[float, float, float, float]]:
    """The boxes of a dynamic geo zone's geozones (none for other zones)."""
    if zone.type != "geo" or not zone.is_dynamic:
        return []
    return [box for geozone in zone.geozones if (box := geozone_bounds(geozone)) is not None]


def haversine_metres(long1: Any, lat1: Any, long2: Any, lat2: Any) -> Any:
    """Great-circle distance; numpy arrays or floats."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(long2) - np.asarray(long1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * np.arcsin(np.sqrt(np.minimum(1.0, a)))


def _haversine(long1: float, lat1: float, long2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(long2 - long1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * math.asin(math.sqrt(min(1.0, a)))


@dataclass(slots=True)
class _Circles:
    zones: list[uuid.UUID] = field(default_factory=list)
    longs: list[float] = field(default_factory=list)
    lats: list[float] = field(default_factory=list)
    radii: list[float] = field(default_factory=list)
    boxes: list[BaseGeometry] = field(default_factory=list)


class Territory:
    """A tenant's datazones, compiled. Build it again after any datazone changes (cheap:
    milliseconds for hundreds of geozones)."""

    def __init__(self, zones: Iterable[DatazoneState]) -> None:
        self.zone_ids: frozenset[uuid.UUID] = frozenset()
        self._by_entity: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
        self._by_contract: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
        self._by_industry: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
        # Static geo addresses, by their normalised country ("" when the rule gives none).
        self._addresses: dict[str, list[tuple[uuid.UUID, AddressKey]]] = defaultdict(list)
        circles = _Circles()
        areas: list[BaseGeometry] = []
        self._area_zones: list[uuid.UUID] = []
        live: set[uuid.UUID] = set()
        for zone in zones:
            if not zone.live:
                continue
            live.add(zone.id)
            if zone.type == "commercial" and zone.is_dynamic:
                for industry in zone.industry_ids:
                    self._by_industry[industry].add(zone.id)
                continue
            for entity in zone.entity_ids:
                self._by_entity[entity].add(zone.id)
            for contract in zone.contract_ids:
                self._by_contract[contract].add(zone.id)
            if zone.type != "geo":
                continue
            if zone.is_dynamic:
                self._compile_geozones(zone, circles, areas)
            else:
                for address in zone.addresses:
                    key = address_key(address)
                    if key:
                        self._addresses[dict(key).get("country", "")].append((zone.id, key))
        self.zone_ids = frozenset(live)
        self._circles = circles
        self._circle_tree = shapely.STRtree(circles.boxes) if circles.boxes else None
        self._circle_zones = np.array(circles.zones, dtype=object)
        self._circle_longs = np.array(circles.longs, dtype=float)
        self._circle_lats = np.array(circles.lats, dtype=float)
        self._circle_radii = np.array(circles.radii, dtype=float)
        for area in areas:
            shapely.prepare(area)
        self._areas = np.array(areas, dtype=object)
        self._area_tree = shapely.STRtree(areas) if areas else None
        self._area_zone_array = np.array(self._area_zones, dtype=object)
        # One point at a time, a few hundred boxes are tested faster as arrays than by a tree
        # query (which needs a Point built first): circles' boxes, then areas' bounds.
        boxes = [shapely.bounds(box) for box in circles.boxes] + [area.bounds for area in areas]
        self._boxes = np.array(boxes, dtype=float).reshape(-1, 4).T.copy()
        self._scan = 0 < len(boxes) <= SCAN_AT_MOST

    def _compile_geozones(self, zone: DatazoneState, circles: _Circles, areas: list[BaseGeometry]) -> None:
        for geozone in zone.geozones:
            shape = _area(geozone)
            if shape is not None:
                areas.append(shape)
                self._area_zones.append(zone.id)
            elif geozone.wkt is None and geozone.lat is not None and geozone.long is not None:
                radius = _radius(geozone)
                circles.zones.append(zone.id)
                circles.longs.append(geozone.long)
                circles.lats.append(geozone.lat)
                circles.radii.append(radius)
                circles.boxes.append(shapely.box(*_circle_box(geozone.long, geozone.lat, radius)))

    @property
    def has_addresses(self) -> bool:
        return bool(self._addresses)

    def _by_rules(self, item: Locatable) -> set[uuid.UUID]:
        found: set[uuid.UUID] = set()
        for entity in item.entity_ids:
            found |= self._by_entity.get(entity, set())
        for contract in item.contract_ids:
            found |= self._by_contract.get(contract, set())
        for industry in item.industry_ids:
            found |= self._by_industry.get(industry, set())
        if self._addresses:
            for address in item.addresses:
                given = dict(address_key(address))
                if not given:
                    continue
                country = given.get("country", "")
                # The rules of its country, and those that name no country.
                for bucket in {country, ""}:
                    for zone_id, rule in self._addresses.get(bucket, ()):
                        if all(given.get(name) == value for name, value in rule):
                            found.add(zone_id)
        return found

    def _point_zones(self, long: float, lat: float, found: set[uuid.UUID]) -> None:
        min_long, min_lat, max_long, max_lat = self._boxes
        hits = np.flatnonzero((min_long <= long) & (long <= max_long) & (min_lat <= lat) & (lat <= max_lat))
        circles = self._circles
        count = len(circles.zones)
        for index in hits.tolist():
            if index < count:
                if _haversine(long, lat, circles.longs[index], circles.lats[index]) <= circles.radii[index]:
                    found.add(circles.zones[index])
            elif shapely.intersects_xy(self._areas[index - count], long, lat):
                found.add(self._area_zones[index - count])

    def zones_of(self, item: Locatable) -> frozenset[uuid.UUID]:
        """The live datazones ``item`` lies in."""
        found = self._by_rules(item)
        if item.point is not None and self._scan:
            self._point_zones(item.point[0], item.point[1], found)
        elif item.point is not None:
            long, lat = item.point
            point = None
            if self._circle_tree is not None:
                point = shapely.points(long, lat)
                c = self._circles
                for index in self._circle_tree.query(point):
                    if _haversine(long, lat, c.longs[index], c.lats[index]) <= c.radii[index]:
                        found.add(c.zones[index])
            if self._area_tree is not None:
                point = point if point is not None else shapely.points(long, lat)
                for index in self._area_tree.query(point, predicate="intersects"):
                    found.add(self._area_zones[index])
        return frozenset(found)

    def zones_of_many(self, items: Sequence[Locatable]) -> list[frozenset[uuid.UUID]]:
        """``zones_of`` for each item, the point tests vectorised (one tree query for all)."""
        found = [self._by_rules(item) for item in items]
        located = [index for index, item in enumerate(items) if item.point is not None]
        if located and (self._circle_tree is not None or self._area_tree is not None):
            coords = np.array([items[index].point for index in located], dtype=float)
            points = shapely.points(coords)
            if self._circle_tree is not None:
                pairs = self._circle_tree.query(points)
                if pairs.shape[1]:
                    at, zone = pairs[0], pairs[1]
                    distance = haversine_metres(
                        coords[at, 0], coords[at, 1], self._circle_longs[zone], self._circle_lats[zone]
                    )
                    inside = distance <= self._circle_radii[zone]
                    for point_index, zone_id in zip(
                        at[inside], self._circle_zones[zone[inside]], strict=True
                    ):
                        found[located[point_index]].add(zone_id)
            if self._area_tree is not None:
                pairs = self._area_tree.query(points, predicate="intersects")
                for point_index, zone_id in zip(pairs[0], self._area_zone_array[pairs[1]], strict=True):
                    found[located[point_index]].add(zone_id)
        return [frozenset(zones) for zones in found]
