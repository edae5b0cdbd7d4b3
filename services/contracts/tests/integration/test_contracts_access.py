"""Territories in contracts, with iam's (and assets') events on the real broker: a user scoped
to a datazone sees and changes only the contracts that lie in it (lists, reads, replace,
delete, batch, ``assign_contract``, create); ``__permissions__`` follow each contract's zones;
a changed zone, grant, entity industry or entity link takes effect; services are checked by
the tags the grants give; a user iam never computed keeps the token's permissions."""

from __future__ import annotations

import uuid

from access_support import entity_event, grants_event, names, publish, user, zone_event
from contracts_harness import Contracts, Tenant, assert_error, contract_body, create_contract, known_entity

from contracts.repositories.asset_replica import industries_of
from proximity.testing.iam_events import eventually
from proximity.testing.iam_events import grant_entry as entry

SCOPED_TAGS = ["contracts.create", "contracts.update", "contracts.view"]


async def test_a_scoped_user_sees_and_changes_only_the_contracts_of_their_zone(
    service: Contracts, tenant: Tenant
) -> None:
    acme, globex = await known_entity(service, tenant), await known_entity(service, tenant)
    a = await create_contract(service, tenant, "A", entities_ids=[str(acme)])
    b = await create_contract(service, tenant, "B", entities_ids=[str(globex)])
    zone = uuid.uuid4()
    # The token says contracts.delete, iam's grants do not: the grants decide.
    scoped = user(service, tenant, [*SCOPED_TAGS, "contracts.delete"])
    await publish(service, "iam", zone_event(tenant, zone, 1, entity_ids=[acme]))
    await publish(service, "iam", grants_event(tenant, scoped, 1, [entry(SCOPED_TAGS, [zone])]))

    async def only_a() -> bool:
        return await names(service, scoped.headers) == {"A"}

    await eventually(only_a)
    found = await service.http.get(f"/contracts/{a['id']}", headers=scoped.headers)
    assert found.status_code == 200, found.text
    assert found.json()["data"]["__permissions__"] == SCOPED_TAGS
    listed = await service.http.get("/contracts", headers=scoped.headers)
    assert [item["__permissions__"] for item in listed.json()["data"]] == [SCOPED_TAGS]
    # B lies outside: refused as a missing permission is, whatever the call.
    assert_error(
        await service.http.get(f"/contracts/{b['id']}", headers=scoped.headers), "ePermissionDenied", 403
    )
    replaced = await service.http.put(
        f"/contracts/{b['id']}",
        headers=scoped.headers,
        json=contract_body("B renamed", entities_ids=[str(globex)]),
    )
    assert_error(replaced, "ePermissionDenied", 403)
    assert_error(
        await service.http.delete(f"/contracts/{a['id']}", headers=scoped.headers), "ePermissionDenied", 403
    )
    assigned = await service.http.post(
        "/entities/~/actions/assign_contract",
        headers=scoped.headers,
        json={"contract_id": b["id"], "push": [str(acme)], "pull": []},
    )
    assert_error(assigned, "ePermissionDenied", 403)
    patched = await service.http.patch(
        "/contracts",
        headers=scoped.headers,
        json={
            "data": [
                {"id": a["id"], "suspended_at": "2026-01-01T00:00:00Z"},
                {"id": b["id"], "suspended_at": "2026-01-01T00:00:00Z"},
                {"id": a["id"], "deleted_at": "2026-01-01T00:00:00Z"},
            ]
        },
    )
    assert patched.status_code == 200, patched.text
    assert [e["code"] for e in patched.json()["errors"]] == ["ePermissionDenied", "ePermissionDenied"]
    assert [item["__permissions__"] for item in patched.json()["data"]] == [SCOPED_TAGS]
    # Creating: only a contract that lies in the zone; refused, nothing is written.
    outside = await service.http.post(
        "/contracts", headers=scoped.headers, json=contract_body("Outside", entities_ids=[str(globex)])
    )
    assert_error(outside, "ePermissionDenied", 403)
    inside = await service.http.post(
        "/contracts", headers=scoped.headers, json=contract_body("Inside", entities_ids=[str(acme)])
    )
    assert inside.status_code == 201, inside.text
    assert inside.json()["data"]["__permissions__"] == SCOPED_TAGS
    assert "Outside" not in await names(service, tenant.admin)
    # A system administrator sees everything and gets no __permissions__.
    admin_view = await service.http.get(f"/contracts/{b['id']}", headers=tenant.admin)
    assert "__permissions__" not in admin_view.json()["data"]
    # An administrator links Acme to B: B enters the zone.
    moved = await service.http.post(
        "/entities/~/actions/assign_contract",
        headers=tenant.admin,
        json={"contract_id": b["id"], "push": [str(acme)], "pull": []},
    )
    assert moved.status_code == 204, moved.text
    assert await names(service, scoped.headers) == {"A", "B", "Inside"}

    # The zone now names Globex only: its contracts are recomputed.
    await publish(service, "iam", zone_event(tenant, zone, 2, entity_ids=[globex]))

    async def only_b() -> bool:
        return await names(service, scoped.headers) == {"B"}

    await eventually(only_b)
    # A group without territory: the whole tenant.
    await publish(service, "iam", grants_event(tenant, scoped, 2, [entry(["contracts.view"], None)]))

    async def everything() -> bool:
        return await names(service, scoped.headers) == {"A", "B", "Inside"}

    await eventually(everything)
    b_view = (await service.http.get(f"/contracts/{b['id']}", headers=scoped.headers)).json()["data"]
    assert b_view["__permissions__"] == ["contracts.view"]
    # Territory groups without a live zone: an empty list; the tag never granted: 403.
    await publish(service, "iam", grants_event(tenant, scoped, 3, [entry(["contracts.view"], [])]))

    async def nothing() -> bool:
        return await names(service, scoped.headers) == set()

    await eventually(nothing)
    await publish(service, "iam", grants_event(tenant, scoped, 4, [entry(["services.view"], None)]))

    async def refused() -> bool:
        return (await service.http.get("/contracts", headers=scoped.headers)).status_code == 403

    await eventually(refused)


async def test_zones_by_industry_by_contract_and_through_entity_links(
    service: Contracts, tenant: Tenant
) -> None:
    mining, retail = uuid.uuid4(), uuid.uuid4()
    acme, globex = uuid.uuid4(), uuid.uuid4()
    await publish(service, "assets", entity_event(tenant, acme, 1, mining))
    await publish(service, "assets", entity_event(tenant, globex, 1, retail))

    async def known() -> bool:
        async with service.wired.reading() as session:
            return await industries_of(session, tenant.id, [acme, globex]) == {mining, retail}

    await eventually(known)
    mine = await create_contract(service, tenant, "Mine", entities_ids=[str(acme)])
    shop = await create_contract(service, tenant, "Shop", entities_ids=[str(globex)])
    named = await create_contract(service, tenant, "Named")
    by_industry, by_contract = uuid.uuid4(), uuid.uuid4()
    scoped = user(service, tenant, ["contracts.view"])
    await publish(service, "iam", zone_event(tenant, by_industry, 1, is_dynamic=True, industry_ids=[mining]))
    # A geo zone takes a contract only by name (contracts have no point and no address).
    await publish(service, "iam", zone_event(tenant, by_contract, 1, type="geo", contract_ids=[named["id"]]))
    await publish(
        service,
        "iam",
        grants_event(tenant, scoped, 1, [entry(["contracts.view"], [by_industry, by_contract])]),
    )

    async def mine_and_named() -> bool:
        return await names(service, scoped.headers) == {"Mine", "Named"}

    await eventually(mine_and_named)
    # Globex turns to mining (assets announces it): Shop enters the industry's zone.
    await publish(service, "assets", entity_event(tenant, globex, 2, mining))

    async def shop_too() -> bool:
        return await names(service, scoped.headers) == {"Mine", "Named", "Shop"}

    await eventually(shop_too)
    # assets forwards an entity's contracts: Mine loses Acme, so leaves the zone.
    unlinked = await service.http.put(
        f"/internal/links/entities/{acme}",
        headers=service.service_headers(tenant.id),
        json={"contract_ids": []},
    )
    assert unlinked.status_code == 200, unlinked.text
    assert await names(service, scoped.headers) == {"Named", "Shop"}
    # A suspended zone holds nothing.
    await publish(
        service,
        "iam",
        zone_event(
            tenant,
            by_contract,
            2,
            type="geo",
            contract_ids=[named["id"]],
            suspended_at="2026-01-01T00:00:00Z",
        ),
    )

    async def named_gone() -> bool:
        return await names(service, scoped.headers) == {"Shop"}

    await eventually(named_gone)
    assert_error(
        await service.http.get(f"/contracts/{mine['id']}", headers=scoped.headers), "ePermissionDenied", 403
    )
    assert (await service.http.get(f"/contracts/{shop['id']}", headers=scoped.headers)).status_code == 200


async def test_services_take_the_grants_tags_and_an_unknown_user_the_tokens(
    service: Contracts, tenant: Tenant
) -> None:
    made = await service.http.post(
        "/services",
        headers=tenant.admin,
        json={"name": "Cleaning", "description": "Weekly"},
    )
    assert made.status_code == 201, made.text
    # The token says services.view; iam grants it contracts.view only.
    scoped = user(service, tenant, ["services.view", "contracts.view"])
    await publish(service, "iam", grants_event(tenant, scoped, 1, [entry(["contracts.view"], None)]))

    async def refused() -> bool:
        return (await service.http.get("/services", headers=scoped.headers)).status_code == 403

    await eventually(refused)
    await publish(service, "iam", grants_event(tenant, scoped, 2, [entry(["services.view"], [uuid.uuid4()])]))

    async def allowed() -> bool:
        return (await service.http.get("/services", headers=scoped.headers)).status_code == 200

    await eventually(allowed)
    listed = (await service.http.get("/services", headers=scoped.headers)).json()["data"]
    assert [item["__permissions__"] for item in listed] == [["services.view"]]
    # A user iam has computed nothing for: the token's permissions, over the whole tenant.
    unknown = user(service, tenant, ["contracts.view"])
    anything = await create_contract(service, tenant, "Anywhere")
    seen = await service.http.get(f"/contracts/{anything['id']}", headers=unknown.headers)
    assert seen.status_code == 200, seen.text
    assert seen.json()["data"]["__permissions__"] == ["contracts.view"]
