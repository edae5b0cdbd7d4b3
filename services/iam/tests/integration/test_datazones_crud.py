"""``/datazones`` and ``/datazones/{id}``: create, read, list, replace and delete, with every
documented error, against real PostgreSQL and NATS."""

from __future__ import annotations

import uuid

from datazones_harness import (
    create_datazone,
    datazone_body,
    group,
    known_contract,
    known_entity,
    known_industry,
    member,
)
from iam_harness import Iam, Tenant, assert_error, known_party, provisioned_tenant, recorded_events

from iam.repositories import datazone_replicas
from iam.repositories.user_replica import apply_user

ADDRESS = {"name": "Center", "country": "gb", "region": "nottinghamshire", "city": "newark"}


async def test_create_and_read_a_commercial_zone(service: Iam, tenant: Tenant) -> None:
    owner = await known_party(service, tenant)
    industry, entity, contract = (
        await known_industry(service, tenant),
        await known_entity(service, tenant),
        await known_contract(service, tenant),
    )
    body = datazone_body(
        "Vancouver Greater",
        "commercial",
        is_dynamic=True,
        owner_ids=[str(owner)],
        industry_ids=[str(industry)],
        entity_ids=[str(entity)],
        contract_ids=[str(contract)],
    )
    response = await service.http.post("/datazones", headers=member(service, tenant), json=body)
    assert response.status_code == 201, response.text
    made = response.json()["data"]
    assert made["type"] == "commercial"
    assert made["is_dynamic"] is True
    assert made["owner_ids"] == [str(owner)]
    assert made["industry_ids"] == [str(industry)]
    assert made["entity_ids"] == [str(entity)]
    assert made["contract_ids"] == [str(contract)]
    assert made["addresses"] == []
    assert sorted(made["__permissions__"]) == sorted(
        ["datazones.view", "datazones.create", "datazones.update", "datazones.delete"]
    )
    read = await service.http.get(f"/datazones/{made['id']}", headers=tenant.admin)
    assert read.status_code == 200
    shown = read.json()["data"]
    assert shown["owner_ids"] == [str(owner)]
    assert "__permissions__" not in shown
    events = await recorded_events(service, made["id"])
    assert [e["type"] for e in events] == ["iam.datazone.created"]
    assert events[0]["version"] == 1
    data = events[0]["data"]
    assert data["contract"] == 1
    assert data["type"] == "commercial"
    assert data["geozones"] == []
    assert data["industry_ids"] == [str(industry)]
    assert data["suspended_at"] is None


async def test_a_geo_zone_keeps_its_addresses(service: Iam, tenant: Tenant) -> None:
    made = await create_datazone(service, tenant, "Calgary", "geo", addresses=[ADDRESS, {"country": "gb"}])
    assert made["addresses"][0]["city"] == "newark"
    assert made["addresses"][1]["region"] is None


async def test_hard_rules_of_the_types(service: Iam, tenant: Tenant) -> None:
    commercial = datazone_body("C", "commercial", addresses=[ADDRESS])
    response = await service.http.post("/datazones", headers=tenant.admin, json=commercial)
    assert_error(response, "eValidationError")
    assert "commercial" in response.json()["errors"][0]["message"]
    industry = await known_industry(service, tenant)
    geo = datazone_body("G", "geo", industry_ids=[str(industry)])
    response = await service.http.post("/datazones", headers=tenant.admin, json=geo)
    assert_error(response, "eValidationError")
    assert "industries" in response.json()["errors"][0]["message"]


async def test_validation_errors(service: Iam, tenant: Tenant) -> None:
    for body in (
        datazone_body("x" * 151),
        datazone_body("Zone", description="d" * 5001),
        datazone_body("Zone", "other"),
        datazone_body("Zone", addresses=[{"city": "newark"}]),
        datazone_body("Zone", entity_ids=["not-a-uuid"]),
        {"type": "geo"},
    ):
        assert_error(
            await service.http.post("/datazones", headers=tenant.admin, json=body), "eValidationError"
        )


async def test_missing_references(service: Iam, tenant: Tenant) -> None:
    other = await provisioned_tenant(service)
    foreign_entity = await known_entity(service, other)
    deleted_entity = await known_entity(service, tenant, deleted=True)
    cases = {
        "eAttemptSaveWithMissingEntities": {"entity_ids": [str(uuid.uuid4())]},
        "eAttemptSaveWithMissingContracts": {"contract_ids": [str(await known_contract(service, other))]},
        "eAttemptSaveWithMissingOwners": {"owner_ids": [str(await known_party(service, other))]},
    }
    for code, fields in cases.items():
        response = await service.http.post("/datazones", headers=tenant.admin, json=datazone_body(**fields))
        assert_error(response, code)
    for entity in (foreign_entity, deleted_entity):
        body = datazone_body(entity_ids=[str(entity)])
        assert_error(
            await service.http.post("/datazones", headers=tenant.admin, json=body),
            "eAttemptSaveWithMissingEntities",
        )
    body = datazone_body("C", "commercial", industry_ids=[str(uuid.uuid4())])
    assert_error(
        await service.http.post("/datazones", headers=tenant.admin, json=body),
        "eAttemptSaveWithMissingIndustries",
    )


async def test_replace_keeps_the_type_and_bumps_the_version(service: Iam, tenant: Tenant) -> None:
    made = await create_datazone(service, tenant, "Zone")
    url = f"/datazones/{made['id']}"
    same = await service.http.put(url, headers=tenant.admin, json=datazone_body("Zone"))
    assert same.status_code == 200
    assert [e["type"] for e in await recorded_events(service, made["id"])] == ["iam.datazone.created"]
    changed = await service.http.put(
        url,
        headers=tenant.admin,
        json=datazone_body("Renamed", addresses=[ADDRESS], suspended_at="2020-01-01T00:00:00Z"),
    )
    assert changed.status_code == 200, changed.text
    shown = changed.json()["data"]
    assert shown["name"] == "Renamed"
    assert shown["suspended_at"] is not None
    assert not shown["suspended_at"].startswith("2020")  # the server's clock
    events = await recorded_events(service, made["id"])
    assert [(e["type"], e["version"]) for e in events] == [
        ("iam.datazone.created", 1),
        ("iam.datazone.updated", 2),
    ]
    assert_error(
        await service.http.put(url, headers=tenant.admin, json=datazone_body("Zone", "commercial")),
        "eAttemptTypeChange",
    )


async def test_replace_keeps_ids_already_held(service: Iam, tenant: Tenant) -> None:
    entity = await known_entity(service, tenant)
    made = await create_datazone(service, tenant, entity_ids=[str(entity)])
    async with service.wired.unit_of_work() as uow:
        await datazone_replicas.entities.apply(
            uow.session, tenant_id=tenant.id, object_id=entity, deleted=True, version=2
        )
        await uow.commit()
    echoed = datazone_body(entity_ids=[str(entity)], description="changed")
    response = await service.http.put(f"/datazones/{made['id']}", headers=tenant.admin, json=echoed)
    assert response.status_code == 200, response.text


async def test_unknown_ids_and_other_tenants(service: Iam, tenant: Tenant) -> None:
    other = await provisioned_tenant(service)
    theirs = await create_datazone(service, other)
    for target in (str(uuid.uuid4()), "not-a-uuid", theirs["id"]):
        url = f"/datazones/{target}"
        assert_error(await service.http.get(url, headers=tenant.admin), "eDataZoneNotFound")
        assert_error(
            await service.http.put(url, headers=tenant.admin, json=datazone_body()), "eDataZoneNotFound"
        )
        assert_error(await service.http.delete(url, headers=tenant.admin), "eDataZoneNotFound")
        assert_error(await service.http.get(f"{url}/geozones", headers=tenant.admin), "eDataZoneNotFound")
    listed = await service.http.get("/datazones", headers=tenant.admin, params={"ids[]": theirs["id"]})
    assert listed.json()["data"] == []


async def test_delete_is_soft_and_final_for_put(service: Iam, tenant: Tenant) -> None:
    made = await create_datazone(service, tenant)
    url = f"/datazones/{made['id']}"
    assert (await service.http.delete(url, headers=tenant.admin)).status_code == 204
    assert (await service.http.delete(url, headers=tenant.admin)).status_code == 204
    shown = (await service.http.get(url, headers=tenant.admin)).json()["data"]
    assert shown["deleted_at"] is not None
    assert_error(await service.http.put(url, headers=tenant.admin, json=datazone_body()), "eDataZoneNotFound")
    events = await recorded_events(service, made["id"])
    assert [(e["type"], e["version"]) for e in events] == [
        ("iam.datazone.created", 1),
        ("iam.datazone.deleted", 2),
    ]
    listed = await service.http.get("/datazones", headers=tenant.admin)
    assert made["id"] not in [zone["id"] for zone in listed.json()["data"]]
    named = await service.http.get("/datazones", headers=tenant.admin, params={"ids[]": made["id"]})
    assert [zone["id"] for zone in named.json()["data"]] == [made["id"]]


async def test_permissions_are_checked(service: Iam, tenant: Tenant) -> None:
    made = await create_datazone(service, tenant)
    viewer = member(service, tenant, ("datazones.view",))
    url = f"/datazones/{made['id']}"
    assert (await service.http.get(url, headers=viewer)).status_code == 200
    for response in (
        await service.http.post("/datazones", headers=viewer, json=datazone_body()),
        await service.http.put(url, headers=viewer, json=datazone_body()),
        await service.http.delete(url, headers=viewer),
        await service.http.put(f"{url}/geozones", headers=viewer, json={"data": []}),
        await service.http.patch("/datazones", headers=viewer, json={"data": [{"id": made["id"]}]}),
    ):
        assert_error(response, "ePermissionDenied", 403)
    nobody = member(service, tenant, ())
    assert_error(await service.http.get("/datazones", headers=nobody), "ePermissionDenied", 403)
    assert_error(await service.http.get(url, headers=nobody), "ePermissionDenied", 403)


async def test_list_filters_sorts_and_pages(service: Iam) -> None:
    tenant = await provisioned_tenant(service)
    entity = await known_entity(service, tenant)
    alpha = await create_datazone(service, tenant, "Alpha north", description="harbour side")
    beta = await create_datazone(service, tenant, "Beta", "commercial", entity_ids=[str(entity)])
    gamma = await create_datazone(service, tenant, "Gamma", description="northern hills")

    async def listed(**params: str) -> list[str]:
        response = await service.http.get("/datazones", headers=tenant.admin, params=params)
        assert response.status_code == 200, response.text
        return [zone["name"] for zone in response.json()["data"]]

    assert await listed() == ["Alpha north", "Beta", "Gamma"]
    assert await listed(sort="-name") == ["Gamma", "Beta", "Alpha north"]
    assert await listed(type="commercial") == ["Beta"]
    assert await listed(keywords="north") == ["Alpha north", "Gamma"]
    assert await listed(keywords="harb") == ["Alpha north"]
    assert await listed(entity_id=str(entity)) == ["Beta"]
    assert await listed(**{"ids[]": f"{alpha['id']},{gamma['id']}"}) == ["Alpha north", "Gamma"]
    assert await listed(sort="-created") == ["Gamma", "Beta", "Alpha north"]
    page = await service.http.get("/datazones", headers=tenant.admin, params={"per_page": "2", "page": "1"})
    body = page.json()
    assert [zone["id"] for zone in body["data"]] == [gamma["id"]]
    assert body["pagination"] == {"page": 1, "per_page": 2, "total": 3}
    assert page.headers["X-Total-Count"] == "3"
    shown = (await service.http.get("/datazones", headers=tenant.admin)).json()["data"][1]
    assert shown["id"] == beta["id"]
    assert "owner_ids" not in shown
    assert "addresses" not in shown
    assert "stats" not in shown
    for params in (
        {"keywords": "a"},
        {"type": "x"},
        {"entity_id": "x"},
        {"sort": "+nope"},
        {"include[]": "x"},
    ):
        assert_error(
            await service.http.get("/datazones", headers=tenant.admin, params=params), "eValidationError"
        )


async def test_counts_reach_through_territory_groups(service: Iam) -> None:
    tenant = await provisioned_tenant(service)
    zone = await create_datazone(service, tenant, "Reached")
    lone = await create_datazone(service, tenant, "Lone")
    zone_id = uuid.UUID(zone["id"])
    territory = await group(service, tenant, "territory", items=(zone_id,))
    wider = await group(service, tenant, "territory", inherits=(territory,))
    direct = await group(service, tenant, "operational", inherits=(territory,))
    await group(service, tenant, "operational", inherits=(wider,))
    await group(service, tenant, "operational", inherits=(direct,))  # through another operational
    await group(service, tenant, "operational", inherits=(territory,), suspended=True)  # contributes nothing
    suspended_territory = await group(service, tenant, "territory", items=(zone_id,), suspended=True)
    await group(service, tenant, "operational", inherits=(suspended_territory,))
    one = await service.http.get(
        f"/datazones/{zone['id']}", headers=tenant.admin, params={"include[]": "counts"}
    )
    assert one.json()["data"]["stats"] == [{"operational": 3}]
    response = await service.http.get(
        "/datazones",
        headers=tenant.admin,
        params={"include[]": "counts", "sort": "-total_operational_groups"},
    )
    assert [(z["name"], z["stats"]) for z in response.json()["data"]] == [
        ("Reached", [{"operational": 3}]),
        ("Lone", [{"operational": 0}]),
    ]
    assert lone["id"] == response.json()["data"][1]["id"]


async def test_an_owner_may_be_named_by_a_legacy_user_id(service: Iam, tenant: Tenant) -> None:
    party, user = await known_party(service, tenant), uuid.uuid4()
    async with service.wired.unit_of_work() as uow:
        await apply_user(
            uow.session, tenant_id=tenant.id, user_id=user, party_id=party, deleted_at=None, version=1
        )
        await uow.commit()
    made = await create_datazone(service, tenant, owner_ids=[str(user), str(party)])
    assert made["owner_ids"] == [str(party)]
