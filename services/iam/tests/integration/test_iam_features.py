"""Features and their categories (seed 004 "Features"): every tenant's system features, one per
permission tag, listed, filtered, sorted and read one by one, its own only."""

from __future__ import annotations

import uuid

from iam_harness import Iam, Tenant, assert_error

from proximity.auth.permission_catalogue import PERMISSIONS, RESOURCES


async def test_a_tenant_has_one_system_feature_per_tag(service: Iam, tenant: Tenant) -> None:
    response = await service.http.get("/features", headers=tenant.member, params={"per_page": 100})
    assert response.status_code == 200, response.text
    body = response.json()
    assert {f["permission"] for f in body["data"]} == PERMISSIONS
    assert all(f["is_system"] for f in body["data"])
    assert body["pagination"]["total"] == len(PERMISSIONS)
    names = [f["name"].lower() for f in body["data"]]
    assert names == sorted(names)
    assert body["sort"] == [{"field": "name", "dir": "asc"}]


async def test_features_filter_by_ids_and_keywords_and_sort(service: Iam, tenant: Tenant) -> None:
    everything = (await service.http.get("/features", headers=tenant.admin, params={"per_page": 100})).json()
    chosen = [f["id"] for f in everything["data"][:2]]
    by_ids = await service.http.get("/features", headers=tenant.admin, params={"ids[]": chosen})
    assert sorted(f["id"] for f in by_ids.json()["data"]) == sorted(chosen)
    contracts = await service.http.get("/features", headers=tenant.admin, params={"keywords": "contracts"})
    assert {f["permission"] for f in contracts.json()["data"]} == {
        "contracts.view",
        "contracts.create",
        "contracts.update",
        "contracts.delete",
    }
    newest = await service.http.get("/features", headers=tenant.admin, params={"sort": "-created"})
    assert newest.status_code == 200
    assert newest.json()["sort"] == [{"field": "created", "dir": "desc"}]
    refused = await service.http.get("/features", headers=tenant.admin, params={"sort": "permission"})
    assert_error(refused, "eValidationError")


async def test_one_feature_and_unknown_ones(service: Iam, tenant: Tenant) -> None:
    listed = (await service.http.get("/features", headers=tenant.admin)).json()["data"]
    one = await service.http.get(f"/features/{listed[0]['id']}", headers=tenant.admin)
    assert one.status_code == 200
    assert one.json()["data"] == listed[0]
    assert_error(
        await service.http.get(f"/features/{uuid.uuid4()}", headers=tenant.admin), "eFeatureNotFound"
    )
    assert_error(await service.http.get("/features/not-an-id", headers=tenant.admin), "eFeatureNotFound")


async def test_another_tenants_feature_is_not_found(service: Iam, tenant: Tenant) -> None:
    other = service.headers(uuid.uuid4(), admin=True)
    listed = (await service.http.get("/features", headers=tenant.admin)).json()["data"]
    assert_error(await service.http.get(f"/features/{listed[0]['id']}", headers=other), "eFeatureNotFound")
    assert (await service.http.get("/features", headers=other)).json()["data"] == []


async def test_categories_one_per_resource(service: Iam, tenant: Tenant) -> None:
    response = await service.http.get("/features/~/categories", headers=tenant.member)
    assert response.status_code == 200, response.text
    categories = response.json()["data"]
    assert {c["sys_name"] for c in categories} == {r.name for r in RESOURCES}
    assert all(c["parent_id"] is None for c in categories)


async def test_features_need_features_view(service: Iam, tenant: Tenant) -> None:
    nobody = service.headers(tenant.id, permissions=("groups.view",))
    assert_error(await service.http.get("/features", headers=nobody), "ePermissionDenied", 403)
    assert_error(await service.http.get("/features/~/categories", headers=nobody), "ePermissionDenied", 403)
