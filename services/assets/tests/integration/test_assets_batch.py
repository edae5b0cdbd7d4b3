"""``PATCH /assets``: each row applies or fails alone, with the rules of ``PUT``."""

from __future__ import annotations

import uuid

from assets_support import Assets, Tenant, create, known_party, recorded_events


async def test_rows_apply_or_fail_alone(service: Assets, tenant: Tenant) -> None:
    party = await known_party(service, tenant)
    site = await create(service, tenant, "Site", type_id=tenant.type_id("site"))
    other = await create(service, tenant, "Other", type_id=tenant.type_id("site"))
    unit = await create(service, tenant, "Unit", type_id=tenant.type_id("unit"), parent_id=site["id"])
    loose = await create(service, tenant, "Loose")
    missing = str(uuid.uuid4())
    rows = [
        {"id": unit["id"], "parent_id": other["id"], "party_id_assign": str(party)},
        {"id": site["id"], "parent_id": unit["id"]},  # a site takes no parent
        {"id": missing, "suspended_at": "2023-01-01T12:35:00Z"},
        {"id": loose["id"], "suspended_at": "2023-01-01T12:35:00Z", "party_id_assign": missing},
        {"id": site["id"], "deleted_at": "2023-01-01T12:35:00Z"},  # now empty: deleted
        {"id": other["id"], "deleted_at": "2023-01-01T12:35:00Z"},  # holds the unit: refused
        {"id": "nope"},
        {"id": loose["id"], "colour": "red"},
    ]
    response = await service.http.patch("/assets", headers=tenant.admin, json={"data": rows})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [item["id"] for item in body["data"]] == [unit["id"], site["id"]]
    assert [(e["id"], e["code"]) for e in body["errors"]] == [
        (site["id"], "eParentNotPermitted"),
        (missing, "eAssetNotFound"),
        (loose["id"], "eAttemptSaveWithMissingParties"),
        (other["id"], "eAssetHasChildren"),
        ("nope", "eValidationError"),
        (loose["id"], "eValidationError"),
    ]
    moved = (await service.http.get(f"/assets/{unit['id']}", headers=tenant.admin)).json()["data"]
    assert moved["parent_id"] == other["id"]
    assert moved["party_ids"] == [str(party)]
    # The failed row left nothing behind: not even its suspension.
    untouched = (await service.http.get(f"/assets/{loose['id']}", headers=tenant.admin)).json()["data"]
    assert untouched["suspended_at"] is None
    assert [e["type"] for e in await recorded_events(service, loose["id"])] == ["assets.asset.created"]
    assert [e["type"] for e in await recorded_events(service, site["id"])][-1] == "assets.asset.deleted"


async def test_restore_and_unassign(service: Assets, tenant: Tenant) -> None:
    party = await known_party(service, tenant)
    made = await create(service, tenant, "Kiosk", party_ids=[str(party)])
    patch = service.http.patch
    await patch(
        "/assets",
        headers=tenant.admin,
        json={"data": [{"id": made["id"], "deleted_at": "2020-01-01T00:00:00Z"}]},
    )
    again = await patch(
        "/assets", headers=tenant.admin, json={"data": [{"id": made["id"], "party_id_unassign": str(party)}]}
    )
    assert [e["code"] for e in again.json()["errors"]] == ["eAssetNotFound"]  # deleted: restore first
    restored = await patch(
        "/assets",
        headers=tenant.admin,
        json={"data": [{"id": made["id"], "deleted_at": None, "party_id_unassign": str(party)}]},
    )
    assert restored.json()["errors"] == [], restored.text
    now = (await service.http.get(f"/assets/{made['id']}", headers=tenant.admin)).json()["data"]
    assert now["deleted_at"] is None
    assert now["party_ids"] == []


async def test_deleting_needs_the_delete_permission(service: Assets, tenant: Tenant) -> None:
    made = await create(service, tenant, "Kept")
    editor = service.headers(tenant.id, permissions=("assets.update",))
    rows = [
        {"id": made["id"], "deleted_at": "2020-01-01T00:00:00Z"},
        {"id": made["id"], "suspended_at": "2020-01-01T00:00:00Z"},
    ]
    response = await service.http.patch("/assets", headers=editor, json={"data": rows})
    assert [e["code"] for e in response.json()["errors"]] == ["ePermissionDenied"]
    assert [item["id"] for item in response.json()["data"]] == [made["id"]]
