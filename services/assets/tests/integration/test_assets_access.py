"""Territories in assets, with iam's events on the real broker (published on ``IAM`` as iam
will): a user scoped to a datazone sees and changes only what lies in it, everywhere assets
answers (lists, reads, writes, batches, location search, documents); ``__permissions__``
follow each object's zones; a changed zone or grant takes effect; a user iam never computed
keeps the token's permissions over the whole tenant."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from assets_support import Assets, Tenant, assert_error, asset_body, create
from contracts_support import Contract
from contracts_support import publish as publish_contract
from sqlmodel import col, select

from assets.domain.asset_types import type_id
from assets.repositories.access_replica import AccessGrant
from proximity.events.envelope import Event
from proximity.testing.iam_events import datazone_changed, eventually, permissions_updated, publish_as
from proximity.testing.iam_events import grant_entry as entry

CALGARY = {"lat": 51.0453, "long": -114.0581}
EDMONTON = {"lat": 53.5461, "long": -113.4938}
SCOPED_TAGS = ["assets.create", "assets.update", "assets.view", "entities.view"]


async def publish(service: Assets, event: Event) -> None:
    """As iam will: onto its stream ``IAM`` (declared by iam, its publisher)."""
    await publish_as(service.wired.runtime.js, "iam", event)


@dataclass
class User:
    party_id: uuid.UUID
    headers: dict[str, str]


def user(service: Assets, tenant: Tenant, perms: list[str]) -> User:
    party = uuid.uuid4()
    token = service.signer.token(
        service.settings, sub=str(uuid.uuid4()), tid=str(tenant.id), pid=str(party), perms=perms, adm=False
    )
    return User(
        party, {"Authorization": f"Bearer {token}", "X-Client-Key": service.client_keys.key_of(tenant.id)}
    )


def grants_event(tenant: Tenant, who: User, version: int, entries: list[dict[str, Any]]) -> Event:
    return permissions_updated(tenant.id, who.party_id, version, entries)


def zone_event(
    tenant: Tenant, zone: uuid.UUID, version: int, *, around: dict[str, float] | None = None, **rules: Any
) -> Event:
    geozones = [] if around is None else [{"id": str(uuid.uuid4()), "name": "g", **around, "radius": 5000}]
    return datazone_changed(
        tenant.id,
        zone,
        version,
        type_=rules.pop("type", "geo"),
        is_dynamic=rules.pop("is_dynamic", True),
        geozones=geozones,
        **rules,
    )


async def names(service: Assets, headers: dict[str, str], path: str = "/assets") -> set[str]:
    response = await service.http.get(path, headers=headers, params={"per_page": 100})
    assert response.status_code == 200, response.text
    return {item["name"] for item in response.json()["data"]}


async def test_a_scoped_user_sees_and_changes_only_what_lies_in_their_zone(
    service: Assets, tenant: Tenant
) -> None:
    site = tenant.type_id("site")
    zone = uuid.uuid4()
    in_calgary = await create(service, tenant, "Calgary site", type_id=site, geo=CALGARY)  # before the zone
    scoped = user(service, tenant, [*SCOPED_TAGS, "assets.delete"])
    await publish(service, zone_event(tenant, zone, 1, around=CALGARY))
    await publish(service, grants_event(tenant, scoped, 1, [entry(SCOPED_TAGS, [zone])]))
    in_edmonton = await create(service, tenant, "Edmonton site", type_id=site, geo=EDMONTON)  # after

    async def scoped_to_calgary() -> bool:
        return await names(service, scoped.headers) == {"Calgary site"}

    await eventually(scoped_to_calgary)
    # A: shown, with the tags held on it; B: refused, as a missing permission is.
    found = await service.http.get(f"/assets/{in_calgary['id']}", headers=scoped.headers)
    assert found.status_code == 200, found.text
    assert found.json()["data"]["__permissions__"] == ["assets.create", "assets.update", "assets.view"]
    assert_error(
        await service.http.get(f"/assets/{in_edmonton['id']}", headers=scoped.headers),
        "ePermissionDenied",
        403,
    )
    body = {**in_edmonton, "name": "Renamed"}
    del body["id"]
    assert_error(
        await service.http.put(f"/assets/{in_edmonton['id']}", headers=scoped.headers, json=body),
        "ePermissionDenied",
        403,
    )
    # The token says assets.delete, iam's grants do not: the grants decide.
    assert_error(
        await service.http.delete(f"/assets/{in_calgary['id']}", headers=scoped.headers),
        "ePermissionDenied",
        403,
    )
    patched = await service.http.patch(
        "/assets",
        headers=scoped.headers,
        json={
            "data": [
                {"id": in_calgary["id"], "suspended_at": "2026-01-01T00:00:00Z"},
                {"id": in_edmonton["id"], "parent_id": None},
            ]
        },
    )
    assert patched.status_code == 200, patched.text
    assert [e["code"] for e in patched.json()["errors"]] == ["ePermissionDenied"]
    assert patched.json()["data"][0]["__permissions__"] == ["assets.create", "assets.update", "assets.view"]
    # Creating: inside the zone only; refused, nothing is written.
    outside = await service.http.post(
        "/assets", headers=scoped.headers, json=asset_body("Edmonton annex", type_id=site, geo=EDMONTON)
    )
    assert_error(outside, "ePermissionDenied", 403)
    inside = await service.http.post(
        "/assets", headers=scoped.headers, json=asset_body("Calgary annex", type_id=site, geo=CALGARY)
    )
    assert inside.status_code == 201, inside.text
    assert "Edmonton annex" not in await names(service, tenant.admin)
    # A system administrator sees everything and gets no __permissions__.
    admin_view = await service.http.get(f"/assets/{in_edmonton['id']}", headers=tenant.admin)
    assert "__permissions__" not in admin_view.json()["data"]
    # Documents follow their asset; location search shows only the zone's.
    documents = await service.http.get(f"/assets/{in_edmonton['id']}/documents", headers=scoped.headers)
    assert_error(documents, "ePermissionDenied", 403)
    everywhere = "POLYGON((-120 50, -110 50, -110 55, -120 55, -120 50))"
    located = await service.http.get(
        "/search/locations", headers=scoped.headers, params={"bound[]": everywhere, "types[]": "asset"}
    )
    assert located.status_code == 200, located.text
    assert {item["name"] for item in located.json()["data"]} == {"Calgary site", "Calgary annex"}

    # The zone moves to Edmonton: its objects are recomputed.
    await publish(service, zone_event(tenant, zone, 2, around=EDMONTON))

    async def moved() -> bool:
        return await names(service, scoped.headers) == {"Edmonton site"}

    await eventually(moved)
    # A group without territory: the whole tenant.
    await publish(service, grants_event(tenant, scoped, 2, [entry(["assets.view"], None)]))

    async def everything() -> bool:
        return await names(service, scoped.headers) == {"Calgary site", "Edmonton site", "Calgary annex"}

    await eventually(everything)
    # Territory groups without a live zone: an empty list; never granted the tag: 403.
    await publish(service, grants_event(tenant, scoped, 3, [entry(["assets.view"], [])]))

    async def nothing() -> bool:
        return await names(service, scoped.headers) == set()

    await eventually(nothing)
    assert_error(await service.http.get("/entities", headers=scoped.headers), "ePermissionDenied", 403)


async def test_entities_in_a_commercial_zone_and_the_token_fallback(service: Assets, tenant: Tenant) -> None:
    client = str(type_id(tenant.id, "entity-type:client"))
    made = []
    for name in ("Acme", "Globex"):
        response = await service.http.post(
            "/entities", headers=tenant.admin, json={"name": name, "type_id": client}
        )
        assert response.status_code == 201, response.text
        made.append(response.json()["data"])
    acme, globex = made
    zone = uuid.uuid4()
    await publish(
        service, zone_event(tenant, zone, 1, type="commercial", is_dynamic=False, entity_ids=[acme["id"]])
    )
    scoped = user(service, tenant, ["entities.view", "entities.update"])
    await publish(
        service, grants_event(tenant, scoped, 1, [entry(["entities.view", "entities.update"], [zone])])
    )

    async def only_acme() -> bool:
        return await names(service, scoped.headers, "/entities") == {"Acme"}

    await eventually(only_acme)
    acme_view = (await service.http.get(f"/entities/{acme['id']}", headers=scoped.headers)).json()["data"]
    assert acme_view["__permissions__"] == ["entities.update", "entities.view"]
    assert_error(
        await service.http.get(f"/entities/{globex['id']}", headers=scoped.headers), "ePermissionDenied", 403
    )
    # A user iam has computed nothing for: the token's permissions, over the whole tenant.
    unknown = user(service, tenant, ["entities.view"])
    assert await names(service, unknown.headers, "/entities") >= {"Acme", "Globex"}
    globex_view = (await service.http.get(f"/entities/{globex['id']}", headers=unknown.headers)).json()[
        "data"
    ]
    assert globex_view["__permissions__"] == ["entities.view"]


async def test_an_unknown_payload_contract_is_parked(service: Assets, tenant: Tenant) -> None:
    scoped = user(service, tenant, ["assets.view"])
    await create(service, tenant, "Anywhere")
    event = grants_event(tenant, scoped, 1, [entry(["assets.view"], [])])
    event.data["contract"] = 2
    await publish(service, event)
    later = grants_event(tenant, user(service, tenant, []), 1, [])
    await publish(service, later)  # the next event flows past the parked one

    async def later_applied() -> bool:
        async with service.wired.reading() as session:
            row = await session.execute(
                select(col(AccessGrant.party_id)).where(col(AccessGrant.tenant_id) == tenant.id)
            )
            return set(row.scalars()) == {uuid.UUID(later.aggregate_id)}

    await eventually(later_applied)
    assert "Anywhere" in await names(service, scoped.headers)  # still the token's, everywhere


async def test_a_contract_linking_an_asset_puts_it_in_the_contracts_zone(
    service: Assets, tenant: Tenant
) -> None:
    linked, other = (
        await create(service, tenant, "Linked later"),
        await create(service, tenant, "Never linked"),
    )
    contract = Contract(uuid.uuid4(), tenant.id, "Cleaning")
    zone = uuid.uuid4()
    await publish(
        service,
        zone_event(tenant, zone, 1, type="commercial", is_dynamic=False, contract_ids=[str(contract.id)]),
    )
    scoped = user(service, tenant, ["assets.view"])
    await publish(service, grants_event(tenant, scoped, 1, [entry(["assets.view"], [zone])]))

    async def granted() -> bool:
        async with service.wired.reading() as session:
            found = await session.execute(
                select(col(AccessGrant.version)).where(col(AccessGrant.party_id) == scoped.party_id)
            )
            return found.first() is not None

    await eventually(granted)
    assert await names(service, scoped.headers) == set()
    contract.assets.add(uuid.UUID(linked["id"]))
    await publish_contract(service, contract.event("created"))

    async def joined() -> bool:
        return await names(service, scoped.headers) == {"Linked later"}

    await eventually(joined)
    contract.version, contract.assets = 2, set()
    await publish_contract(service, contract.event())

    async def left() -> bool:
        return await names(service, scoped.headers) == set()

    await eventually(left)
    assert other["name"] == "Never linked"
