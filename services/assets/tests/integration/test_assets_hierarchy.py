"""The asset tree: a type decides its parents, no asset sits under itself or its descendants,
the depth is bounded (5 in these tests), and a container with children is not deleted."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from assets_support import Assets, Tenant, assert_error, asset_body, create
from sqlalchemy import text

from assets.domain.asset_types import type_id
from assets.repositories.asset_queries import lock_hierarchy


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


async def _waiting(service: Assets, event: str | None = None) -> int:
    """How many sessions of the service's database wait on a lock (of this kind)."""
    async with service.wired.unit_of_work() as uow:
        query = (
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid() "
            "AND (CAST(:event AS text) IS NULL OR wait_event = :event)"
        )
        return int((await uow.session.execute(text(query), {"event": event})).scalar_one())


async def _until(condition: Callable[[], Awaitable[bool]]) -> None:
    """Polls a state the test drives towards; bounded only so a broken lock order cannot hang."""
    for _ in range(2000):
        if await condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the awaited state never came")


async def test_crossing_moves_that_both_pass_their_checks_still_cannot_make_a_cycle(
    service: Assets, tenant: Tenant
) -> None:
    """The two moves are made to start together: the test holds both rows, so each move waits
    (on its row, or behind the other on the tree lock) before it reads anything, then lets go.
    Without the tree lock both would pass the cycle check (and deadlock on each other's row)."""
    a = await create(service, tenant, "A")
    b = await create(service, tenant, "B")
    put = service.http.put
    async with service.wired.unit_of_work() as holder:
        rows = "SELECT id FROM assets WHERE id IN (CAST(:a AS uuid), CAST(:b AS uuid)) FOR UPDATE"
        await holder.session.execute(text(rows), {"a": a["id"], "b": b["id"]})
        moves = [
            asyncio.create_task(
                put(f"/assets/{a['id']}", headers=tenant.admin, json=asset_body("A", parent_id=b["id"]))
            ),
            asyncio.create_task(
                put(f"/assets/{b['id']}", headers=tenant.admin, json=asset_body("B", parent_id=a["id"]))
            ),
        ]

        async def both_wait() -> bool:
            return await _waiting(service) >= 2

        await _until(both_wait)
        await holder.commit()
    answers: list[httpx.Response] = await asyncio.gather(*moves)
    assert sorted(r.status_code for r in answers) == [200, 400], [r.text for r in answers]
    refused = next(r for r in answers if r.status_code == 400)
    assert refused.json()["errors"][0]["code"] == "eParentCycle"


async def test_only_writes_that_reshape_the_tree_take_its_lock(service: Assets, tenant: Tenant) -> None:
    """While the tenant's tree is held, a rename, a new description or a suspension (also in a
    PATCH) goes through; a move, a new type or a new entity (PUT or PATCH) waits for the tree,
    then goes through."""
    site = await create(service, tenant, "Site", type_id=tenant.type_id("site"))
    other = await create(service, tenant, "Other", type_id=tenant.type_id("site"))
    kiosk = await create(service, tenant, "Kiosk", type_id=tenant.type_id("unit"), parent_id=site["id"])
    client = {"name": "Client", "type_id": str(type_id(tenant.id, "entity-type:client"))}
    entity = (await service.http.post("/entities", headers=tenant.admin, json=client)).json()["data"]
    url = f"/assets/{kiosk['id']}"
    unit = tenant.type_id("unit")

    def put(body: dict[str, Any]) -> asyncio.Task[httpx.Response]:
        if "id" in body:  # a row of PATCH /assets
            return asyncio.create_task(
                service.http.patch("/assets", headers=tenant.admin, json={"data": [body]})
            )
        return asyncio.create_task(service.http.put(url, headers=tenant.admin, json=body))

    async with service.wired.unit_of_work() as holder:
        await lock_hierarchy(holder.session, tenant.id)
        for quiet in (
            asset_body("Renamed", type_id=unit, parent_id=site["id"]),
            asset_body("Renamed", type_id=unit, parent_id=site["id"], description="Glass"),
            asset_body("Renamed", type_id=unit, parent_id=site["id"], suspended_at="2026-01-01T00:00:00Z"),
            {"id": kiosk["id"], "suspended_at": None},
        ):
            answer = put(quiet)

            async def settled(task: asyncio.Task[httpx.Response] = answer) -> bool:
                return task.done() or await _waiting(service, "advisory") > 0

            await _until(settled)
            assert answer.done(), f"{quiet} waited for the tree"
            assert answer.result().status_code == 200, answer.result().text
    for reshaping in (
        asset_body("Moved", type_id=unit, parent_id=other["id"]),
        asset_body("Retyped", parent_id=other["id"]),
        asset_body("Assigned", parent_id=other["id"], entity_id=entity["id"]),
        {"id": kiosk["id"], "parent_id": site["id"]},
    ):
        async with service.wired.unit_of_work() as holder:
            await lock_hierarchy(holder.session, tenant.id)
            answer = put(reshaping)

            async def waits(task: asyncio.Task[httpx.Response] = answer) -> bool:
                return task.done() or await _waiting(service, "advisory") > 0

            await _until(waits)
            assert not answer.done(), f"{reshaping} did not wait for the tree: {answer.result().text}"
            await holder.commit()
        done = await answer
        assert done.status_code == 200, done.text
        assert not done.json().get("errors"), done.text
