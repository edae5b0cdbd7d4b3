"""Contracts over HTTP: create, read, replace, delete, the role catalogue, and the bad paths
(unknown ids, another tenant's, dates out of order, roles that do not exist)."""

from __future__ import annotations

import uuid

from contracts_harness import (
    Contracts,
    Tenant,
    assert_error,
    contract_body,
    create_contract,
    known_asset,
    known_document,
    known_entity,
    known_party,
    provisioned_tenant,
    recorded_events,
)


async def test_roles_catalogue_has_owner_and_contact_roles(service: Contracts, tenant: Tenant) -> None:
    response = await service.http.get("/contracts/~/roles", headers=tenant.member)
    assert response.status_code == 200, response.text
    roles = response.json()["data"]
    assert {r["type"] for r in roles} == {"owner", "contact"}
    assert tenant.role_id("customer_success") in {r["id"] for r in roles}


async def test_create_get_replace_delete(service: Contracts, tenant: Tenant) -> None:
    owner, contact, party = [await known_party(service, tenant) for _ in range(3)]
    asset, entity = await known_asset(service, tenant), await known_entity(service, tenant)
    medium = await known_document(service, tenant)
    made = await create_contract(
        service,
        tenant,
        "Cleaning",
        starts_at="2022-01-01T12:35:00Z",
        expires_at="2023-01-01T12:35:00Z",
        owners=[{"id": str(owner), "role_id": tenant.role_id("customer_success")}],
        contacts=[{"id": str(contact), "role_id": tenant.role_id("primary_contact")}],
        party_ids=[str(party)],
        asset_ids=[str(asset)],
        entities_ids=[str(entity)],
        media_ids=[str(medium)],
    )
    assert made["asset_ids"] == [str(asset)]
    assert made["entity_ids"] == [str(entity)]
    assert made["owners"] == [{"id": str(owner), "role_id": tenant.role_id("customer_success")}]
    got = await service.http.get(f"/contracts/{made['id']}?include[]=counts", headers=tenant.member)
    assert got.status_code == 200, got.text
    assert got.json()["data"]["stats"] == [{"assets": 1, "entities": 1}]
    assert got.json()["data"]["__permissions__"] == sorted(
        ["contracts.view", "contracts.create", "contracts.update", "contracts.delete"]
    )
    replaced = await service.http.put(
        f"/contracts/{made['id']}", headers=tenant.admin, json=contract_body("Cleaning 2", asset_ids=[])
    )
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["data"]["asset_ids"] == []
    same = await service.http.put(
        f"/contracts/{made['id']}", headers=tenant.admin, json=contract_body("Cleaning 2", asset_ids=[])
    )
    assert same.status_code == 200
    deleted = await service.http.delete(f"/contracts/{made['id']}", headers=tenant.admin)
    assert deleted.status_code == 204
    events = await recorded_events(service, made["id"])
    assert [(e["type"], e["version"]) for e in events] == [
        ("contracts.contract.created", 1),
        ("contracts.contract.updated", 2),
        ("contracts.contract.deleted", 3),
    ]
    assert events[0]["data"]["asset_ids"] == [str(asset)]


async def test_unknown_ids_are_the_documented_codes(service: Contracts, tenant: Tenant) -> None:
    cases = {
        "eAttemptSaveWithMissingAssets": {"asset_ids": [str(uuid.uuid4())]},
        "eAttemptSaveWithMissingEntities": {"entities_ids": [str(uuid.uuid4())]},
        "eAttemptSaveWithMissingParties": {"party_ids": [str(uuid.uuid4())]},
        "eAttemptSaveWithMissingServices": {"service_ids": [str(uuid.uuid4())]},
        "eAttemptSaveWithMissingRoles": {"owners": [{"id": str(uuid.uuid4()), "role_id": str(uuid.uuid4())}]},
        "eAttemptSaveWithMissingOwners": {
            "owners": [{"id": str(uuid.uuid4()), "role_id": tenant.role_id("customer_success")}]
        },
        "eAttemptSaveWithMissingContacts": {
            "contacts": [{"id": str(uuid.uuid4()), "role_id": tenant.role_id("primary_contact")}]
        },
    }
    for code, fields in cases.items():
        response = await service.http.post("/contracts", headers=tenant.admin, json=contract_body(**fields))
        assert_error(response, code)


async def test_a_contact_role_is_no_owner_role(service: Contracts, tenant: Tenant) -> None:
    party = await known_party(service, tenant)
    body = contract_body(owners=[{"id": str(party), "role_id": tenant.role_id("primary_contact")}])
    assert_error(
        await service.http.post("/contracts", headers=tenant.admin, json=body), "eAttemptSaveWithMissingRoles"
    )


async def test_another_tenants_ids_are_missing_or_not_found(service: Contracts, tenant: Tenant) -> None:
    other = await provisioned_tenant(service)
    asset = await known_asset(service, other)
    party = await known_party(service, other)
    deleted_asset = await known_asset(service, tenant, deleted=True)
    for fields, code in (
        ({"asset_ids": [str(asset)]}, "eAttemptSaveWithMissingAssets"),
        ({"asset_ids": [str(deleted_asset)]}, "eAttemptSaveWithMissingAssets"),
        ({"party_ids": [str(party)]}, "eAttemptSaveWithMissingParties"),
        (
            {"owners": [{"id": str(uuid.uuid4()), "role_id": other.role_id("customer_success")}]},
            "eAttemptSaveWithMissingRoles",
        ),
    ):
        assert_error(
            await service.http.post("/contracts", headers=tenant.admin, json=contract_body(**fields)), code
        )
    theirs = await create_contract(service, other, "Theirs")
    for method in ("GET", "DELETE"):
        response = await service.http.request(method, f"/contracts/{theirs['id']}", headers=tenant.admin)
        assert_error(response, "eContractNotFound")
    response = await service.http.put(
        f"/contracts/{theirs['id']}", headers=tenant.admin, json=contract_body()
    )
    assert_error(response, "eContractNotFound")
    assert_error(await service.http.get("/contracts/not-a-uuid", headers=tenant.admin), "eContractNotFound")


async def test_dates_out_of_order_are_a_clear_400(service: Contracts, tenant: Tenant) -> None:
    body = contract_body(starts_at="2023-01-01T00:00:00Z", expires_at="2022-01-01T00:00:00Z")
    response = await service.http.post("/contracts", headers=tenant.admin, json=body)
    assert_error(response, "eValidationError")
    assert "expires_at" in response.text


async def test_permissions_are_checked(service: Contracts, tenant: Tenant) -> None:
    viewer = service.headers(tenant.id, permissions=("contracts.view",))
    assert_error(
        await service.http.post("/contracts", headers=viewer, json=contract_body()), "ePermissionDenied", 403
    )
    assert (await service.http.get("/contracts", headers=viewer)).status_code == 200
