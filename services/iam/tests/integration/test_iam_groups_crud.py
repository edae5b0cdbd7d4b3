"""Groups one by one (seed 004 "Groups"): create, read, replace and delete, every rule a write
keeps and its error, the events and permission changes each write records."""

from __future__ import annotations

import uuid

from iam_harness import (
    Iam,
    Tenant,
    assert_error,
    create_group,
    get_group,
    group_body,
    known_party,
    known_user,
    known_user_account,
    permission_changes,
    recorded_events,
    system_feature,
    system_group,
)


async def test_a_user_group_is_created_and_read_back(service: Iam, tenant: Tenant) -> None:
    alice, bob, owner = [await known_user(service, tenant) for _ in range(3)]
    made = await create_group(
        service,
        tenant,
        "Sales",
        items=[str(alice), str(bob), str(alice)],
        owner_ids=[str(owner)],
        meta={"email": "sales@example.com"},
    )
    assert made["type"] == "user"
    assert made["items"] == sorted([str(alice), str(bob)])
    assert made["owner_ids"] == [str(owner)]
    assert made["inherit_ids"] == []
    assert made["meta"] == {"email": "sales@example.com"}
    assert made["is_system"] is False
    assert made["deleted_at"] is None
    assert "__permissions__" not in made  # a system administrator
    got = await get_group(service, tenant, made["id"])
    assert got == made
    events = await recorded_events(service, made["id"])
    assert [(e["type"], e["version"]) for e in events] == [("iam.group.created", 1)]
    assert events[0]["data"] == {
        "contract": 1,
        "id": made["id"],
        "name": "Sales",
        "type": "user",
        "is_system": False,
        "suspended_at": None,
        "deleted_at": None,
    }
    changes = await permission_changes(service, tenant)
    assert [str(i) for i in changes[-1].group_ids] == [made["id"]]


async def test_a_member_sees_its_group_permissions(service: Iam, tenant: Tenant) -> None:
    response = await service.http.post("/groups", headers=tenant.member, json=group_body())
    assert response.status_code == 201, response.text
    assert response.json()["data"]["__permissions__"] == [
        "groups.create",
        "groups.delete",
        "groups.update",
        "groups.view",
    ]


async def test_items_must_exist_for_the_type(service: Iam, tenant: Tenant) -> None:
    contact = await known_party(service, tenant, base_type="contact")
    gone = await known_user(service, tenant, deleted=True)
    for item in (uuid.uuid4(), contact, gone):
        response = await service.http.post(
            "/groups", headers=tenant.admin, json=group_body(items=[str(item)])
        )
        assert_error(response, "eAttemptSaveWithMissingItems")
        assert str(item) in response.json()["errors"][0]["message"]
    feature = system_feature(tenant, "assets.view")
    wrong = await service.http.post("/groups", headers=tenant.admin, json=group_body(items=[feature]))
    assert_error(wrong, "eAttemptSaveWithMissingItems")
    made = await create_group(service, tenant, "Features", "feature", items=[feature])
    assert made["items"] == [feature]
    # No datazone exists yet: a territory group holds none.
    territory = group_body("North", "territory", items=[str(uuid.uuid4())])
    assert_error(
        await service.http.post("/groups", headers=tenant.admin, json=territory),
        "eAttemptSaveWithMissingItems",
    )


async def test_an_operational_groups_items_are_ignored(service: Iam, tenant: Tenant) -> None:
    made = await create_group(service, tenant, "Ops", "operational", items=[str(uuid.uuid4())])
    assert made["items"] == []


async def test_owners_are_live_parties_or_users(service: Iam, tenant: Tenant) -> None:
    contact = await known_party(service, tenant, base_type="contact")
    person = await known_user(service, tenant)
    account = await known_user_account(service, tenant, person)
    made = await create_group(service, tenant, owner_ids=[str(contact), str(account)])
    assert made["owner_ids"] == sorted([str(contact), str(person)])
    gone = await known_party(service, tenant, deleted=True)
    for owner in (uuid.uuid4(), gone):
        response = await service.http.post(
            "/groups", headers=tenant.admin, json=group_body(owner_ids=[str(owner)])
        )
        assert_error(response, "eAttemptSaveWithMissingOwners")


async def test_inherits_must_exist_and_be_of_the_same_type(service: Iam, tenant: Tenant) -> None:
    users = await create_group(service, tenant, "Users")
    features = await create_group(service, tenant, "Features", "feature")
    other_tenant = await service.http.post(
        "/groups", headers=service.headers(uuid.uuid4(), admin=True), json=group_body("Elsewhere")
    )
    elsewhere = other_tenant.json()["data"]["id"]
    for missing in (str(uuid.uuid4()), elsewhere):
        response = await service.http.post(
            "/groups", headers=tenant.admin, json=group_body(inherit_ids=[missing])
        )
        assert_error(response, "eAttemptSaveWithMissingInherits")
    mixed = group_body("Mixed", inherit_ids=[users["id"], features["id"]])
    assert_error(
        await service.http.post("/groups", headers=tenant.admin, json=mixed),
        "eAttemptNonOperationalOtherTypeInherit",
    )
    ops = await create_group(service, tenant, "Ops", "operational", inherit_ids=[users["id"], features["id"]])
    assert ops["inherit_ids"] == sorted([users["id"], features["id"]])
    # Only an operational group inherits an operational group.
    nested = group_body("Nested", inherit_ids=[ops["id"]])
    assert_error(
        await service.http.post("/groups", headers=tenant.admin, json=nested),
        "eAttemptNonOperationalOtherTypeInherit",
    )
    top = await create_group(service, tenant, "Top", "operational", inherit_ids=[ops["id"]])
    assert top["inherit_ids"] == [ops["id"]]
    # A system group may be inherited.
    assets = system_group(tenant, "assets")
    mine = await create_group(service, tenant, "Mine", "feature", inherit_ids=[assets])
    assert mine["inherit_ids"] == [assets]


async def test_bodies_that_break_the_schema(service: Iam, tenant: Tenant) -> None:
    for body in (
        group_body(group_type="team"),
        group_body(name=""),
        group_body(name="x" * 151),
        {k: v for k, v in group_body().items() if k != "items"},
        group_body(items=["not-a-uuid"]),
        group_body(meta={"k": {"nested": True}}),
    ):
        assert_error(await service.http.post("/groups", headers=tenant.admin, json=body), "eValidationError")


async def test_inheritance_never_loops(service: Iam, tenant: Tenant) -> None:
    a = await create_group(service, tenant, "A")
    b = await create_group(service, tenant, "B", inherit_ids=[a["id"]])
    c = await create_group(service, tenant, "C", inherit_ids=[b["id"]])
    loop = group_body("A", inherit_ids=[c["id"]])
    assert_error(
        await service.http.put(f"/groups/{a['id']}", headers=tenant.admin, json=loop),
        "eAttemptInheritanceCycle",
    )
    itself = group_body("A", inherit_ids=[a["id"]])
    assert_error(
        await service.http.put(f"/groups/{a['id']}", headers=tenant.admin, json=itself),
        "eAttemptInheritanceCycle",
    )
    # Through a deleted group too: restoring it would close the loop.
    assert (await service.http.delete(f"/groups/{b['id']}", headers=tenant.admin)).status_code == 204
    deleted_path = group_body("A", inherit_ids=[c["id"]])
    assert_error(
        await service.http.put(f"/groups/{a['id']}", headers=tenant.admin, json=deleted_path),
        "eAttemptInheritanceCycle",
    )


async def test_inheritance_is_at_most_ten_levels_deep(service: Iam, tenant: Tenant) -> None:
    chain = [await create_group(service, tenant, "Level 0")]
    for level in range(1, 11):
        chain.append(await create_group(service, tenant, f"Level {level}", inherit_ids=[chain[-1]["id"]]))
    too_deep = group_body("Level 11", inherit_ids=[chain[-1]["id"]])
    assert_error(
        await service.http.post("/groups", headers=tenant.admin, json=too_deep), "eAttemptInheritanceTooDeep"
    )
    # Below the bottom of the chain is as deep: the top's chain would grow.
    bottom = await create_group(service, tenant, "Bottom")
    under = group_body("Level 0", inherit_ids=[bottom["id"]])
    assert_error(
        await service.http.put(f"/groups/{chain[0]['id']}", headers=tenant.admin, json=under),
        "eAttemptInheritanceTooDeep",
    )
    beside = await create_group(service, tenant, "Beside", inherit_ids=[chain[5]["id"]])
    assert beside["inherit_ids"] == [chain[5]["id"]]


async def test_replace_changes_the_group_and_its_links(service: Iam, tenant: Tenant) -> None:
    alice, bob = await known_user(service, tenant), await known_user(service, tenant)
    base = await create_group(service, tenant, "Base")
    made = await create_group(service, tenant, "Sales", items=[str(alice)])
    body = group_body(
        "Sales EU", items=[str(bob)], inherit_ids=[base["id"]], suspended_at="2020-01-01T00:00:00Z"
    )
    response = await service.http.put(f"/groups/{made['id']}", headers=tenant.admin, json=body)
    assert response.status_code == 200, response.text
    replaced = response.json()["data"]
    assert (replaced["name"], replaced["items"], replaced["inherit_ids"]) == (
        "Sales EU",
        [str(bob)],
        [base["id"]],
    )
    assert replaced["suspended_at"] is not None
    assert replaced["suspended_at"] != "2020-01-01T00:00:00Z"  # the server's time
    assert await get_group(service, tenant, made["id"]) == replaced
    again = await service.http.put(f"/groups/{made['id']}", headers=tenant.admin, json=body)
    assert again.json()["data"]["suspended_at"] == replaced["suspended_at"]
    events = await recorded_events(service, made["id"])
    assert [(e["type"], e["version"]) for e in events] == [("iam.group.created", 1), ("iam.group.updated", 2)]
    assert events[-1]["data"]["suspended_at"] is not None


async def test_replace_refusals(service: Iam, tenant: Tenant) -> None:
    made = await create_group(service, tenant, "Sales")
    typed = group_body("Sales", "feature")
    assert_error(
        await service.http.put(f"/groups/{made['id']}", headers=tenant.admin, json=typed),
        "eAttemptGroupTypeChange",
    )
    for target in (uuid.uuid4(), "not-an-id"):
        response = await service.http.put(f"/groups/{target}", headers=tenant.admin, json=group_body())
        assert_error(response, "eGroupNotFound")
    other = service.headers(uuid.uuid4(), admin=True)
    assert_error(
        await service.http.put(f"/groups/{made['id']}", headers=other, json=group_body()), "eGroupNotFound"
    )
    assert_error(await service.http.get(f"/groups/{made['id']}", headers=other), "eGroupNotFound")


async def test_system_groups_cannot_change(service: Iam, tenant: Tenant) -> None:
    assets = system_group(tenant, "assets")
    got = await get_group(service, tenant, assets)
    assert (got["is_system"], got["type"], got["name"]) == (True, "feature", "Assets")
    assert sorted(got["items"]) == sorted(
        system_feature(tenant, f"assets.{action}") for action in ("view", "create", "update", "delete")
    )
    body = group_body("Mine", "feature")
    assert_error(
        await service.http.put(f"/groups/{assets}", headers=tenant.admin, json=body),
        "eAttemptSystemGroupChange",
    )
    assert_error(
        await service.http.delete(f"/groups/{assets}", headers=tenant.admin), "eAttemptSystemGroupChange"
    )


async def test_delete_hides_the_group_from_those_inheriting_it(service: Iam, tenant: Tenant) -> None:
    base = await create_group(service, tenant, "Base")
    child = await create_group(service, tenant, "Child", inherit_ids=[base["id"]])
    assert (await service.http.delete(f"/groups/{base['id']}", headers=tenant.admin)).status_code == 204
    assert (await service.http.delete(f"/groups/{base['id']}", headers=tenant.admin)).status_code == 204
    gone = await get_group(service, tenant, base["id"])
    assert gone["deleted_at"] is not None
    assert (await get_group(service, tenant, child["id"]))["inherit_ids"] == []
    listed = await service.http.get("/groups", headers=tenant.admin, params={"per_page": 100})
    assert base["id"] not in {g["id"] for g in listed.json()["data"]}
    named = await service.http.get("/groups", headers=tenant.admin, params={"ids[]": base["id"]})
    assert [g["id"] for g in named.json()["data"]] == [base["id"]]
    # A deleted group is no longer inheritable and cannot be replaced.
    assert_error(
        await service.http.post("/groups", headers=tenant.admin, json=group_body(inherit_ids=[base["id"]])),
        "eAttemptSaveWithMissingInherits",
    )
    assert_error(
        await service.http.put(f"/groups/{base['id']}", headers=tenant.admin, json=group_body()),
        "eGroupNotFound",
    )
    events = await recorded_events(service, base["id"])
    assert [(e["type"], e["version"]) for e in events] == [("iam.group.created", 1), ("iam.group.deleted", 2)]
    assert events[-1]["data"]["deleted_at"] is not None
    # Restored: the edge it kept gives it back to its child.
    restored = await service.http.patch(
        "/groups", headers=tenant.admin, json={"data": [{"id": base["id"], "deleted_at": None}]}
    )
    assert restored.json()["errors"] == []
    assert (await get_group(service, tenant, child["id"]))["inherit_ids"] == [base["id"]]
    assert_error(await service.http.delete(f"/groups/{uuid.uuid4()}", headers=tenant.admin), "eGroupNotFound")


async def test_group_permissions(service: Iam, tenant: Tenant) -> None:
    viewer = service.headers(tenant.id, permissions=("groups.view",))
    nobody = service.headers(tenant.id, permissions=("features.view",))
    made = await create_group(service, tenant)
    assert_error(await service.http.get("/groups", headers=nobody), "ePermissionDenied", 403)
    assert_error(await service.http.get(f"/groups/{made['id']}", headers=nobody), "ePermissionDenied", 403)
    assert (await service.http.get(f"/groups/{made['id']}", headers=viewer)).status_code == 200
    assert_error(
        await service.http.post("/groups", headers=viewer, json=group_body()), "ePermissionDenied", 403
    )
    assert_error(
        await service.http.put(f"/groups/{made['id']}", headers=viewer, json=group_body()),
        "ePermissionDenied",
        403,
    )
    assert_error(await service.http.delete(f"/groups/{made['id']}", headers=viewer), "ePermissionDenied", 403)
    assign = {"item_id": str(uuid.uuid4()), "push": [], "pull": []}
    assert_error(
        await service.http.post("/groups/~/actions/assign_item", headers=viewer, json=assign),
        "ePermissionDenied",
        403,
    )
