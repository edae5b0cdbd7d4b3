"""Industries: a catalogue with create, replace and delete, their events, and tenancy."""

from __future__ import annotations

import uuid

from assets_support import Assets, Tenant, assert_error, provisioned_tenant, recorded_events


async def test_an_industry_is_created_listed_replaced_and_deleted(service: Assets, tenant: Tenant) -> None:
    http = service.http
    made = await http.post(
        "/industries", headers=tenant.admin, json={"name": "Mining", "archived_at": "2001-01-01T00:00:00Z"}
    )
    assert made.status_code == 201, made.text
    industry = made.json()["data"]
    assert not industry["archived_at"].startswith("2001")  # the server's clock
    listed = await http.get("/industries", headers=tenant.admin)
    assert [item["name"] for item in listed.json()["data"]] == ["Mining"]
    assert "pagination" not in listed.json()
    replaced = await http.put(
        f"/industries/{industry['id']}", headers=tenant.admin, json={"name": "Shipping"}
    )
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["data"] == {
        **industry,
        "name": "Shipping",
        "archived_at": None,
        "updated_at": replaced.json()["data"]["updated_at"],
    }
    assert (await http.delete(f"/industries/{industry['id']}", headers=tenant.admin)).status_code == 204
    assert_error(await http.get(f"/industries/{industry['id']}", headers=tenant.admin), "eIndustryNotFound")
    assert (await http.get("/industries", headers=tenant.admin)).json()["data"] == []
    events = await recorded_events(service, industry["id"])
    assert [e["type"] for e in events] == [
        "assets.industry.created",
        "assets.industry.updated",
        "assets.industry.deleted",
    ]
    assert events[1]["data"]["name"] == "Shipping"


async def test_unknown_and_foreign_industries_are_not_found(service: Assets, tenant: Tenant) -> None:
    other = await provisioned_tenant(service)
    theirs = (await service.http.post("/industries", headers=other.admin, json={"name": "Theirs"})).json()[
        "data"
    ]
    for target in (theirs["id"], str(uuid.uuid4()), "nope"):
        assert_error(
            await service.http.get(f"/industries/{target}", headers=tenant.admin), "eIndustryNotFound"
        )
        assert_error(
            await service.http.put(f"/industries/{target}", headers=tenant.admin, json={"name": "X"}),
            "eIndustryNotFound",
        )
        assert_error(
            await service.http.delete(f"/industries/{target}", headers=tenant.admin), "eIndustryNotFound"
        )
    assert_error(
        await service.http.post("/industries", headers=tenant.admin, json={"name": ""}), "eValidationError"
    )
    viewer = service.headers(tenant.id, permissions=("industries.view",))
    assert_error(
        await service.http.post("/industries", headers=viewer, json={"name": "X"}), "ePermissionDenied", 403
    )
