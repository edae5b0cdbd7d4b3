"""Contract links: the list's filters and sorts, batch PATCH per-row errors, assign_contract,
the internal link API assets calls (idempotent, token checked), and the payload assets reads."""

from __future__ import annotations

import uuid

from contracts_harness import (
    Contracts,
    Tenant,
    assert_error,
    create_contract,
    known_asset,
    known_entity,
    known_party,
    provisioned_tenant,
    recorded_events,
)

from assets.events.consumed import ContractPayload


async def test_list_filters_and_sorts(service: Contracts, tenant: Tenant) -> None:
    asset, entity, party = (
        await known_asset(service, tenant),
        await known_entity(service, tenant),
        await known_party(service, tenant),
    )
    a = await create_contract(
        service, tenant, "Alpha", asset_ids=[str(asset)], expires_at="2030-01-01T00:00:00Z"
    )
    b = await create_contract(service, tenant, "Beta", entities_ids=[str(entity)], party_ids=[str(party)])
    c = await create_contract(service, tenant, "Gamma", expires_at="2025-01-01T00:00:00Z")

    async def names(query: str) -> list[str]:
        response = await service.http.get(f"/contracts?{query}", headers=tenant.member)
        assert response.status_code == 200, response.text
        return [item["name"] for item in response.json()["data"]]

    assert await names("") == ["Alpha", "Beta", "Gamma"]
    assert await names("sort=-name") == ["Gamma", "Beta", "Alpha"]
    assert await names("sort=expiry") == ["Gamma", "Alpha", "Beta"]
    assert await names(f"asset_id={asset}") == ["Alpha"]
    assert await names(f"entity_ids[]={entity}&entity_ids[]={uuid.uuid4()}") == ["Beta"]
    assert await names(f"party_id={party}") == ["Beta"]
    assert await names("keywords=gam") == ["Gamma"]
    assert await names(f"ids[]={a['id']}&ids[]={c['id']}") == ["Alpha", "Gamma"]
    assert await names("sort=-total_assets,name") == ["Alpha", "Beta", "Gamma"]
    counted = await service.http.get("/contracts?include[]=counts&per_page=1", headers=tenant.member)
    assert counted.json()["data"][0]["stats"] == [{"assets": 1, "entities": 0}]
    assert counted.headers["X-Total-Count"] == "3"
    assert 'rel="next"' in counted.headers["Link"]
    other = await provisioned_tenant(service)
    assert (await service.http.get("/contracts", headers=other.member)).json()["data"] == []
    assert b["entity_ids"] == [str(entity)]


async def test_batch_rows_fail_alone(service: Contracts, tenant: Tenant) -> None:
    asset = await known_asset(service, tenant)
    first = await create_contract(service, tenant, "First")
    second = await create_contract(service, tenant, "Second")
    rows = [
        {"id": first["id"], "asset_id_assign": str(asset), "suspended_at": "2023-01-01T00:00:00Z"},
        {"id": second["id"], "asset_id_assign": str(uuid.uuid4())},
        {"id": str(uuid.uuid4()), "deleted_at": "2023-01-01T00:00:00Z"},
        {"id": second["id"], "bogus": 1},
    ]
    response = await service.http.patch("/contracts", headers=tenant.admin, json={"data": rows})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [item["id"] for item in body["data"]] == [first["id"]]
    assert [(e["id"], e["code"]) for e in body["errors"]] == [
        (second["id"], "eAttemptSaveWithMissingAssets"),
        (rows[2]["id"], "eContractNotFound"),
        (second["id"], "eValidationError"),
    ]
    got = (await service.http.get(f"/contracts/{first['id']}", headers=tenant.admin)).json()["data"]
    assert got["asset_ids"] == [str(asset)]
    assert got["suspended_at"] is not None
    assert (await service.http.get(f"/contracts/{second['id']}", headers=tenant.admin)).json()["data"][
        "asset_ids"
    ] == []
    deleted = await service.http.patch(
        "/contracts",
        headers=tenant.admin,
        json={"data": [{"id": second["id"], "deleted_at": "2023-01-01T00:00:00Z"}]},
    )
    assert deleted.json()["errors"] == []
    restored = await service.http.patch(
        "/contracts", headers=tenant.admin, json={"data": [{"id": second["id"], "deleted_at": None}]}
    )
    assert restored.json()["data"][0]["deleted_at"] is None
    viewer = service.headers(tenant.id, permissions=("contracts.view", "contracts.update"))
    refused = await service.http.patch(
        "/contracts",
        headers=viewer,
        json={"data": [{"id": first["id"], "deleted_at": "2023-01-01T00:00:00Z"}]},
    )
    assert [e["code"] for e in refused.json()["errors"]] == ["ePermissionDenied"]


async def test_assign_contract_to_entities(service: Contracts, tenant: Tenant) -> None:
    one, two = await known_entity(service, tenant), await known_entity(service, tenant)
    made = await create_contract(service, tenant, "Assigned", entities_ids=[str(two)])
    body = {"contract_id": made["id"], "push": [str(one)], "pull": [str(two)]}
    response = await service.http.post("/entities/~/actions/assign_contract", headers=tenant.admin, json=body)
    assert response.status_code == 204, response.text
    got = (await service.http.get(f"/contracts/{made['id']}", headers=tenant.admin)).json()["data"]
    assert got["entity_ids"] == [str(one)]
    unknown = {"contract_id": made["id"], "push": [str(uuid.uuid4())], "pull": []}
    response = await service.http.post(
        "/entities/~/actions/assign_contract", headers=tenant.admin, json=unknown
    )
    assert_error(response, "eEntitiesNotFound")
    nothing = {"contract_id": str(uuid.uuid4()), "push": [str(one)], "pull": []}
    response = await service.http.post(
        "/entities/~/actions/assign_contract", headers=tenant.admin, json=nothing
    )
    assert_error(response, "eAttemptSaveWithMissingContracts")


async def test_internal_links_are_idempotent_and_versioned(service: Contracts, tenant: Tenant) -> None:
    first = await create_contract(service, tenant, "One")
    second = await create_contract(service, tenant, "Two")
    asset = uuid.uuid4()  # not in the replica yet: assets may not have committed it
    headers = service.service_headers(tenant.id)
    body = {"contract_ids": [first["id"], second["id"]]}
    response = await service.http.put(f"/internal/links/assets/{asset}", headers=headers, json=body)
    assert response.status_code == 200, response.text
    answer = response.json()["data"]
    assert answer["contract_ids"] == sorted([first["id"], second["id"]])
    assert {(x["contract_id"], x["linked"], x["version"]) for x in answer["links"]} == {
        (first["id"], True, 2),
        (second["id"], True, 2),
    }
    again = await service.http.put(f"/internal/links/assets/{asset}", headers=headers, json=body)
    assert again.json()["data"] == answer
    assert len(await recorded_events(service, first["id"])) == 2
    change = {"assign": None, "unassign": second["id"]}
    changed = await service.http.patch(f"/internal/links/assets/{asset}", headers=headers, json=change)
    assert changed.status_code == 200, changed.text
    assert changed.json()["data"]["contract_ids"] == [first["id"]]
    assert {"contract_id": second["id"], "linked": False, "version": 3} in changed.json()["data"]["links"]
    events = await recorded_events(service, second["id"])
    payload = ContractPayload.model_validate(events[-1]["data"])
    assert payload.asset_ids == []
    assert events[-1]["version"] == 3
    linked = ContractPayload.model_validate((await recorded_events(service, first["id"]))[-1]["data"])
    assert linked.asset_ids == [asset]
    got = (await service.http.get(f"/contracts?asset_id={asset}", headers=tenant.admin)).json()["data"]
    assert [c["id"] for c in got] == [first["id"]]
    missing = await service.http.patch(
        f"/internal/links/entities/{uuid.uuid4()}", headers=headers, json={"assign": str(uuid.uuid4())}
    )
    assert_error(missing, "eAttemptSaveWithMissingContracts")
    other = await provisioned_tenant(service)
    theirs = await service.http.put(
        f"/internal/links/assets/{asset}", headers=service.service_headers(other.id), json=body
    )
    assert_error(theirs, "eAttemptSaveWithMissingContracts")


async def test_internal_links_refuse_other_tokens(service: Contracts, tenant: Tenant) -> None:
    made = await create_contract(service, tenant, "Guarded")
    url = f"/internal/links/entities/{uuid.uuid4()}"
    body = {"contract_ids": [made["id"]]}
    assert (await service.http.put(url, json=body)).status_code == 401
    assert (await service.http.put(url, headers=tenant.admin, json=body)).status_code == 403
    read_only = service.service_headers(tenant.id, scope="contracts.read")
    assert (await service.http.put(url, headers=read_only, json=body)).status_code == 403
    elsewhere = service.service_headers(tenant.id, audience="assets")
    assert (await service.http.put(url, headers=elsewhere, json=body)).status_code == 401
    assert (
        await service.http.put(url, headers=service.service_headers(tenant.id), json={"contract_ids": "x"})
    ).status_code == 400
    got = (await service.http.get(f"/contracts/{made['id']}", headers=tenant.admin)).json()["data"]
    assert got["entity_ids"] == []
