"""``PATCH /datazones``: each row on its own (assign and unassign entities, contracts and
industries, suspend, delete, restore), territory changes recorded for the groups holding a zone."""

from __future__ import annotations

import uuid

from datazones_harness import create_datazone, group, known_contract, known_entity, known_industry, member
from iam_harness import Iam, Tenant, permission_changes, provisioned_tenant, recorded_events


async def test_mixed_rows_apply_or_fail_alone(service: Iam, tenant: Tenant) -> None:
    kept_entity, new_entity = await known_entity(service, tenant), await known_entity(service, tenant)
    contract, industry = await known_contract(service, tenant), await known_industry(service, tenant)
    geo = await create_datazone(service, tenant, "Geo", entity_ids=[str(kept_entity)])
    commercial = await create_datazone(service, tenant, "Commercial", "commercial")
    to_delete = await create_datazone(service, tenant, "Deleted")
    other = await provisioned_tenant(service)
    theirs = await create_datazone(service, other, "Theirs")
    rows = [
        {"id": geo["id"], "entity_id_assign": str(new_entity), "entity_id_unassign": str(kept_entity)},
        {"id": commercial["id"], "industry_id_assign": str(industry), "contract_id_assign": str(contract)},
        {
            "id": to_delete["id"],
            "suspended_at": "2023-01-01T12:35:00.000Z",
            "deleted_at": "2023-01-01T12:35:00.000Z",
        },
        {"id": geo["id"], "industry_id_assign": str(industry)},  # a geo zone takes no industries
        {"id": commercial["id"], "entity_id_assign": str(uuid.uuid4())},
        {"id": commercial["id"], "contract_id_assign": str(uuid.uuid4())},
        {"id": commercial["id"], "industry_id_assign": str(uuid.uuid4())},
        {"id": theirs["id"], "suspended_at": "2023-01-01T12:35:00.000Z"},
        {"id": "not-a-uuid"},
        {"id": geo["id"], "owner_id_assign": str(uuid.uuid4())},
    ]
    response = await service.http.patch("/datazones", headers=tenant.admin, json={"data": rows})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [z["id"] for z in body["data"]] == [geo["id"], commercial["id"], to_delete["id"]]
    assert [(e["id"], e["code"]) for e in body["errors"]] == [
        (geo["id"], "eValidationError"),
        (commercial["id"], "eAttemptSaveWithMissingEntities"),
        (commercial["id"], "eAttemptSaveWithMissingContracts"),
        (commercial["id"], "eAttemptSaveWithMissingIndustries"),
        (theirs["id"], "eDataZoneNotFound"),
        ("not-a-uuid", "eValidationError"),
        (geo["id"], "eValidationError"),
    ]
    shown = (await service.http.get(f"/datazones/{geo['id']}", headers=tenant.admin)).json()["data"]
    assert shown["entity_ids"] == [str(new_entity)]
    assert shown["industry_ids"] == []
    shown = (await service.http.get(f"/datazones/{commercial['id']}", headers=tenant.admin)).json()["data"]
    assert shown["industry_ids"] == [str(industry)]
    assert shown["contract_ids"] == [str(contract)]
    shown = (await service.http.get(f"/datazones/{to_delete['id']}", headers=tenant.admin)).json()["data"]
    assert shown["deleted_at"] is not None
    assert not shown["deleted_at"].startswith("2023")
    events = await recorded_events(service, to_delete["id"])
    assert [(e["type"], e["version"]) for e in events] == [
        ("iam.datazone.created", 1),
        ("iam.datazone.deleted", 2),
    ]
    assert [e["type"] for e in await recorded_events(service, geo["id"])] == [
        "iam.datazone.created",
        "iam.datazone.updated",
    ]


async def test_restore_and_the_delete_permission(service: Iam, tenant: Tenant) -> None:
    zone = await create_datazone(service, tenant)
    updater = member(service, tenant, ("datazones.view", "datazones.update"))
    denied = await service.http.patch(
        "/datazones",
        headers=updater,
        json={"data": [{"id": zone["id"], "deleted_at": "2023-01-01T00:00:00Z"}]},
    )
    assert [e["code"] for e in denied.json()["errors"]] == ["ePermissionDenied"]
    await service.http.delete(f"/datazones/{zone['id']}", headers=tenant.admin)
    still_deleted = await service.http.patch(
        "/datazones", headers=tenant.admin, json={"data": [{"id": zone["id"], "suspended_at": None}]}
    )
    assert [e["code"] for e in still_deleted.json()["errors"]] == ["eDataZoneNotFound"]
    restored = await service.http.patch(
        "/datazones", headers=tenant.admin, json={"data": [{"id": zone["id"], "deleted_at": None}]}
    )
    assert restored.json()["errors"] == []
    assert restored.json()["data"][0]["deleted_at"] is None
    types = [e["type"] for e in await recorded_events(service, zone["id"])]
    assert types == ["iam.datazone.created", "iam.datazone.deleted", "iam.datazone.updated"]


async def test_territory_groups_hear_of_suspension_deletion_and_restore(service: Iam) -> None:
    tenant = await provisioned_tenant(service)
    zone = await create_datazone(service, tenant)
    zone_id = uuid.UUID(zone["id"])
    holding = await group(service, tenant, "territory", items=(zone_id,))
    also = await group(service, tenant, "territory", items=(zone_id,))
    await group(service, tenant, "user", items=(zone_id,))  # not a territory: not named
    before = len(await permission_changes(service, tenant))
    url = "/datazones"
    await service.http.patch(
        url, headers=tenant.admin, json={"data": [{"id": zone["id"], "suspended_at": "2023-01-01T00:00:00Z"}]}
    )
    await service.http.patch(
        url, headers=tenant.admin, json={"data": [{"id": zone["id"], "suspended_at": "2024-01-01T00:00:00Z"}]}
    )
    await service.http.patch(
        url, headers=tenant.admin, json={"data": [{"id": zone["id"], "suspended_at": None}]}
    )
    await service.http.delete(f"/datazones/{zone['id']}", headers=tenant.admin)
    await service.http.patch(
        url, headers=tenant.admin, json={"data": [{"id": zone["id"], "deleted_at": None}]}
    )
    changes = (await permission_changes(service, tenant))[before:]
    assert [sorted(change.group_ids) for change in changes] == [sorted([holding, also])] * 4
    renamed = await service.http.put(
        f"/datazones/{zone['id']}",
        headers=tenant.admin,
        json={"name": "Renamed", "type": "geo", "description": ""},
    )
    assert renamed.status_code == 200
    assert len(await permission_changes(service, tenant)) == before + 4  # still live: nothing to recompute
