"""Contract links, which contracts owns, seen and written from assets: link writes forwarded to
a stand-in contracts on a real port (with a service token from the stand-in identity), the
owner down or stopping mid-batch, and contracts' events feeding ``contract_ids``, the
``contract_id`` filters, the counts and the service ids on the real broker."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from assets_support import (
    SERVICE_SECRET,
    Assets,
    ClientKeys,
    Signer,
    Tenant,
    assert_error,
    create,
    identity_app,
    identity_served,
    provisioned_tenant,
    recorded_events,
)
from contracts_support import (
    StandInContracts,
    closed_port_url,
    contracts_served,
    publish,
    service_event,
)
from pydantic import SecretStr

from assets.app import create_app
from assets.config import AssetsSettings
from assets.domain.asset_types import type_id


@contextlib.asynccontextmanager
async def running(settings: AssetsSettings, signer: Signer, keys: ClientKeys, contracts_url: str | None):
    async with identity_served(identity_app(signer, keys)) as identity_url:
        pointed = settings.model_copy(
            update={
                "identity_url": identity_url,
                "jwks_url": f"{identity_url}/.well-known/jwks.json",
                "contracts_url": contracts_url,
                "service_secret": SecretStr(SERVICE_SECRET),
            }
        )
        app = create_app(pointed)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://assets") as http,
        ):
            yield Assets(http, app.state.assets, signer, pointed, keys)


@pytest.fixture
def contracts(signer: Signer) -> StandInContracts:
    return StandInContracts(signer)


@pytest.fixture
async def linked(
    settings: AssetsSettings, signer: Signer, client_keys: ClientKeys, contracts: StandInContracts
) -> AsyncIterator[Assets]:
    """assets with contracts (the stand-in) up."""
    async with (
        contracts_served(contracts) as url,
        running(settings, signer, client_keys, url) as service,
    ):
        yield service


@pytest.fixture
async def tenant_of(linked: Assets) -> Tenant:
    return await provisioned_tenant(linked)


async def eventually(check: Callable[[], Awaitable[bool]]) -> None:
    for _ in range(300):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the event never took effect")


def body_of(found: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**found, **changes}


async def read(service: Assets, tenant: Tenant, asset_id: str) -> dict[str, Any]:
    found: dict[str, Any] = (await service.http.get(f"/assets/{asset_id}", headers=tenant.admin)).json()[
        "data"
    ]
    return found


async def test_a_put_writes_contract_links_at_contracts_and_shows_its_answer(
    linked: Assets, tenant_of: Tenant, contracts: StandInContracts
) -> None:
    tenant = tenant_of
    asset = await create(linked, tenant, "Site")
    first, second = contracts.contract(tenant.id), contracts.contract(tenant.id)
    put = await linked.http.put(
        f"/assets/{asset['id']}",
        headers=tenant.admin,
        json=body_of(asset, contract_ids=[str(first.id), str(second.id)]),
    )
    assert put.status_code == 200, put.text
    assert sorted(put.json()["data"]["contract_ids"]) == sorted([str(first.id), str(second.id)])
    assert first.assets == {uuid.UUID(asset["id"])} == second.assets
    # The replica was updated with contracts' answer: the next read agrees before any event.
    again = await read(linked, tenant, asset["id"])
    assert sorted(again["contract_ids"]) == sorted([str(first.id), str(second.id)])
    listed = await linked.http.get(
        "/assets", headers=tenant.admin, params={"contract_id": str(first.id), "include[]": "stats"}
    )
    assert [a["id"] for a in listed.json()["data"]] == [asset["id"]]
    assert listed.json()["data"][0]["stats"][0]["contracts"] == 2
    # Echoing what was read calls nobody; a link-only change is no new version of the asset.
    calls = len(contracts.calls)
    echoed = await linked.http.put(f"/assets/{asset['id']}", headers=tenant.admin, json=again)
    assert echoed.status_code == 200, echoed.text
    assert len(contracts.calls) == calls
    assert [e["type"] for e in await recorded_events(linked, asset["id"])] == ["assets.asset.created"]
    # An unknown contract is contracts' refusal, as a 400 with its code; nothing changes.
    refused = await linked.http.put(
        f"/assets/{asset['id']}",
        headers=tenant.admin,
        json=body_of(again, name="Renamed", contract_ids=[str(uuid.uuid4())]),
    )
    assert_error(refused, "eAttemptSaveWithMissingContracts")
    kept = await read(linked, tenant, asset["id"])
    assert kept["name"] == "Site"
    assert sorted(kept["contract_ids"]) == sorted([str(first.id), str(second.id)])


async def test_contracts_down_is_a_503_and_nothing_is_written(
    settings: AssetsSettings, signer: Signer, client_keys: ClientKeys
) -> None:
    async with running(settings, signer, client_keys, closed_port_url()) as service:
        tenant = await provisioned_tenant(service)
        asset = await create(service, tenant, "Site")
        down = await service.http.put(
            f"/assets/{asset['id']}",
            headers=tenant.admin,
            json=body_of(asset, name="Renamed", contract_ids=[str(uuid.uuid4())]),
        )
        assert_error(down, "eServiceUnavailable", 503)
        unchanged = await read(service, tenant, asset["id"])
        assert (unchanged["name"], unchanged["contract_ids"]) == ("Site", [])
        assert [e["type"] for e in await recorded_events(service, asset["id"])] == ["assets.asset.created"]
        # Reads and writes that name no contract link still work.
        renamed = await service.http.put(
            f"/assets/{asset['id']}", headers=tenant.admin, json=body_of(unchanged, name="Renamed")
        )
        assert renamed.status_code == 200, renamed.text


async def test_without_contracts_url_a_link_write_is_a_clear_503(service: Assets, tenant: Tenant) -> None:
    asset = await create(service, tenant, "Site")
    rows = [{"id": asset["id"], "contract_id_assign": str(uuid.uuid4())}]
    response = await service.http.patch("/assets", headers=tenant.admin, json={"data": rows})
    assert response.status_code == 200, response.text
    [error] = response.json()["errors"]
    assert error["code"] == "eServiceUnavailable"
    assert "CONTRACTS_URL" in error["msg"]


async def test_contracts_stopping_mid_batch_fails_only_the_rows_after(
    linked: Assets, tenant_of: Tenant, contracts: StandInContracts
) -> None:
    tenant = tenant_of
    first, second = await create(linked, tenant, "First"), await create(linked, tenant, "Second")
    contract = contracts.contract(tenant.id)
    contracts.stop_after = 1  # answers the first row's write, then stops listening
    rows = [
        {"id": first["id"], "contract_id_assign": str(contract.id), "suspended_at": "2020-01-01T00:00:00Z"},
        {"id": second["id"], "contract_id_assign": str(contract.id), "suspended_at": "2020-01-01T00:00:00Z"},
    ]
    response = await linked.http.patch("/assets", headers=tenant.admin, json={"data": rows})
    assert response.status_code == 200, response.text
    outcome = response.json()
    assert [a["id"] for a in outcome["data"]] == [first["id"]]
    assert [(e["id"], e["code"]) for e in outcome["errors"]] == [(second["id"], "eServiceUnavailable")]
    done, failed = await read(linked, tenant, first["id"]), await read(linked, tenant, second["id"])
    assert done["contract_ids"] == [str(contract.id)]
    assert done["suspended_at"] is not None
    assert failed["contract_ids"] == []
    assert failed["suspended_at"] is None  # the failed row's own change was rolled back too
    assert contract.assets == {uuid.UUID(first["id"])}


async def test_entity_rows_assign_and_unassign_contracts(
    linked: Assets, tenant_of: Tenant, contracts: StandInContracts
) -> None:
    tenant = tenant_of
    client = str(type_id(tenant.id, "entity-type:client"))
    made = await linked.http.post("/entities", headers=tenant.admin, json={"name": "Acme", "type_id": client})
    entity = made.json()["data"]
    contract = contracts.contract(tenant.id)
    rows = [{"id": entity["id"], "contract_id_assign": str(contract.id)}]
    assigned = await linked.http.patch("/entities", headers=tenant.admin, json={"data": rows})
    assert assigned.json()["errors"] == [], assigned.text
    found = (await linked.http.get(f"/entities/{entity['id']}", headers=tenant.admin)).json()["data"]
    assert found["contract_ids"] == [str(contract.id)]
    listed = await linked.http.get(
        "/entities", headers=tenant.admin, params={"contract_id": str(contract.id), "include[]": "counts"}
    )
    assert [e["id"] for e in listed.json()["data"]] == [entity["id"]]
    assert listed.json()["data"][0]["stats"][0]["contracts"] == 1
    unknown = [{"id": entity["id"], "contract_id_assign": str(uuid.uuid4())}]
    refused = await linked.http.patch("/entities", headers=tenant.admin, json={"data": unknown})
    assert [e["code"] for e in refused.json()["errors"]] == ["eAttemptSaveWithMissingContracts"]
    rows = [{"id": entity["id"], "contract_id_unassign": str(contract.id)}]
    unassigned = await linked.http.patch("/entities", headers=tenant.admin, json={"data": rows})
    assert unassigned.json()["errors"] == [], unassigned.text
    found = (await linked.http.get(f"/entities/{entity['id']}", headers=tenant.admin)).json()["data"]
    assert found["contract_ids"] == []
    assert contract.entities == set()


async def test_contract_events_feed_the_views_and_a_deleted_contract_leaves_them(
    linked: Assets, tenant_of: Tenant, contracts: StandInContracts
) -> None:
    tenant = tenant_of
    a, b, c = [await create(linked, tenant, name) for name in ("A", "B", "C")]
    big, small = contracts.contract(tenant.id, "Big"), contracts.contract(tenant.id, "Small")
    big.assets = {uuid.UUID(a["id"]), uuid.UUID(b["id"])}
    small.assets = {uuid.UUID(b["id"])}
    await publish(linked, big.event("created"))
    await publish(linked, small.event("created"))

    async def ids(**params: str) -> list[str]:
        listed = await linked.http.get("/assets", headers=tenant.admin, params=params)
        return [item["id"] for item in listed.json()["data"]]

    async def both_applied() -> bool:
        return await ids(contract_id=str(small.id)) == [b["id"]]

    await eventually(both_applied)
    assert sorted(await ids(contract_id=str(big.id))) == sorted([a["id"], b["id"]])
    assert await ids(sort="-total_contracts") == [b["id"], a["id"], c["id"]]
    assert await ids(sort="+total_contracts") == [c["id"], a["id"], b["id"]]
    assert sorted((await read(linked, tenant, b["id"]))["contract_ids"]) == sorted(
        [str(big.id), str(small.id)]
    )
    # Another tenant sees none of it, even naming the contract.
    other = await provisioned_tenant(linked)
    listed = await linked.http.get("/assets", headers=other.admin, params={"contract_id": str(big.id)})
    assert listed.json()["data"] == []
    # A late, older state changes nothing; the deletion takes the contract off every view.
    stale = big.event()
    big.version += 1
    big.deleted = True
    await publish(linked, big.event("deleted"))
    await publish(linked, stale)  # older than the deletion: ignored
    small.assets = set()
    small.version += 1
    await publish(linked, small.event())

    async def all_gone() -> bool:
        return await ids(contract_id=str(small.id)) == []

    await eventually(all_gone)
    assert await ids(contract_id=str(big.id)) == []
    assert (await read(linked, tenant, b["id"]))["contract_ids"] == []
    stats = await linked.http.get("/assets", headers=tenant.admin, params={"include[]": "stats"})
    assert [item["stats"][0]["contracts"] for item in stats.json()["data"]] == [0, 0, 0]


async def test_a_forwarded_write_is_not_undone_by_an_older_event(
    linked: Assets, tenant_of: Tenant, contracts: StandInContracts
) -> None:
    tenant = tenant_of
    asset = await create(linked, tenant, "Site")
    contract = contracts.contract(tenant.id)
    before = contract.event("created")  # version 1, no assets
    put = await linked.http.put(
        f"/assets/{asset['id']}", headers=tenant.admin, json=body_of(asset, contract_ids=[str(contract.id)])
    )
    assert put.status_code == 200, put.text
    await publish(linked, before)  # arrives after the forwarded write's answer (version 2)
    marker = contracts.contract(tenant.id)
    marker.assets = {uuid.UUID(asset["id"])}
    await publish(linked, marker.event("created"))  # one consumer, in order: after `before`

    async def marker_applied() -> bool:
        return str(marker.id) in (await read(linked, tenant, asset["id"]))["contract_ids"]

    await eventually(marker_applied)
    found = await read(linked, tenant, asset["id"])
    assert sorted(found["contract_ids"]) == sorted([str(contract.id), str(marker.id)])


async def test_service_ids_are_checked_against_contracts_services(linked: Assets, tenant_of: Tenant) -> None:
    tenant = tenant_of
    cleaning, retired = uuid.uuid4(), uuid.uuid4()
    await publish(linked, service_event(tenant.id, cleaning, version=1, verb="created"))
    await publish(linked, service_event(tenant.id, retired, version=1, verb="created"))
    await publish(linked, service_event(tenant.id, retired, version=2, deleted=True, verb="deleted"))
    await publish(linked, service_event(tenant.id, retired, version=1, verb="created"))  # late: ignored
    client = str(type_id(tenant.id, "entity-type:client"))
    entity_body = {"name": "Acme", "type_id": client, "service_ids": [str(cleaning)]}

    async def known() -> bool:
        made = await linked.http.post("/entities", headers=tenant.admin, json=entity_body)
        return made.status_code == 201

    await eventually(known)
    for body in (
        {**entity_body, "service_ids": [str(retired)]},
        {**entity_body, "service_ids": [str(uuid.uuid4())]},
    ):
        made = await linked.http.post("/entities", headers=tenant.admin, json=body)
        assert_error(made, "eAttemptSaveWithMissingServices")
    asset = await create(linked, tenant, "Unit", service_ids=[str(cleaning)])
    assert asset["service_ids"] == [str(cleaning)]
    other = await provisioned_tenant(linked)
    theirs = await linked.http.post(
        "/assets", headers=other.admin, json={"name": "X", "description": "", "service_ids": [str(cleaning)]}
    )
    assert_error(theirs, "eAttemptSaveWithMissingServices")
    # assign_service: pushed to two entities, pulled from one.
    made = [
        (
            await linked.http.post("/entities", headers=tenant.admin, json={"name": n, "type_id": client})
        ).json()["data"]
        for n in ("One", "Two")
    ]
    url = "/entities/~/actions/assign_service"
    push = {"service_id": str(cleaning), "push": [m["id"] for m in made], "pull": []}
    assert (await linked.http.post(url, headers=tenant.admin, json=push)).status_code == 204
    pull = {"service_id": str(cleaning), "push": [], "pull": [made[0]["id"]]}
    assert (await linked.http.post(url, headers=tenant.admin, json=pull)).status_code == 204
    shown = [
        (await linked.http.get(f"/entities/{m['id']}", headers=tenant.admin)).json()["data"]["service_ids"]
        for m in made
    ]
    assert shown == [[], [str(cleaning)]]
    pushed_retired = {"service_id": str(retired), "push": [made[0]["id"]], "pull": []}
    assert_error(
        await linked.http.post(url, headers=tenant.admin, json=pushed_retired),
        "eAttemptSaveWithMissingServices",
    )
