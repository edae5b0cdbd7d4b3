"""``PATCH /groups`` and the assign actions (seed 004 "BATCH UPDATE Groups", "BATCH Assign
Item to Groups", "BATCH Assign an Owner to Groups"): rows fail alone, actions all or nothing,
every change announced and recorded once per request."""

from __future__ import annotations

import uuid

from iam_harness import (
    Iam,
    Tenant,
    assert_error,
    create_group,
    get_group,
    known_party,
    known_user,
    permission_changes,
    recorded_events,
    system_feature,
    system_group,
)


async def test_a_batch_of_mixed_rows(service: Iam, tenant: Tenant) -> None:
    alice, owner = await known_user(service, tenant), await known_party(service, tenant, base_type="contact")
    base = await create_group(service, tenant, "Base")
    linked = await create_group(service, tenant, "Linked")
    suspended = await create_group(service, tenant, "Suspended")
    doomed = await create_group(service, tenant, "Doomed")
    untouched = await create_group(service, tenant, "Untouched")
    before = len(await permission_changes(service, tenant))
    rows = [
        {
            "id": linked["id"],
            "owner_id_assign": str(owner),
            "item_id_assign": str(alice),
            "inherit_id_assign": base["id"],
            "item_id_unassign": None,
        },
        {"id": suspended["id"], "suspended_at": "2023-01-01T12:35:00.000Z"},
        {"id": doomed["id"], "deleted_at": "2023-01-01T12:35:00.000Z"},
        {"id": str(uuid.uuid4()), "suspended_at": None},
        {"id": untouched["id"], "item_id_assign": str(uuid.uuid4())},
        {"id": untouched["id"], "inherit_id_assign": untouched["id"]},
        {"id": untouched["id"], "colour": "red"},
        {"id": system_group(tenant, "assets"), "suspended_at": "2023-01-01T12:35:00.000Z"},
        {"id": untouched["id"], "owner_id_assign": str(uuid.uuid4())},
    ]
    response = await service.http.patch("/groups", headers=tenant.admin, json={"data": rows})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [e["code"] for e in body["errors"]] == [
        "eGroupNotFound",
        "eAttemptSaveWithMissingItems",
        "eAttemptInheritanceCycle",
        "eValidationError",
        "eAttemptSystemGroupChange",
        "eAttemptSaveWithMissingOwners",
    ]
    assert {g["id"] for g in body["data"]} == {linked["id"], suspended["id"], doomed["id"]}
    got = await get_group(service, tenant, linked["id"])
    assert (got["owner_ids"], got["items"], got["inherit_ids"]) == ([str(owner)], [str(alice)], [base["id"]])
    assert (await get_group(service, tenant, suspended["id"]))["suspended_at"] is not None
    assert (await get_group(service, tenant, doomed["id"]))["deleted_at"] is not None
    assert (await get_group(service, tenant, untouched["id"]))["items"] == []
    assert [e["type"] for e in await recorded_events(service, linked["id"])] == [
        "iam.group.created",
        "iam.group.updated",
    ]
    assert [e["type"] for e in await recorded_events(service, doomed["id"])] == [
        "iam.group.created",
        "iam.group.deleted",
    ]
    changes = (await permission_changes(service, tenant))[before:]
    assert len(changes) == 1
    assert {str(i) for i in changes[0].group_ids} == {linked["id"], suspended["id"], doomed["id"]}


async def test_a_batch_unassigns_and_reactivates(service: Iam, tenant: Tenant) -> None:
    alice = await known_user(service, tenant)
    base = await create_group(service, tenant, "Base")
    made = await create_group(
        service,
        tenant,
        "Made",
        items=[str(alice)],
        owner_ids=[str(alice)],
        inherit_ids=[base["id"]],
        suspended_at="2026-01-01T00:00:00Z",
    )
    row = {
        "id": made["id"],
        "item_id_unassign": str(alice),
        "owner_id_unassign": str(alice),
        "inherit_id_unassign": base["id"],
        "suspended_at": None,
    }
    response = await service.http.patch("/groups", headers=tenant.admin, json={"data": [row]})
    assert response.json()["errors"] == []
    got = await get_group(service, tenant, made["id"])
    assert (got["items"], got["owner_ids"], got["inherit_ids"], got["suspended_at"]) == ([], [], [], None)
    # The same again changes nothing: no new version.
    await service.http.patch("/groups", headers=tenant.admin, json={"data": [row]})
    assert [e["version"] for e in await recorded_events(service, made["id"])] == [1, 2]


async def test_deleting_in_a_batch_needs_groups_delete(service: Iam, tenant: Tenant) -> None:
    made = await create_group(service, tenant)
    updater = service.headers(tenant.id, permissions=("groups.update",))
    rows = [{"id": made["id"], "deleted_at": "2023-01-01T00:00:00Z"}]
    response = await service.http.patch("/groups", headers=updater, json={"data": rows})
    assert [e["code"] for e in response.json()["errors"]] == ["ePermissionDenied"]
    assert (await get_group(service, tenant, made["id"]))["deleted_at"] is None
    assert_error(
        await service.http.patch("/groups", headers=tenant.admin, json={"data": []}), "eValidationError"
    )


async def test_assign_an_item_to_groups(service: Iam, tenant: Tenant) -> None:
    alice = await known_user(service, tenant)
    one, two, three = [await create_group(service, tenant, name) for name in ("One", "Two", "Three")]
    await service.http.patch(
        "/groups", headers=tenant.admin, json={"data": [{"id": three["id"], "item_id_assign": str(alice)}]}
    )
    before = len(await permission_changes(service, tenant))
    body = {"item_id": str(alice), "push": [one["id"], two["id"]], "pull": [three["id"]]}
    response = await service.http.post("/groups/~/actions/assign_item", headers=tenant.admin, json=body)
    assert response.status_code == 204, response.text
    assert [(await get_group(service, tenant, g["id"]))["items"] for g in (one, two, three)] == [
        [str(alice)],
        [str(alice)],
        [],
    ]
    changes = (await permission_changes(service, tenant))[before:]
    assert len(changes) == 1
    assert {str(i) for i in changes[0].group_ids} == {one["id"], two["id"], three["id"]}
    assert [e["type"] for e in await recorded_events(service, one["id"])][-1] == "iam.group.updated"
    # The seed's curl uses PATCH: the same action.
    back = {"item_id": str(alice), "push": [], "pull": [one["id"]]}
    assert (
        await service.http.patch("/groups/~/actions/assign_item", headers=tenant.admin, json=back)
    ).status_code == 204
    assert (await get_group(service, tenant, one["id"]))["items"] == []


async def test_assign_item_refusals(service: Iam, tenant: Tenant) -> None:
    alice = await known_user(service, tenant)
    users = await create_group(service, tenant, "Users")
    features = await create_group(service, tenant, "Features", "feature")
    elsewhere = (
        await service.http.post(
            "/groups",
            headers=service.headers(uuid.uuid4(), admin=True),
            json={"name": "X", "description": "", "type": "user", "inherit_ids": [], "items": []},
        )
    ).json()["data"]["id"]
    action = "/groups/~/actions/assign_item"

    async def refused(body: dict[str, object], code: str) -> None:
        assert_error(await service.http.post(action, headers=tenant.admin, json=body), code)

    missing = str(uuid.uuid4())
    response = await service.http.post(
        action, headers=tenant.admin, json={"item_id": str(alice), "push": [users["id"], missing], "pull": []}
    )
    assert_error(response, "eGroupsNotFound")
    assert missing in response.json()["errors"][0]["message"]
    await refused({"item_id": str(alice), "push": [elsewhere], "pull": []}, "eGroupsNotFound")
    await refused(
        {"item_id": str(alice), "push": [users["id"]], "pull": [features["id"]]},
        "eItemUpdateWithVaryingGroupTypes",
    )
    await refused(
        {"item_id": str(uuid.uuid4()), "push": [users["id"]], "pull": []}, "eAttemptSaveWithMissingItems"
    )
    feature = system_feature(tenant, "assets.view")
    await refused({"item_id": feature, "push": [users["id"]], "pull": []}, "eAttemptSaveWithMissingItems")
    await refused(
        {"item_id": feature, "push": [system_group(tenant, "assets")], "pull": []},
        "eAttemptSystemGroupChange",
    )
    await refused({"item_id": "x", "push": [], "pull": []}, "eValidationError")
    await refused({"item_id": str(alice), "push": [users["id"]]}, "eValidationError")
    # Nothing changed by any refusal.
    assert (await get_group(service, tenant, users["id"]))["items"] == []
    # A gone item may still be pulled.
    ok = {"item_id": str(uuid.uuid4()), "push": [], "pull": [users["id"]]}
    assert (await service.http.post(action, headers=tenant.admin, json=ok)).status_code == 204


async def test_assign_an_owner_to_groups(service: Iam, tenant: Tenant) -> None:
    owner = await known_party(service, tenant, base_type="contact")
    one, two = (
        await create_group(service, tenant, "One"),
        await create_group(service, tenant, "Two", "feature"),
    )
    action = "/groups/~/actions/assign_owner"
    body = {"party_id": str(owner), "push": [one["id"], two["id"]], "pull": []}
    assert (await service.http.post(action, headers=tenant.admin, json=body)).status_code == 204
    assert (await get_group(service, tenant, two["id"]))["owner_ids"] == [str(owner)]
    pull = {"party_id": str(owner), "push": [], "pull": [two["id"]]}
    assert (await service.http.patch(action, headers=tenant.admin, json=pull)).status_code == 204
    assert (await get_group(service, tenant, two["id"]))["owner_ids"] == []
    unknown = {"party_id": str(uuid.uuid4()), "push": [one["id"]], "pull": []}
    assert_error(await service.http.post(action, headers=tenant.admin, json=unknown), "ePartyNotFound")
    gone = {"party_id": str(owner), "push": [str(uuid.uuid4())], "pull": []}
    assert_error(await service.http.post(action, headers=tenant.admin, json=gone), "eGroupsNotFound")
