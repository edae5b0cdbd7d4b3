"""Datazone membership (the iam design): geozones by point and radius or polygon, addresses,
entities, contracts and industries, dynamic against static, suspended and deleted zones, and
the vectorised path agreeing with the one-at-a-time one."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from proximity.access import territory as territory_module
from proximity.access.datazones import DatazoneState
from proximity.access.territory import Locatable, Territory, address_key, geozone_bounds, zone_bounds

# Calgary city hall, and a point about 1.1 km north of it.
CALGARY = (-114.0581, 51.0453)
NORTH_OF_CALGARY = (-114.0581, 51.0553)
SQUARE = "POLYGON ((-114.1 51.0, -114.0 51.0, -114.0 51.1, -114.1 51.1, -114.1 51.0))"


def zone(**fields: Any) -> DatazoneState:
    return DatazoneState.model_validate(
        {"id": str(uuid.uuid4()), "type": "geo", "is_dynamic": True, **fields}
    )


def circle(long: float, lat: float, radius: float | None) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "name": "c", "lat": lat, "long": long, "radius": radius, "wkt": None}


def area(wkt: str) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "name": "a", "lat": None, "long": None, "radius": None, "wkt": wkt}


def test_a_point_within_a_geozones_radius_is_in_its_zone() -> None:
    near = zone(geozones=[circle(*CALGARY, 1500)])
    tight = zone(geozones=[circle(*CALGARY, 500)])
    territory = Territory([near, tight])

    assert territory.zones_of(Locatable(point=NORTH_OF_CALGARY)) == {near.id}
    assert territory.zones_of(Locatable(point=CALGARY)) == {near.id, tight.id}
    assert territory.zones_of(Locatable(point=(-113.0, 51.0))) == frozenset()
    assert territory.zones_of(Locatable()) == frozenset()


def test_a_geozone_without_radius_is_its_point_with_a_metre_of_tolerance() -> None:
    spot = zone(geozones=[circle(*CALGARY, None)])
    zero = zone(geozones=[circle(*CALGARY, 0)])
    territory = Territory([spot, zero])

    assert territory.zones_of(Locatable(point=CALGARY)) == {spot.id, zero.id}
    assert territory.zones_of(Locatable(point=(CALGARY[0], CALGARY[1] + 0.000005))) == {spot.id, zero.id}
    assert territory.zones_of(Locatable(point=(CALGARY[0], CALGARY[1] + 0.0001))) == frozenset()  # ~11 m


def test_a_point_covered_by_a_polygon_is_in_its_zone_boundary_included() -> None:
    square = zone(geozones=[area(SQUARE)])
    multi = zone(
        geozones=[area("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 1, 0 0)), ((10 10, 11 10, 11 11, 10 11, 10 10)))")]
    )
    territory = Territory([square, multi])

    assert territory.zones_of(Locatable(point=CALGARY)) == {square.id}
    assert territory.zones_of(Locatable(point=(-114.0, 51.05))) == {square.id}  # on the edge
    assert territory.zones_of(Locatable(point=(10.5, 10.5))) == {multi.id}
    assert territory.zones_of(Locatable(point=(5.0, 5.0))) == frozenset()


def test_static_geo_zones_match_addresses_by_the_fields_they_give() -> None:
    alberta = zone(is_dynamic=False, addresses=[{"name": "AB", "country": "Canada", "region": "Alberta"}])
    postcode = zone(is_dynamic=False, addresses=[{"country": "canada", "postal": "T3A 0Z0"}])
    empty = zone(is_dynamic=False, addresses=[{"name": "nothing given"}])
    # A static zone ignores its geozones: dynamic decides.
    ignored = zone(is_dynamic=False, geozones=[circle(*CALGARY, 5000)])
    territory = Territory([alberta, postcode, empty, ignored])

    calgary = {"country": " CANADA", "region": "alberta", "city": "Calgary", "lat": 1, "long": 2}
    assert territory.zones_of(Locatable(point=CALGARY, addresses=(calgary,))) == {alberta.id}
    assert territory.zones_of(Locatable(addresses=({"country": "Canada", "postcode": "t3a 0z0"},))) == {
        postcode.id
    }
    assert territory.zones_of(Locatable(addresses=({"country": "Canada"},))) == frozenset()
    assert (
        territory.zones_of(Locatable(addresses=({"country": "Canada", "region": "Ontario"},))) == frozenset()
    )
    assert address_key({"Name": "x", "country": None, "city": " "}) == ()


def test_entities_and_contracts_put_objects_in_geo_and_static_commercial_zones() -> None:
    entity, contract = uuid.uuid4(), uuid.uuid4()
    geo = zone(entity_ids=[str(entity)], geozones=[circle(0, 0, 10)])
    commercial = zone(type="commercial", is_dynamic=False, contract_ids=[str(contract)])
    territory = Territory([geo, commercial])

    assert territory.zones_of(Locatable(entity_ids=frozenset({entity}))) == {geo.id}
    assert territory.zones_of(Locatable(contract_ids=frozenset({contract}))) == {commercial.id}
    assert territory.zones_of(Locatable(entity_ids=frozenset({uuid.uuid4()}))) == frozenset()


def test_dynamic_commercial_zones_hold_their_industries_entities_only() -> None:
    industry, entity = uuid.uuid4(), uuid.uuid4()
    dynamic = zone(type="commercial", is_dynamic=True, industry_ids=[str(industry)], entity_ids=[str(entity)])
    static = zone(type="commercial", is_dynamic=False, industry_ids=[str(industry)])
    territory = Territory([dynamic, static])

    assert territory.zones_of(Locatable(industry_ids=frozenset({industry}))) == {dynamic.id}
    assert territory.zones_of(Locatable(entity_ids=frozenset({entity}))) == frozenset()


def test_suspended_and_deleted_zones_hold_nothing() -> None:
    now = datetime.now(UTC).isoformat()
    suspended = zone(geozones=[circle(*CALGARY, 1000)], suspended_at=now)
    deleted = zone(geozones=[area(SQUARE)], deleted_at=now)
    territory = Territory([suspended, deleted])

    assert territory.zones_of(Locatable(point=CALGARY)) == frozenset()
    assert territory.zone_ids == frozenset()


def test_bounds_cover_each_geozone() -> None:
    dynamic = zone(geozones=[circle(*CALGARY, 1000), area(SQUARE)])

    boxes = zone_bounds(dynamic)
    assert boxes[1] == (-114.1, 51.0, -114.0, 51.1)
    min_long, min_lat, max_long, max_lat = boxes[0]
    assert min_long < CALGARY[0] < max_long
    assert min_lat < CALGARY[1] < max_lat
    assert zone_bounds(zone(is_dynamic=False, geozones=[circle(0, 0, 5)])) == []
    # Near the antimeridian the box spans every longitude rather than wrap.
    wide = geozone_bounds(DatazoneState.model_validate(zone(geozones=[circle(179.99, 0, 5000)])).geozones[0])
    assert wide is not None
    assert (wide[0], wide[2]) == (-180.0, 180.0)


def test_many_at_once_agrees_with_one_at_a_time() -> None:
    rng = random.Random(7)
    entity = uuid.uuid4()
    zones = [
        zone(geozones=[circle(rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(0, 30000))])
        for _ in range(30)
    ]
    zones += [
        zone(geozones=[area(f"POLYGON (({x} {x}, {x + 0.3} {x}, {x + 0.3} {x + 0.3}, {x} {x}))")])
        for x in (-0.5, 0.1)
    ]
    zones.append(zone(type="commercial", is_dynamic=False, entity_ids=[str(entity)]))
    territory = Territory(zones)
    items = [
        Locatable(
            point=(rng.uniform(-1.2, 1.2), rng.uniform(-1.2, 1.2)),
            entity_ids=frozenset({entity}) if i % 7 == 0 else frozenset(),
        )
        for i in range(500)
    ] + [Locatable(), Locatable(entity_ids=frozenset({entity}))]

    many = territory.zones_of_many(items)

    assert many == [territory.zones_of(item) for item in items]
    assert any(len(found) > 1 for found in many)


def test_a_large_territory_tests_points_through_its_trees(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(territory_module, "SCAN_AT_MOST", 0)  # as if it had more geozones than scanned
    near = zone(geozones=[circle(*CALGARY, 1500)])
    square = zone(geozones=[area(SQUARE)])
    territory = Territory([near, square])

    assert territory.zones_of(Locatable(point=NORTH_OF_CALGARY)) == {near.id, square.id}
    assert territory.zones_of(Locatable(point=(-114.05, 51.09))) == {square.id}
    assert territory.zones_of(Locatable(point=(0.0, 0.0))) == frozenset()
