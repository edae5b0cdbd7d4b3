"""Assets through HTTP: create, read, replace and delete as seed 004 documents them, the
events each change records, and tenancy (another tenant's ids are not found)."""

from __future__ import annotations

import uuid

from assets_support import (
    Assets,
    Tenant,
    assert_error,
    asset_body,
    create,
    known_party,
    provisioned_tenant,
    recorded_events,
)


async def test_an_asset_is_created_read_replaced_and_deleted(service: Assets, tenant: Tenant) -> None:
    party = await known_party(service, tenant)
    made = await create(
        service,
        tenant,
        "Main site",
        type_id=tenant.type_id("site"),
        party_ids=[],
        address={"street": "station road", "city": "newark", "region": "notts", "country": "gb"},
        geo={"lat": 53.1, "long": -0.75, "radius": 100},
        phone="+15551112222",
    )
    assert made["geo"] == {"lat": 53.1, "long": -0.75, "radius": 100, "wkt": None}
    assert made["address"]["city"] == "newark"
    assert "__permissions__" not in made  # a system admin's checks are bypassed
    read = await service.http.get(f"/assets/{made['id']}", headers=tenant.member)
    assert read.status_code == 200, read.text
    assert read.json()["data"]["__permissions__"] == sorted(
        ["assets.view", "assets.create", "assets.update", "assets.delete"]
    )

    unit = await create(service, tenant, "Unit 1", type_id=tenant.type_id("unit"), parent_id=made["id"])
    replaced = await service.http.put(
        f"/assets/{unit['id']}",
        headers=tenant.admin,
        json=asset_body(
            "Unit 1a", type_id=tenant.type_id("unit"), parent_id=made["id"], party_ids=[str(party)]
        ),
    )
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["data"]["name"] == "Unit 1a"
    assert replaced.json()["data"]["party_ids"] == [str(party)]

    deleted = await service.http.delete(f"/assets/{unit['id']}", headers=tenant.admin)
    assert deleted.status_code == 204
    still = await service.http.get(f"/assets/{unit['id']}", headers=tenant.admin)
    assert still.json()["data"]["deleted_at"] is not None

    events = await recorded_events(service, unit["id"])
    assert [e["type"] for e in events] == [
        "assets.asset.created",
        "assets.asset.updated",
        "assets.asset.deleted",
    ]
    assert [e["version"] for e in events] == [1, 2, 3]
    state = events[1]["data"]
    assert state["contract"] == 1
    assert state["parent_id"] == made["id"]
    assert state["type_id"] == tenant.type_id("unit")
    assert {"address", "geo", "point", "entity_id", "is_hidden", "suspended_at", "deleted_at"} <= set(state)
    site_state = (await recorded_events(service, made["id"]))[0]["data"]
    assert site_state["point"] == {"long": -0.75, "lat": 53.1}


async def test_a_put_that_changes_nothing_publishes_nothing(service: Assets, tenant: Tenant) -> None:
    made = await create(service, tenant, "Quiet")
    again = await service.http.put(f"/assets/{made['id']}", headers=tenant.admin, json=asset_body("Quiet"))
    assert again.status_code == 200, again.text
    assert [e["type"] for e in await recorded_events(service, made["id"])] == ["assets.asset.created"]


async def test_suspension_takes_the_servers_time(service: Assets, tenant: Tenant) -> None:
    made = await create(service, tenant, "Paused", suspended_at="2001-01-01T00:00:00Z")
    assert made["suspended_at"] is not None
    assert not made["suspended_at"].startswith("2001")


async def test_unknown_ids_are_the_documented_400s(service: Assets, tenant: Tenant) -> None:
    missing = uuid.uuid4()
    assert_error(await service.http.get(f"/assets/{missing}", headers=tenant.admin), "eAssetNotFound")
    assert_error(await service.http.get("/assets/not-a-uuid", headers=tenant.admin), "eAssetNotFound")
    assert_error(
        await service.http.put(f"/assets/{missing}", headers=tenant.admin, json=asset_body()),
        "eAssetNotFound",
    )
    assert_error(await service.http.delete(f"/assets/{missing}", headers=tenant.admin), "eAssetNotFound")
    for field, code in (
        ("type_id", "eAssetTypeNotFound"),
        ("parent_id", "eParentNotFound"),
        ("entity_id", "eEntityNotFound"),
    ):
        body = asset_body(**{field: str(uuid.uuid4())})
        assert_error(await service.http.post("/assets", headers=tenant.admin, json=body), code)
    body = asset_body(party_ids=[str(uuid.uuid4())])
    assert_error(
        await service.http.post("/assets", headers=tenant.admin, json=body), "eAttemptSaveWithMissingParties"
    )
    body = asset_body(service_ids=[str(uuid.uuid4())])
    assert_error(
        await service.http.post("/assets", headers=tenant.admin, json=body), "eAttemptSaveWithMissingServices"
    )


async def test_a_deleted_party_is_missing(service: Assets, tenant: Tenant) -> None:
    gone = await known_party(service, tenant, deleted=True)
    body = asset_body(party_ids=[str(gone)])
    assert_error(
        await service.http.post("/assets", headers=tenant.admin, json=body), "eAttemptSaveWithMissingParties"
    )


async def test_another_tenants_ids_are_not_found(service: Assets, tenant: Tenant) -> None:
    other = await provisioned_tenant(service)
    theirs = await create(service, other, "Theirs", type_id=other.type_id("site"))
    their_party = await known_party(service, other)
    assert_error(await service.http.get(f"/assets/{theirs['id']}", headers=tenant.admin), "eAssetNotFound")
    assert_error(
        await service.http.put(f"/assets/{theirs['id']}", headers=tenant.admin, json=asset_body()),
        "eAssetNotFound",
    )
    assert_error(await service.http.delete(f"/assets/{theirs['id']}", headers=tenant.admin), "eAssetNotFound")
    for body, code in (
        (asset_body(type_id=other.type_id("site")), "eAssetTypeNotFound"),
        (asset_body(parent_id=theirs["id"]), "eParentNotFound"),
        (asset_body(party_ids=[str(their_party)]), "eAttemptSaveWithMissingParties"),
    ):
        assert_error(await service.http.post("/assets", headers=tenant.admin, json=body), code)
    listed = await service.http.get("/assets", headers=tenant.admin, params={"ids[]": theirs["id"]})
    assert listed.json()["data"] == []


async def test_permissions_are_checked(service: Assets, tenant: Tenant) -> None:
    viewer = service.headers(tenant.id, permissions=("assets.view",))
    refused = await service.http.post("/assets", headers=viewer, json=asset_body())
    assert_error(refused, "ePermissionDenied", 403)
    nobody = service.headers(tenant.id)
    assert_error(await service.http.get("/assets", headers=nobody), "ePermissionDenied", 403)


async def test_field_limits_are_validation_errors(service: Assets, tenant: Tenant) -> None:
    for body in (
        asset_body(name=""),
        asset_body(name="x" * 151),
        asset_body(description="x" * 5001),
        asset_body(phone="555-1234"),
        asset_body(year_built="x" * 51),
        asset_body(contract_ids=["not-a-uuid"]),
        asset_body(address={"city": "newark"}),
        {"description": "no name"},
    ):
        assert_error(await service.http.post("/assets", headers=tenant.admin, json=body), "eValidationError")
