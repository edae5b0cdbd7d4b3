"""The asset tree: a type decides its parents, no asset sits under itself or its descendants,
the depth is bounded (5 in these tests), and a container with children is not deleted."""

from __future__ import annotations

import asyncio

from assets_support import Assets, Tenant, assert_error, asset_body, create


async def test_types_decide_where_an_asset_may_sit(service: Assets, tenant: Tenant) -> None:
    site = await create(service, tenant, "Site", type_id=tenant.type_id("site"))
    building = await create(
        service, tenant, "Building", type_id=tenant.type_id("building"), parent_id=site["id"]
    )
    floor = await create(
        service, tenant, "Floor 1", type_id=tenant.type_id("floor"), parent_id=building["id"]
    )
    await create(service, tenant, "Unit", type_id=tenant.type_id("unit"), parent_id=floor["id"])
    post = service.http.post
    # A site takes no parent; a floor needs one, and only a building.
    body = asset_body(type_id=tenant.type_id("site"), parent_id=site["id"])
    assert_error(await post("/assets", headers=tenant.admin, json=body), "eParentNotPermitted")
    assert_error(
        await post("/assets", headers=tenant.admin, json=asset_body(type_id=tenant.type_id("floor"))),
        "eParentRequired",
    )
    body = asset_body(type_id=tenant.type_id("floor"), parent_id=site["id"])
    assert_error(await post("/assets", headers=tenant.admin, json=body), "eParentNotPermitted")
    # An untyped asset may sit under a container only.
    leaf = await create(service, tenant, "Kiosk", type_id=tenant.type_id("unit"), parent_id=site["id"])
    assert_error(
        await post("/assets", headers=tenant.admin, json=asset_body(parent_id=leaf["id"])),
        "eParentNotPermitted",
    )
    await create(service, tenant, "Untyped", parent_id=site["id"])


async def test_an_asset_cannot_move_under_itself_or_its_descendants(service: Assets, tenant: Tenant) -> None:
    a = await create(service, tenant, "A")
    b = await create(service, tenant, "B", parent_id=a["id"])
    c = await create(service, tenant, "C", parent_id=b["id"])
    for parent in (a["id"], c["id"]):
        moved = await service.http.put(
            f"/assets/{a['id']}", headers=tenant.admin, json=asset_body("A", parent_id=parent)
        )
        assert_error(moved, "eParentCycle")
    # Moving C up to A is fine.
    moved = await service.http.put(
        f"/assets/{c['id']}", headers=tenant.admin, json=asset_body("C", parent_id=a["id"])
    )
    assert moved.status_code == 200, moved.text


async def test_the_hierarchy_depth_is_bounded(service: Assets, tenant: Tenant) -> None:
    chain = [await create(service, tenant, "L1")]
    for level in range(2, 6):
        chain.append(await create(service, tenant, f"L{level}", parent_id=chain[-1]["id"]))
    too_deep = await service.http.post(
        "/assets", headers=tenant.admin, json=asset_body("L6", parent_id=chain[-1]["id"])
    )
    assert_error(too_deep, "eHierarchyTooDeep")
    # A subtree of two levels moved under level 4 would reach level 6.
    top = await create(service, tenant, "T")
    await create(service, tenant, "T2", parent_id=top["id"])
    moved = await service.http.put(
        f"/assets/{top['id']}", headers=tenant.admin, json=asset_body("T", parent_id=chain[3]["id"])
    )
    assert_error(moved, "eHierarchyTooDeep")
    moved = await service.http.put(
        f"/assets/{top['id']}", headers=tenant.admin, json=asset_body("T", parent_id=chain[2]["id"])
    )
    assert moved.status_code == 200, moved.text


async def test_a_container_with_children_is_not_deleted(service: Assets, tenant: Tenant) -> None:
    site = await create(service, tenant, "Site", type_id=tenant.type_id("site"))
    unit = await create(service, tenant, "Unit", type_id=tenant.type_id("unit"), parent_id=site["id"])
    assert_error(
        await service.http.delete(f"/assets/{site['id']}", headers=tenant.admin), "eAssetHasChildren"
    )
    assert (await service.http.delete(f"/assets/{unit['id']}", headers=tenant.admin)).status_code == 204
    assert (await service.http.delete(f"/assets/{site['id']}", headers=tenant.admin)).status_code == 204
    # A deleted parent takes no new children.
    body = asset_body(type_id=tenant.type_id("unit"), parent_id=site["id"])
    assert_error(await service.http.post("/assets", headers=tenant.admin, json=body), "eParentNotFound")


async def test_container_and_non_container_types_do_not_swap(service: Assets, tenant: Tenant) -> None:
    site = await create(service, tenant, "Site", type_id=tenant.type_id("site"))
    body = asset_body("Site", type_id=tenant.type_id("unit"), parent_id=None)
    changed = await service.http.put(f"/assets/{site['id']}", headers=tenant.admin, json=body)
    # A unit needs a parent, checked before the type change: either refusal is documented.
    assert changed.status_code == 400
    assert changed.json()["errors"][0]["code"] in {"eParentRequired", "eContainerTypeChangeRestricted"}
    other = await create(service, tenant, "Other site", type_id=tenant.type_id("site"))
    body = asset_body("Site", type_id=tenant.type_id("unit"), parent_id=other["id"])
    assert_error(
        await service.http.put(f"/assets/{site['id']}", headers=tenant.admin, json=body),
        "eContainerTypeChangeRestricted",
    )


async def test_a_new_type_must_still_take_the_children(service: Assets, tenant: Tenant) -> None:
    site = await create(service, tenant, "Site", type_id=tenant.type_id("site"))
    building = await create(service, tenant, "B", type_id=tenant.type_id("building"), parent_id=site["id"])
    await create(service, tenant, "F", type_id=tenant.type_id("floor"), parent_id=building["id"])
    # Building → site: a floor may not sit under a site.
    body = asset_body("B", type_id=tenant.type_id("site"))
    assert_error(
        await service.http.put(f"/assets/{building['id']}", headers=tenant.admin, json=body),
        "eParentNotPermitted",
    )


async def test_concurrent_crossing_moves_cannot_make_a_cycle(service: Assets, tenant: Tenant) -> None:
    """A under B and B under A at once: each alone passes the cycle check, so the tenant's tree
    lock must make one wait and then see the other's move."""
    for _ in range(5):
        a = await create(service, tenant, "A")
        b = await create(service, tenant, "B")
        put = service.http.put
        answers = await asyncio.gather(
            put(f"/assets/{a['id']}", headers=tenant.admin, json=asset_body("A", parent_id=b["id"])),
            put(f"/assets/{b['id']}", headers=tenant.admin, json=asset_body("B", parent_id=a["id"])),
        )
        assert sorted(r.status_code for r in answers) == [200, 400], [r.text for r in answers]
        refused = next(r for r in answers if r.status_code == 400)
        assert refused.json()["errors"][0]["code"] == "eParentCycle"
