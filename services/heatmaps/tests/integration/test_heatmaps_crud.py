"""Creating, reading, replacing and deleting heatmap configurations, and every error a write
documents (seed 004 "Heatmaps")."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from heatmaps_harness import (
    Heatmaps,
    Tenant,
    assert_error,
    create_heatmap,
    heatmap_body,
    known_field,
    known_group,
    known_party,
    metric,
    recorded_events,
)


async def test_create_read_replace_delete(service: Heatmaps, tenant: Tenant) -> None:
    owner = await known_party(service, tenant)
    group = await known_group(service, tenant, "operational")
    area = await known_field(service, tenant)
    body = heatmap_body(
        "Floor area",
        owner_ids=[str(owner), str(owner)],
        group_ids=[str(group)],
        metrics=[metric(), metric(area, ref="size", calc="avg", ranges=[0, 24, 50.5, 100], label=None)],
        suspended_at="2023-01-01T12:45:00.000Z",
        id=str(uuid.uuid4()),  # ignored: the id is generated
    )
    response = await service.http.post("/heatmaps", headers=tenant.member, json=body)
    assert response.status_code == 201, response.text
    made = response.json()["data"]
    assert made["id"] != body["id"]
    assert made["owner_ids"] == [str(owner)]  # once each
    assert made["group_ids"] == [str(group)]
    assert made["metrics"][1] == {
        "field_id": str(area),
        "label": None,
        "ref": "size",
        "calc": "avg",
        "ranges": [0, 24, 50.5, 100],
    }
    assert made["suspended_at"] is not None
    assert not made["suspended_at"].startswith("2023")
    assert made["type"] == "business"
    assert made["deleted_at"] is None

    read = await service.http.get(f"/heatmaps/{made['id']}", headers=tenant.member)
    assert read.status_code == 200, read.text
    shown = read.json()["data"]
    assert shown["stats"] == [{"groups.operational": 1, "groups.user": 0}]
    assert shown["name"] == "Floor area"
    assert shown["metrics"] == made["metrics"]

    replaced = await service.http.put(
        f"/heatmaps/{made['id']}",
        headers=tenant.member,
        json=heatmap_body("Renamed", description=None, type="user", suspended_at=None),
    )
    assert replaced.status_code == 200, replaced.text
    after = replaced.json()["data"]
    assert (after["name"], after["description"], after["type"]) == ("Renamed", None, "user")
    assert after["owner_ids"] == []
    assert after["suspended_at"] is None
    assert after["updated_at"] is not None

    deleted = await service.http.delete(f"/heatmaps/{made['id']}", headers=tenant.member)
    assert deleted.status_code == 204
    again = await service.http.delete(f"/heatmaps/{made['id']}", headers=tenant.member)
    assert again.status_code == 204  # deleting again changes nothing
    gone = await service.http.get(f"/heatmaps/{made['id']}", headers=tenant.member)
    assert gone.json()["data"]["deleted_at"] is not None
    no_replace = await service.http.put(f"/heatmaps/{made['id']}", headers=tenant.member, json=heatmap_body())
    assert_error(no_replace, "eHeatmapNotFound")

    events = await recorded_events(service, made["id"])
    assert [e["type"] for e in events] == [
        "heatmaps.heatmap.created",
        "heatmaps.heatmap.updated",
        "heatmaps.heatmap.deleted",
    ]
    assert [e["version"] for e in events] == [1, 2, 3]
    assert events[0]["data"]["metrics"] == made["metrics"]
    assert events[0]["data"]["contract"] == 1
    assert events[2]["data"]["deleted_at"] is not None


async def test_a_replace_that_changes_nothing_publishes_nothing(service: Heatmaps, tenant: Tenant) -> None:
    made = await create_heatmap(service, tenant, "Same")
    again = await service.http.put(
        f"/heatmaps/{made['id']}", headers=tenant.member, json=heatmap_body("Same")
    )
    assert again.status_code == 200, again.text
    assert again.json()["data"]["updated_at"] is None
    assert len(await recorded_events(service, made["id"])) == 1


async def test_a_suspended_heatmap_keeps_its_date(service: Heatmaps, tenant: Tenant) -> None:
    made = await create_heatmap(service, tenant, suspended_at="2023-01-01T00:00:00Z")
    again = await service.http.put(
        f"/heatmaps/{made['id']}",
        headers=tenant.member,
        json=heatmap_body(suspended_at="2030-01-01T00:00:00Z"),
    )
    assert again.json()["data"]["suspended_at"] == made["suspended_at"]


@pytest.mark.parametrize("path", ["/heatmaps/not-a-uuid", f"/heatmaps/{uuid.uuid4()}"])
async def test_unknown_ids_are_heatmap_not_found(service: Heatmaps, tenant: Tenant, path: str) -> None:
    assert_error(await service.http.get(path, headers=tenant.member), "eHeatmapNotFound")
    assert_error(await service.http.put(path, headers=tenant.member, json=heatmap_body()), "eHeatmapNotFound")
    assert_error(await service.http.delete(path, headers=tenant.member), "eHeatmapNotFound")


async def test_another_tenants_heatmap_is_not_found(service: Heatmaps, tenant: Tenant) -> None:
    made = await create_heatmap(service, tenant)
    other = Tenant.new(service)
    path = f"/heatmaps/{made['id']}"
    assert_error(await service.http.get(path, headers=other.member), "eHeatmapNotFound")
    assert_error(await service.http.put(path, headers=other.member, json=heatmap_body()), "eHeatmapNotFound")
    assert_error(await service.http.delete(path, headers=other.member), "eHeatmapNotFound")
    assert (await service.http.get(path, headers=tenant.member)).json()["data"]["deleted_at"] is None


async def test_owners_must_be_live_parties_of_the_tenant(service: Heatmaps, tenant: Tenant) -> None:
    other = Tenant.new(service)
    for owner in (
        uuid.uuid4(),
        await known_party(service, tenant, deleted=True),
        await known_party(service, other),
    ):
        response = await service.http.post(
            "/heatmaps", headers=tenant.member, json=heatmap_body(owner_ids=[str(owner)])
        )
        assert_error(response, "eOwnerNotFound")
        assert str(owner) in response.json()["errors"][0]["message"]


async def test_groups_must_be_live_groups_of_the_tenant(service: Heatmaps, tenant: Tenant) -> None:
    made = await create_heatmap(service, tenant)
    other = Tenant.new(service)
    for group in (
        uuid.uuid4(),
        await known_group(service, tenant, deleted=True),
        await known_group(service, other),
    ):
        body = heatmap_body(group_ids=[str(group)])
        assert_error(await service.http.post("/heatmaps", headers=tenant.member, json=body), "eGroupNotFound")
        replaced = await service.http.put(f"/heatmaps/{made['id']}", headers=tenant.member, json=body)
        assert_error(replaced, "eGroupNotFound")


async def test_metric_fields_must_be_live_number_fields(service: Heatmaps, tenant: Tenant) -> None:
    other = Tenant.new(service)
    for field in (
        uuid.uuid4(),
        await known_field(service, tenant, archived=True),
        await known_field(service, tenant, deleted=True),
        await known_field(service, tenant, "text"),
        await known_field(service, other),
    ):
        body = heatmap_body(metrics=[metric(), metric(field, calc="sum")])
        response = await service.http.post("/heatmaps", headers=tenant.member, json=body)
        assert_error(response, "eInvalidMetricField")


def _bad_bodies() -> list[tuple[str, dict[str, Any]]]:
    def with_metric(**overrides: Any) -> dict[str, Any]:
        return heatmap_body(metrics=[metric(**overrides)])

    too_many = [str(uuid.uuid4()) for _ in range(1001)]
    return [
        ("no name", {k: v for k, v in heatmap_body().items() if k != "name"}),
        ("blank name", heatmap_body(name="  ")),
        ("long name", heatmap_body(name="x" * 151)),
        ("long description", heatmap_body(description="x" * 2001)),
        ("bad type", heatmap_body(type="private")),
        ("null type", heatmap_body(type=None)),
        ("null owners", heatmap_body(owner_ids=None)),
        ("bad owner id", heatmap_body(owner_ids=["nope"])),
        ("too many owners", heatmap_body(owner_ids=too_many)),
        ("too many groups", heatmap_body(group_ids=too_many)),
        ("no metrics", {k: v for k, v in heatmap_body().items() if k != "metrics"}),
        ("too many metrics", heatmap_body(metrics=[metric()] * 21)),
        ("bad ref", with_metric(ref="area")),
        ("bad calc", with_metric(calc="median")),
        ("empty ranges", with_metric(ranges=[])),
        ("descending ranges", with_metric(ranges=[10, 5])),
        ("repeated bound", with_metric(ranges=[0, 5, 5])),
        ("text bound", with_metric(ranges=[0, "x"])),
        ("huge bound as text", with_metric(ranges=[0, "1e400"])),
        ("boolean bound", with_metric(ranges=[False, True])),
        ("bad field id", with_metric(field_id="nope")),
        ("long label", with_metric(label="x" * 151)),
        ("metric not an object", heatmap_body(metrics=["count"])),
        ("bad suspended_at", heatmap_body(suspended_at="yesterday")),
    ]


@pytest.mark.parametrize(("case", "body"), _bad_bodies(), ids=[case for case, _ in _bad_bodies()])
async def test_bad_bodies_are_validation_errors(
    service: Heatmaps, tenant: Tenant, case: str, body: dict[str, Any]
) -> None:
    assert_error(await service.http.post("/heatmaps", headers=tenant.member, json=body), "eValidationError")


async def test_a_number_beyond_a_double_is_a_validation_error(service: Heatmaps, tenant: Tenant) -> None:
    raw = b'{"name": "x", "type": "user", "owner_ids": [], "group_ids": [], "metrics": [{"ref": "size", '
    raw += b'"calc": "max", "ranges": [0, 1e400]}]}'
    headers = {**tenant.member, "Content-Type": "application/json"}
    response = await service.http.post("/heatmaps", headers=headers, content=raw)
    assert_error(response, "eValidationError")
