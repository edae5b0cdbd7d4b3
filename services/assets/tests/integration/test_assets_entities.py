"""Entities: create, read, replace, list and delete, their owners and contacts, the ids they
must name, their events, tenancy, and assets that name them."""

from __future__ import annotations

import uuid
from typing import Any

from assets_support import (
    Assets,
    Tenant,
    assert_error,
    create,
    known_party,
    provisioned_tenant,
    recorded_events,
)

from assets.domain.asset_types import type_id


def role(tenant: Tenant, key: str) -> str:
    return str(type_id(tenant.id, f"entity-role:{key}"))


def client_type(tenant: Tenant) -> str:
    return str(type_id(tenant.id, "entity-type:client"))


def entity_body(tenant: Tenant, name: str = "Acme", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name, "type_id": client_type(tenant)}
    body.update(overrides)
    return body


async def test_an_entity_with_owners_and_contacts(service: Assets, tenant: Tenant) -> None:
    owner, contact = await known_party(service, tenant), await known_party(service, tenant)
    industry = (await service.http.post("/industries", headers=tenant.admin, json={"name": "Mining"})).json()[
        "data"
    ]
    body = entity_body(
        tenant,
        industry_id=industry["id"],
        url="https://acme.example.com",
        addresses=[{"country": "gb", "region": "notts"}],
        owners=[{"id": str(owner), "role_id": role(tenant, "account_owner")}],
        contacts=[{"id": str(contact), "role_id": role(tenant, "primary_contact")}],
    )
    made = await service.http.post("/entities", headers=tenant.admin, json=body)
    assert made.status_code == 201, made.text
    entity = made.json()["data"]
    assert entity["owners"] == [{"id": str(owner), "role_id": role(tenant, "account_owner")}]
    assert entity["addresses"][0]["region"] == "notts"
    read = await service.http.get(
        f"/entities/{entity['id']}", headers=service.headers(tenant.id, permissions=("entities.view",))
    )
    assert read.json()["data"]["__permissions__"] == ["entities.view"]
    replaced = await service.http.put(
        f"/entities/{entity['id']}", headers=tenant.admin, json=entity_body(tenant, "Acme Ltd")
    )
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["data"]["owners"] == []
    listed = await service.http.get("/entities", headers=tenant.admin, params={"keywords": "acm"})
    assert [item["name"] for item in listed.json()["data"]] == ["Acme Ltd"]

    # An asset may name the entity (not a container), and keeps it after the entity is deleted.
    site = await create(service, tenant, "Site", type_id=tenant.type_id("site"))
    unit = await create(
        service, tenant, "Unit", type_id=tenant.type_id("unit"), parent_id=site["id"], entity_id=entity["id"]
    )
    assert unit["entity_id"] == entity["id"]
    assert_error(
        await service.http.put(
            f"/assets/{site['id']}",
            headers=tenant.admin,
            json={
                "name": "Site",
                "description": "",
                "type_id": tenant.type_id("site"),
                "entity_id": entity["id"],
            },
        ),
        "eEntityNotPermitted",
    )
    assert (await service.http.delete(f"/entities/{entity['id']}", headers=tenant.admin)).status_code == 204
    again = {
        "name": "Unit 2",
        "description": "",
        "type_id": tenant.type_id("unit"),
        "parent_id": site["id"],
        "entity_id": entity["id"],
    }
    assert (
        await service.http.put(f"/assets/{unit['id']}", headers=tenant.admin, json=again)
    ).status_code == 200
    assert_error(await service.http.post("/assets", headers=tenant.admin, json=again), "eEntityNotFound")
    events = await recorded_events(service, entity["id"])
    assert [e["type"] for e in events] == [
        "assets.entity.created",
        "assets.entity.updated",
        "assets.entity.deleted",
    ]
    assert events[0]["data"]["owners"] == [{"party_id": str(owner), "role_id": role(tenant, "account_owner")}]


async def test_the_ids_an_entity_names_must_exist(service: Assets, tenant: Tenant) -> None:
    party = await known_party(service, tenant)
    other = await provisioned_tenant(service)
    cases = [
        (entity_body(tenant, type_id=str(uuid.uuid4())), "eEntityTypeNotFound"),
        (entity_body(tenant, type_id=client_type(other)), "eEntityTypeNotFound"),
        (entity_body(tenant, industry_id=str(uuid.uuid4())), "eAttemptSaveWithMissingIndustries"),
        (entity_body(tenant, service_ids=[str(uuid.uuid4())]), "eAttemptSaveWithMissingServices"),
        # An owner in a contact's role, and a role of another tenant.
        (
            entity_body(tenant, owners=[{"id": str(party), "role_id": role(tenant, "primary_contact")}]),
            "eAttemptSaveWithMissingRoles",
        ),
        (
            entity_body(tenant, contacts=[{"id": str(party), "role_id": role(other, "primary_contact")}]),
            "eAttemptSaveWithMissingRoles",
        ),
        (
            entity_body(tenant, owners=[{"id": str(uuid.uuid4()), "role_id": role(tenant, "account_owner")}]),
            "eAttemptSaveWithMissingOwners",
        ),
        (
            entity_body(
                tenant, contacts=[{"id": str(uuid.uuid4()), "role_id": role(tenant, "billing_contact")}]
            ),
            "eAttemptSaveWithMissingContacts",
        ),
        (entity_body(tenant, url="ftp://nope"), "eValidationError"),
        (entity_body(tenant, name="x" * 151), "eValidationError"),
        (entity_body(tenant, contract_ids=["not-a-uuid"]), "eValidationError"),
    ]
    for body, code in cases:
        assert_error(await service.http.post("/entities", headers=tenant.admin, json=body), code)
    theirs = (await service.http.post("/entities", headers=other.admin, json=entity_body(other))).json()[
        "data"
    ]
    for target in (theirs["id"], str(uuid.uuid4()), "nope"):
        assert_error(await service.http.get(f"/entities/{target}", headers=tenant.admin), "eEntityNotFound")
        assert_error(
            await service.http.delete(f"/entities/{target}", headers=tenant.admin), "eEntityNotFound"
        )
    assert_error(
        await service.http.put(f"/entities/{theirs['id']}", headers=tenant.admin, json=entity_body(tenant)),
        "eEntityNotFound",
    )
    body = {"name": "U", "description": "", "entity_id": theirs["id"]}
    assert_error(await service.http.post("/assets", headers=tenant.admin, json=body), "eEntityNotFound")


async def test_entity_rows_apply_or_fail_alone(service: Assets, tenant: Tenant) -> None:
    first = (
        await service.http.post("/entities", headers=tenant.admin, json=entity_body(tenant, "First"))
    ).json()["data"]
    second = (
        await service.http.post("/entities", headers=tenant.admin, json=entity_body(tenant, "Second"))
    ).json()["data"]
    rows = [
        {"id": first["id"], "suspended_at": "2020-01-01T00:00:00Z"},
        {"id": second["id"], "service_id_assign": str(uuid.uuid4()), "suspended_at": "2020-01-01T00:00:00Z"},
        {"id": second["id"], "contract_id_assign": str(uuid.uuid4())},
        {"id": second["id"], "deleted_at": "2020-01-01T00:00:00Z"},
        {"id": str(uuid.uuid4()), "deleted_at": None},
    ]
    response = await service.http.patch("/entities", headers=tenant.admin, json={"data": rows})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [item["id"] for item in body["data"]] == [first["id"], second["id"]]
    assert [e["code"] for e in body["errors"]] == [
        "eAttemptSaveWithMissingServices",
        "eServiceUnavailable",  # contract links go to contracts, not configured here
        "eEntityNotFound",
    ]
    assert body["data"][0]["suspended_at"] is not None
    gone = (await service.http.get(f"/entities/{second['id']}", headers=tenant.admin)).json()["data"]
    assert gone["deleted_at"] is not None
    assert gone["suspended_at"] is None  # its failed row left nothing behind
    restored = await service.http.patch(
        "/entities", headers=tenant.admin, json={"data": [{"id": second["id"], "deleted_at": None}]}
    )
    assert restored.json()["errors"] == []
    assert [e["type"] for e in await recorded_events(service, second["id"])] == [
        "assets.entity.created",
        "assets.entity.deleted",
        "assets.entity.updated",
    ]


async def test_assigning_a_service_names_live_entities_and_a_known_service(
    service: Assets, tenant: Tenant
) -> None:
    made = (await service.http.post("/entities", headers=tenant.admin, json=entity_body(tenant))).json()[
        "data"
    ]
    missing = str(uuid.uuid4())
    url = "/entities/~/actions/assign_service"
    body = {"service_id": str(uuid.uuid4()), "push": [made["id"]], "pull": [missing]}
    refused = await service.http.post(url, headers=tenant.admin, json=body)
    assert_error(refused, "eEntitiesNotFound")
    assert missing in refused.json()["errors"][0]["message"]
    body = {"service_id": str(uuid.uuid4()), "push": [made["id"]], "pull": []}
    assert_error(
        await service.http.post(url, headers=tenant.admin, json=body), "eAttemptSaveWithMissingServices"
    )


async def test_entity_sorts_and_counts(service: Assets, tenant: Tenant) -> None:
    vendor = str(type_id(tenant.id, "entity-type:vendor"))
    post = service.http.post
    a = (
        await post("/entities", headers=tenant.admin, json=entity_body(tenant, "Alpha", description="b"))
    ).json()["data"]
    await post(
        "/entities", headers=tenant.admin, json=entity_body(tenant, "Beta", type_id=vendor, description="a")
    )
    site = await create(service, tenant, "Site", type_id=tenant.type_id("site"))
    unit = await create(
        service, tenant, "U1", type_id=tenant.type_id("unit"), parent_id=site["id"], entity_id=a["id"]
    )
    await create(
        service, tenant, "U2", type_id=tenant.type_id("unit"), parent_id=site["id"], entity_id=a["id"]
    )

    async def names(**params: str) -> list[str]:
        response = await service.http.get("/entities", headers=tenant.admin, params=params)
        assert response.status_code == 200, response.text
        return [item["name"] for item in response.json()["data"]]

    assert await names(sort="+description") == ["Beta", "Alpha"]
    assert await names(sort="-type") == ["Beta", "Alpha"]  # vendor after client
    assert await names(sort="-total_assets") == ["Alpha", "Beta"]
    counted = await service.http.get(
        "/entities", headers=tenant.admin, params={"include[]": "counts", "ids[]": a["id"]}
    )
    assert counted.json()["data"][0]["stats"] == [
        {"assets": 2, "contracts": 0, "datazones": 0, "operational": 0}
    ]
    await service.http.delete(f"/assets/{unit['id']}", headers=tenant.admin)
    counted = await service.http.get(
        "/entities", headers=tenant.admin, params={"include[]": "counts", "ids[]": a["id"]}
    )
    assert counted.json()["data"][0]["stats"][0]["assets"] == 1
