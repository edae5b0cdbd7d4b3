"""``GET /heatmaps/{id}/query`` over points that arrive as assets' events on the real broker:
into the read model, through this replica's map feed, into the answer; scoped by iam's grants
and datazones; another replica (a second feed) loads the same map from the read model."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from heatmaps_harness import CATCH_UP_SECONDS, Heatmaps, Tenant, heatmap_body, known_field, metric

from heatmaps.services.map_feed import MapFeed
from proximity.events.envelope import Event
from proximity.testing.iam_events import (
    datazone_changed,
    eventually,
    grant_entry,
    permissions_updated,
    publish_as,
)

AREA = "POLYGON((0 50, 2 50, 2 52, 0 52, 0 50))"
WORLD = "POLYGON((-180 -85, 180 -85, 180 85, -180 85, -180 -85))"


def asset_event(
    tenant: Tenant, asset_id: uuid.UUID, version: int, long: float | None, lat: float | None, **more: Any
) -> Event:
    verb = "deleted" if more.get("deleted_at") else ("created" if version == 1 else "updated")
    data = {
        "contract": 1,
        "id": str(asset_id),
        "name": more.pop("name", "Depot"),
        "type_id": str(uuid.uuid4()),
        "parent_id": None,
        "entity_id": None,
        "address": more.pop("address", None),
        "geo": None,
        "point": None if long is None else {"long": long, "lat": lat},
        "is_hidden": False,
        "suspended_at": None,
        "deleted_at": None,
        **more,
    }
    return Event(
        type=f"assets.asset.{verb}",
        tenant_id=tenant.id,
        aggregate_id=str(asset_id),
        version=version,
        data=data,
    )


def value_event(
    tenant: Tenant, field: uuid.UUID, asset_id: uuid.UUID, value: int | None, version: int
) -> Event:
    data = {
        "contract": 1,
        "field_id": str(field),
        "field_type": "number",
        "scalefactor": 1,
        "subject_type": "asset",
        "subject_id": str(asset_id),
        "object_type": "asset",
        "object_id": str(asset_id),
        "value": value,
    }
    aggregate = f"{field}:{asset_id}:{asset_id}"
    return Event(
        type="assets.value.updated", tenant_id=tenant.id, aggregate_id=aggregate, version=version, data=data
    )


async def publish(service: Heatmaps, context: str, event: Event) -> None:
    await publish_as(service.wired.runtime.js, context, event)


async def a_heatmap(service: Heatmaps, tenant: Tenant, field: uuid.UUID | None = None) -> str:
    metrics = [metric()]
    if field is not None:
        metrics.append(metric(field, label="Floors", ref="size", calc="sum", ranges=None))
    made = await service.http.post("/heatmaps", headers=tenant.admin, json=heatmap_body(metrics=metrics))
    assert made.status_code == 201, made.text
    return str(made.json()["data"]["id"])


async def query(
    service: Heatmaps, tenant: Tenant, heatmap: str, headers: dict[str, str] | None = None, **params: Any
) -> httpx.Response:
    params.setdefault("bound", AREA)
    params.setdefault("zoom", 16)
    return await service.http.get(
        f"/heatmaps/{heatmap}/query", headers=headers or tenant.admin, params=params
    )


def pins(answer: httpx.Response, entry: int = 0) -> list[dict[str, Any]]:
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = answer.json()["data"][0]["clusters"][entry]["pins"]
    return found


async def shows(
    service: Heatmaps, tenant: Tenant, heatmap: str, expected: Any, **params: Any
) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []

    async def agrees() -> bool:
        nonlocal seen
        seen = pins(await query(service, tenant, heatmap, **params))
        return expected(seen)

    await eventually(agrees, seconds=CATCH_UP_SECONDS)
    return seen


async def test_points_and_values_arrive_move_and_leave(service: Heatmaps, tenant: Tenant) -> None:
    field = await known_field(service, tenant)
    heatmap = await a_heatmap(service, tenant, field)
    first, second = uuid.uuid4(), uuid.uuid4()
    await publish(service, "assets", asset_event(tenant, first, 1, 1.0, 51.0))
    await publish(service, "assets", asset_event(tenant, second, 1, 1.5, 51.5))
    await publish(service, "assets", value_event(tenant, field, first, 125, 1))  # 12.5 (scalefactor 1)
    await publish(service, "assets", value_event(tenant, field, second, 30, 1))
    together = await shows(
        service, tenant, heatmap, lambda p: len(p) == 1 and p[0]["metrics"][1]["total"] == "15.5", zoom=0
    )
    assert together[0]["count"] == "2"
    assert sorted(together[0]["items"]) == sorted([str(first), str(second)])
    assert together[0]["metrics"][0] == {
        "field_id": None, "label": "Total count", "ref": "number", "percent": "100", "total": "2",
    }  # fmt: skip
    apart = pins(await query(service, tenant, heatmap))
    assert sorted((p["long"], p["lat"], p["metrics"][1]["total"]) for p in apart) == [
        ("1", "51", "12.5"),
        ("1.5", "51.5", "3"),
    ]
    # Moved, then a late older state: the pin follows the newer one only.
    await publish(service, "assets", asset_event(tenant, first, 3, 0.5, 50.5))
    await publish(service, "assets", asset_event(tenant, first, 2, 1.9, 51.9))
    await shows(service, tenant, heatmap, lambda p: ("0.5", "50.5") in {(x["long"], x["lat"]) for x in p})
    await publish(
        service, "assets", asset_event(tenant, second, 2, 1.5, 51.5, deleted_at="2026-01-01T00:00:00Z")
    )
    left = await shows(service, tenant, heatmap, lambda p: len(p) == 1)
    assert left[0]["items"] == [str(first)]
    # A value cleared: the pin has no total.
    await publish(service, "assets", value_event(tenant, field, first, None, 2))
    cleared = await shows(service, tenant, heatmap, lambda p: p[0]["metrics"][1]["total"] is None)
    assert cleared[0]["metrics"][1]["percent"] is None


async def test_a_caller_counts_only_the_points_their_territory_reaches(
    service: Heatmaps, tenant: Tenant
) -> None:
    heatmap = await a_heatmap(service, tenant)
    inside, outside = uuid.uuid4(), uuid.uuid4()
    zone = uuid.uuid4()
    await publish(service, "assets", asset_event(tenant, inside, 1, 0.5, 50.5))
    await publish(service, "assets", asset_event(tenant, outside, 1, 1.5, 51.5))
    square = "POLYGON((0 50, 1 50, 1 51, 0 51, 0 50))"
    await publish(
        service,
        "iam",
        datazone_changed(tenant.id, zone, 1, type_="geo", is_dynamic=True, geozones=[{"wkt": square}]),
    )
    party = uuid.uuid4()
    scoped = service.headers(tenant.id, permissions=("heatmaps.view",), party_id=party)
    entries = [grant_entry(["heatmaps.view"], None), grant_entry(["assets.view"], [zone])]
    await publish(service, "iam", permissions_updated(tenant.id, party, 1, entries))
    await shows(service, tenant, heatmap, lambda p: len(p) == 2)

    async def scoped_sees_only_inside() -> bool:
        found = pins(await query(service, tenant, heatmap, headers=scoped))
        return [p["items"] for p in found] == [[str(inside)]]

    await eventually(scoped_sees_only_inside, seconds=CATCH_UP_SECONDS)
    by_zone = await query(service, tenant, heatmap, **{"datazones[]": str(zone), "zoom": 0})
    assert [e["datazone_id"] for e in by_zone.json()["data"][0]["clusters"]] == [str(zone), None]
    assert [p["items"] for p in pins(by_zone, 0)] == [[str(inside)]]
    # Without assets.view anywhere: a heatmap of nothing.
    no_assets = service.headers(tenant.id, permissions=("heatmaps.view",), party_id=uuid.uuid4())
    assert pins(await query(service, tenant, heatmap, headers=no_assets)) == []
    # Without heatmaps.view: refused.
    refused = await query(
        service, tenant, heatmap, headers=service.headers(tenant.id, permissions=("assets.view",))
    )
    assert refused.status_code == 403


async def test_another_tenants_heatmap_and_points_are_not_seen(service: Heatmaps, tenant: Tenant) -> None:
    other = Tenant.new(service)
    theirs = await a_heatmap(service, other)
    await publish(service, "assets", asset_event(other, uuid.uuid4(), 1, 1.0, 51.0))
    ours = await a_heatmap(service, tenant)
    await shows(service, other, theirs, lambda p: len(p) == 1)
    assert pins(await query(service, tenant, ours, zoom=0, bound=WORLD)) == []
    stranger = await query(service, tenant, theirs)
    assert (stranger.status_code, stranger.json()["errors"][0]["code"]) == (400, "eHeatmapNotFound")


async def test_bad_queries_are_400s_naming_the_parameter(service: Heatmaps, tenant: Tenant) -> None:
    heatmap = await a_heatmap(service, tenant)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"zoom": 17}, "zoom"),
        ({"zoom": -1}, "zoom"),
        ({"zoom": "three"}, "zoom"),
        ({"bound": "POLYGON((0 0, 1"}, "bound"),
        ({"bound": "POINT(1 2)"}, "bound"),
        ({"bound": "POLYGON((0 0, 200 0, 200 1, 0 1, 0 0))"}, "bound"),
        ({"bound": "POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))"}, "bound"),
        ({"group_type": "planet"}, "group_type"),
        ({"types[]": "contract"}, "types"),
        ({"query": "depot"}, "type"),
        ({"query": "depot", "type": "colour"}, "type"),
        ({"radius": 0}, "radius"),
        ({"node_size": 100000}, "node_size"),
        ({"show_items_below_size": -1}, "show_items_below_size"),
        ({"datazones[]": "not-a-uuid"}, "datazones"),
    ]
    for params, name in cases:
        answer = await query(service, tenant, heatmap, **params)
        assert answer.status_code == 400, (params, answer.text)
        error = answer.json()["errors"][0]
        assert error["code"] == "eValidationError", params
        assert name in error["message"], (params, error)
    missing = await service.http.get(f"/heatmaps/{heatmap}/query", headers=tenant.admin, params={"zoom": 3})
    assert missing.status_code == 400
    unknown = await query(service, tenant, heatmap, **{"datazones[]": str(uuid.uuid4())})
    assert (unknown.status_code, unknown.json()["errors"][0]["code"]) == (400, "eDataZoneNotFound")
    nowhere = await query(service, tenant, str(uuid.uuid4()))
    assert nowhere.json()["errors"][0]["code"] == "eHeatmapNotFound"
    malformed = await query(service, tenant, "not-an-id")
    assert malformed.json()["errors"][0]["code"] == "eHeatmapNotFound"


async def test_another_replica_loads_the_same_map_from_the_read_model(
    service: Heatmaps, tenant: Tenant
) -> None:
    heatmap = await a_heatmap(service, tenant)
    points = [uuid.uuid4() for _ in range(20)]
    for i, point in enumerate(points):
        await publish(service, "assets", asset_event(tenant, point, 1, 0.05 * i, 50.0 + 0.05 * i))
    await shows(service, tenant, heatmap, lambda p: sum(int(x["count"]) for x in p) == 20, zoom=0)
    replica = MapFeed(service.wired.runtime)
    await replica.catch_up()
    assert replica.loaded.is_set()
    theirs = replica.map_of(tenant.id)
    ours = service.wired.feed.map_of(tenant.id)
    assert len(theirs) == len(ours) == 20
    # and it keeps current on its next pass
    await publish(service, "assets", asset_event(tenant, points[0], 2, 1.9, 51.9))
    await shows(service, tenant, heatmap, lambda p: ("1.9", "51.9") in {(x["long"], x["lat"]) for x in p})
    assert await replica.catch_up() >= 1
