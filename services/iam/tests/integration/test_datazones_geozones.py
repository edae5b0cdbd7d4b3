"""``GET`` / ``PUT /datazones/{id}/geozones``: the whole set replaced, ids kept, replaced or
new, omitted ones deleted; commercial zones take none; each change a new version."""

from __future__ import annotations

import uuid
from typing import Any

from datazones_harness import create_datazone
from iam_harness import Iam, Tenant, assert_error, recorded_events

SQUARE = "POLYGON((100.2 48.3, 101.3 48.3, 101.3 48.6, 100.2 48.6, 100.2 48.3))"


async def _put(
    service: Iam, tenant: Tenant, zone_id: str, data: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    response = await service.http.put(
        f"/datazones/{zone_id}/geozones", headers=tenant.admin, json={"data": data}
    )
    assert response.status_code == 200, response.text
    saved: list[dict[str, Any]] = response.json()["data"]
    return saved


async def test_create_update_replace_and_delete(service: Iam, tenant: Tenant) -> None:
    zone = await create_datazone(service, tenant, "Vancouver")
    first = await _put(
        service,
        tenant,
        zone["id"],
        [
            {"id": None, "name": "Downtown", "long": None, "lat": None, "radius": None, "wkt": SQUARE},
            {"id": None, "name": "Office", "long": 100.213, "lat": 48.234, "radius": 0, "wkt": None},
            {"id": None, "name": "Other", "long": 99.111, "lat": 44.222, "radius": 30, "wkt": None},
        ],
    )
    assert [g["name"] for g in first] == ["Downtown", "Office", "Other"]
    assert all(uuid.UUID(g["id"]) for g in first)
    assert first[0]["wkt"].startswith("POLYGON")
    assert first[0]["lat"] is None
    assert first[1] | {"id": None} == {
        "id": None,
        "name": "Office",
        "long": 100.213,
        "lat": 48.234,
        "radius": 0,
        "wkt": None,
    }

    other_zone = await create_datazone(service, tenant, "Elsewhere")
    theirs = await _put(service, tenant, other_zone["id"], [{"name": "Theirs", "long": 1, "lat": 1}])
    second = await _put(
        service,
        tenant,
        zone["id"],
        [
            {
                "id": first[1]["id"],
                "name": "Head office",
                "long": 100.3,
                "lat": 48.2,
                "radius": 10,
                "wkt": None,
            },
            {"id": str(uuid.uuid4()), "name": "Unknown id", "long": 1, "lat": 2},
            {"id": theirs[0]["id"], "name": "Another zone's id", "long": 3, "lat": 4},
        ],
    )
    assert second[0]["id"] == first[1]["id"]
    assert second[0]["name"] == "Head office"
    assert second[1]["id"] not in {g["id"] for g in first}
    assert second[2]["id"] != theirs[0]["id"]
    listed = await service.http.get(f"/datazones/{zone['id']}/geozones", headers=tenant.admin)
    assert listed.json()["data"] == second
    untouched = await service.http.get(f"/datazones/{other_zone['id']}/geozones", headers=tenant.admin)
    assert untouched.json()["data"] == theirs

    events = await recorded_events(service, zone["id"])
    assert [(e["type"], e["version"]) for e in events] == [
        ("iam.datazone.created", 1),
        ("iam.datazone.updated", 2),
        ("iam.datazone.updated", 3),
    ]
    assert [g["id"] for g in events[-1]["data"]["geozones"]] == [g["id"] for g in second]
    again = await _put(service, tenant, zone["id"], second)
    assert again == second
    assert len(await recorded_events(service, zone["id"])) == 3  # the same set: no new version
    assert await _put(service, tenant, zone["id"], []) == []
    assert (await service.http.get(f"/datazones/{zone['id']}/geozones", headers=tenant.admin)).json()[
        "data"
    ] == []


async def test_the_list_includes_geozones(service: Iam, tenant: Tenant) -> None:
    zone = await create_datazone(service, tenant, "With geozones")
    saved = await _put(service, tenant, zone["id"], [{"name": "Point", "long": 1, "lat": 1, "radius": 5}])
    await create_datazone(service, tenant, "Commercial", "commercial")
    response = await service.http.get(
        "/datazones", headers=tenant.admin, params={"include[]": "geozones", "keywords": "geozones"}
    )
    assert [z["geo_zones"] for z in response.json()["data"]] == [saved]
    response = await service.http.get(
        "/datazones", headers=tenant.admin, params={"include[]": "geozones", "type": "commercial"}
    )
    assert all(z["geo_zones"] == [] for z in response.json()["data"])


async def test_commercial_zones_take_no_geozones(service: Iam, tenant: Tenant) -> None:
    zone = await create_datazone(service, tenant, "Commercial", "commercial")
    url = f"/datazones/{zone['id']}/geozones"
    response = await service.http.put(url, headers=tenant.admin, json={"data": [{"long": 1, "lat": 1}]})
    assert_error(response, "eAttemptSaveGeoOnIncorrectType")
    assert (await service.http.get(url, headers=tenant.admin)).json()["data"] == []


async def test_invalid_geozones(service: Iam, tenant: Tenant) -> None:
    zone = await create_datazone(service, tenant)
    url = f"/datazones/{zone['id']}/geozones"
    for data in (
        [{"long": 181, "lat": 0}],
        [{"long": 0, "lat": 91}],
        [{"long": 0, "lat": 0, "radius": -1}],
        [{"wkt": "POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))"}],
        [{"wkt": "LINESTRING(0 0, 1 1)"}],
        [{"wkt": SQUARE, "long": 100.5, "lat": 48.4}],
        [{"name": "no place"}],
        "not a list",
    ):
        assert_error(
            await service.http.put(url, headers=tenant.admin, json={"data": data}), "eValidationError"
        )
    assert_error(await service.http.put(url, headers=tenant.admin, json=[]), "eValidationError")
    missing = f"/datazones/{uuid.uuid4()}/geozones"
    assert_error(
        await service.http.put(missing, headers=tenant.admin, json={"data": []}), "eDataZoneNotFound"
    )
    await service.http.delete(f"/datazones/{zone['id']}", headers=tenant.admin)
    assert_error(await service.http.put(url, headers=tenant.admin, json={"data": []}), "eDataZoneNotFound")
