"""Contracts and assets through the real gateway, each a real process: a contract's links to an
asset and an entity, written at contracts or through assets, show in assets' views within 2 s;
deleting an asset, an entity or a contract takes it out of the other side's views; a party
deleted in identity can no longer be linked; a link write assets forwards while contracts is
down is a 503 that writes nothing; and with NATS stopped for 30 s while both services are
written, every replica converges once it returns (the test prints how long that took)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from chaos_stack import ChaosStack, chaos_stack
from linked_objects import PATIENCE, Tenant, within, word

VISIBLE_WITHIN = 2.0
OUTAGE_SECONDS = 30.0
SUSPENDED = "2026-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def tenant(stack: Any) -> Iterator[Tenant]:
    with httpx.Client(base_url=stack.gateway, timeout=30) as http:
        yield Tenant(http)


def shows_links(tenant: Tenant, contract: str, asset: str, entity: str) -> bool:
    """Every view of assets agrees that ``contract`` links ``asset`` and ``entity``."""
    got = tenant.data(f"/assets/{asset}")
    listed = tenant.get("/assets", **{"ids[]": asset, "include[]": "stats"}).json()["data"]
    return (
        contract in got["contract_ids"]
        and listed[0]["stats"][0]["contracts"] >= 1
        and tenant.ids("/assets", contract_id=contract) == [asset]
        and tenant.ids("/entities", contract_id=contract) == [entity]
    )


def test_links_written_at_contracts_show_in_assets_views(tenant: Tenant) -> None:
    name = word()
    site, entity = tenant.site(f"{name} Site"), tenant.entity(f"{name} Mining")
    contract = tenant.contract(f"{name} Cleaning", asset_ids=[site["id"]], entities_ids=[entity["id"]])
    assert (contract["asset_ids"], contract["entity_ids"]) == ([site["id"]], [entity["id"]])

    _, took = within(
        VISIBLE_WITHIN, lambda: shows_links(tenant, contract["id"], site["id"], entity["id"]), bool
    )
    print(f"\ncontracts → assets: a contract's links visible in assets' views after {took * 1000:.0f} ms")
    got = tenant.data(f"/assets/{site['id']}")
    assert got["contract_ids"] == [contract["id"]]
    listed = tenant.get("/assets", **{"ids[]": site["id"], "include[]": "stats"}).json()["data"]
    assert listed[0]["stats"][0]["contracts"] == 1
    assert tenant.data(f"/entities/{entity['id']}")["contract_ids"] == [contract["id"]]
    assert tenant.ids("/contracts", asset_id=site["id"]) == [contract["id"]]


def test_links_written_through_assets_show_at_contracts_and_in_assets(tenant: Tenant) -> None:
    name = word()
    site, entity = tenant.site(f"{name} Site"), tenant.entity(f"{name} Mining")
    contract = tenant.contract(f"{name} Security")

    put = tenant.http.put(
        f"/assets/{site['id']}",
        headers=tenant.auth,
        json=tenant.site_body(f"{name} Site", contract_ids=[contract["id"]]),
    )
    assert put.status_code == 200, put.text
    assert put.json()["data"]["contract_ids"] == [contract["id"]]
    assert tenant.batch("/entities", {"id": entity["id"], "contract_id_assign": contract["id"]}) == []

    _, took = within(
        VISIBLE_WITHIN, lambda: shows_links(tenant, contract["id"], site["id"], entity["id"]), bool
    )
    print(f"\nassets → contracts: links written through assets visible after {took * 1000:.0f} ms")
    at_contracts = tenant.data(f"/contracts/{contract['id']}")
    assert (at_contracts["asset_ids"], at_contracts["entity_ids"]) == ([site["id"]], [entity["id"]])
    assert tenant.ids("/contracts", asset_id=site["id"]) == [contract["id"]]
    assert tenant.ids("/contracts", entity_ids=entity["id"]) == [contract["id"]]


def test_deleting_an_asset_an_entity_or_a_contract_leaves_the_other_sides_views(tenant: Tenant) -> None:
    name = word()
    kept, doomed = tenant.site(f"{name} Kept"), tenant.site(f"{name} Doomed")
    resting, gone = tenant.entity(f"{name} Resting"), tenant.entity(f"{name} Gone")
    contract = tenant.contract(
        f"{name} Works",
        asset_ids=[kept["id"], doomed["id"]],
        entities_ids=[resting["id"], gone["id"]],
    )
    within(PATIENCE, lambda: tenant.ids("/assets", contract_id=contract["id"]), lambda ids: len(ids) == 2)

    # Suspended: still linked, and contracts' list still finds the contract by it.
    assert tenant.batch("/assets", {"id": kept["id"], "suspended_at": SUSPENDED}) == []
    assert tenant.batch("/entities", {"id": resting["id"], "suspended_at": SUSPENDED}) == []
    # Deleted: unlinked from the contract when contracts learns of it.
    assert tenant.http.delete(f"/assets/{doomed['id']}", headers=tenant.auth).status_code == 204
    assert tenant.http.delete(f"/entities/{gone['id']}", headers=tenant.auth).status_code == 204

    at_contracts, _ = within(
        PATIENCE,
        lambda: tenant.data(f"/contracts/{contract['id']}"),
        lambda c: c["asset_ids"] == [kept["id"]] and c["entity_ids"] == [resting["id"]],
    )
    assert tenant.ids("/contracts", asset_id=doomed["id"]) == []
    assert tenant.ids("/contracts", entity_ids=gone["id"]) == []
    assert tenant.ids("/contracts", asset_id=kept["id"]) == [contract["id"]]
    assert tenant.ids("/contracts", entity_ids=resting["id"]) == [contract["id"]]
    # assets hears of the unlinking too (a new version of the contract).
    within(
        PATIENCE, lambda: tenant.ids("/assets", contract_id=contract["id"]), lambda ids: ids == [kept["id"]]
    )
    within(
        PATIENCE,
        lambda: tenant.ids("/entities", contract_id=contract["id"]),
        lambda ids: ids == [resting["id"]],
    )

    assert tenant.http.delete(f"/contracts/{contract['id']}", headers=tenant.auth).status_code == 204
    within(PATIENCE, lambda: tenant.data(f"/assets/{kept['id']}")["contract_ids"], lambda ids: ids == [])
    assert tenant.ids("/assets", contract_id=contract["id"]) == []
    assert tenant.ids("/entities", contract_id=contract["id"]) == []
    assert tenant.data(f"/entities/{resting['id']}")["contract_ids"] == []
    listed = tenant.get("/assets", **{"ids[]": kept["id"], "include[]": "stats"}).json()["data"]
    assert listed[0]["stats"][0]["contracts"] == 0
    assert at_contracts["deleted_at"] is None


def test_a_party_deleted_in_identity_can_no_longer_be_linked(tenant: Tenant) -> None:
    body = {"first_name": "Grace", "last_name": word(), "addresses": [], "profile": []}
    party = tenant.http.post("/parties", headers=tenant.auth, json=body)
    assert party.status_code == 201, party.text
    party_id = party.json()["data"]["id"]
    linked = tenant.contract(f"{word()} Audit", party_ids=[party_id])
    assert linked["party_ids"] == [party_id]

    assert tenant.http.delete(f"/parties/{party_id}", headers=tenant.auth).status_code == 204
    refused, _ = within(
        PATIENCE,
        lambda: tenant.http.post(
            "/contracts", headers=tenant.auth, json={"name": f"{word()} Audit", "party_ids": [party_id]}
        ),
        lambda r: r.status_code == 400,
    )
    assert refused.json()["errors"][0]["code"] == "eAttemptSaveWithMissingParties", refused.text
    assert tenant.batch("/contracts", {"id": linked["id"], "party_id_assign": party_id}) == []
    # Already linked stays linked (docs/decisions.md); the assign is then a no-op, not a refusal.
    assert tenant.data(f"/contracts/{linked['id']}")["party_ids"] == [party_id]
    other = tenant.contract(f"{word()} Audit")
    refusals = tenant.batch("/contracts", {"id": other["id"], "party_id_assign": party_id})
    assert refusals == ["eAttemptSaveWithMissingParties"]
    assert tenant.data(f"/contracts/{other['id']}")["party_ids"] == []


# --- a stack whose processes the tests stop and start ---


@pytest.fixture(scope="module")
def chaos(postgres_url: str, run_id: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChaosStack]:
    with chaos_stack(postgres_url, tmp_path_factory.mktemp("contracts-chaos"), run_id) as stack:
        yield stack


@pytest.fixture(scope="module")
def chaos_tenant(chaos: ChaosStack) -> Iterator[Tenant]:
    with httpx.Client(base_url=chaos.url("gateway"), timeout=30) as http:
        yield Tenant(http)


def test_a_link_write_while_contracts_is_down_is_a_503_that_writes_nothing(
    chaos: ChaosStack, chaos_tenant: Tenant
) -> None:
    tenant, name = chaos_tenant, word()
    site, entity = tenant.site(f"{name} Site"), tenant.entity(f"{name} Mining")
    contract = tenant.contract(f"{name} Lifts")
    before = tenant.data(f"/assets/{site['id']}")

    chaos.stop("contracts")
    try:
        put = tenant.http.put(
            f"/assets/{site['id']}",
            headers=tenant.auth,
            json=tenant.site_body(f"{name} Renamed", contract_ids=[contract["id"]]),
        )
        assert put.status_code == 503, put.text
        assert put.json()["errors"][0]["code"] == "eServiceUnavailable"
        refusals = tenant.batch("/entities", {"id": entity["id"], "contract_id_assign": contract["id"]})
        assert refusals == ["eServiceUnavailable"]
        after = tenant.data(f"/assets/{site['id']}")
        assert after == before  # neither the name nor the link, nor updated_at
        assert tenant.data(f"/entities/{entity['id']}")["contract_ids"] == []
    finally:
        chaos.start("contracts")

    assert tenant.data(f"/contracts/{contract['id']}")["asset_ids"] == []
    put = tenant.http.put(
        f"/assets/{site['id']}",
        headers=tenant.auth,
        json=tenant.site_body(f"{name} Renamed", contract_ids=[contract["id"]]),
    )
    assert put.status_code == 200, put.text
    assert (put.json()["data"]["name"], put.json()["data"]["contract_ids"]) == (
        f"{name} Renamed",
        [contract["id"]],
    )


def contract_truth(tenant: Tenant, contracts: list[str]) -> dict[str, tuple[list[str], list[str]]]:
    """Each contract's links as contracts, their owner, holds them (a deleted contract links
    nothing, whatever rows it keeps for a restore)."""
    truth: dict[str, tuple[list[str], list[str]]] = {}
    for contract in contracts:
        got = tenant.data(f"/contracts/{contract}")
        deleted = got["deleted_at"] is not None
        truth[contract] = ([], []) if deleted else (sorted(got["asset_ids"]), sorted(got["entity_ids"]))
    return truth


def test_with_nats_stopped_for_30_s_every_replica_converges(chaos: ChaosStack, chaos_tenant: Tenant) -> None:
    tenant, name = chaos_tenant, word()
    sites = [tenant.site(f"{name} Site {i}") for i in range(6)]
    entities = [tenant.entity(f"{name} Entity {i}") for i in range(4)]
    contracts = [
        tenant.contract(f"{name} Contract {i}", asset_ids=[sites[i]["id"]], entities_ids=[entities[i]["id"]])
        for i in range(3)
    ]
    # Made once contracts' replicas know every site and entity, so the outage starts from there.
    survey = tenant.contract(
        f"{name} Survey", asset_ids=[s["id"] for s in sites], entities_ids=[e["id"] for e in entities]
    )["id"]
    within(PATIENCE, lambda: tenant.ids("/assets", contract_id=survey), lambda ids: len(ids) == len(sites))
    http, auth = tenant.http, tenant.auth

    chaos.broker.kill()
    broker_down = time.monotonic()
    # Written at contracts: a new contract, a replace, a link added in a batch, a delete.
    fresh = http.post(
        "/contracts",
        headers=auth,
        json={"name": f"{name} Fresh", "asset_ids": [sites[3]["id"]], "entities_ids": [entities[3]["id"]]},
    )
    assert fresh.status_code == 201, fresh.text
    fresh_id = fresh.json()["data"]["id"]
    replaced = http.put(
        f"/contracts/{contracts[0]['id']}",
        headers=auth,
        json={
            "name": f"{name} Contract 0",
            "asset_ids": [sites[0]["id"], sites[4]["id"]],
            "entities_ids": [],
        },
    )
    assert replaced.status_code == 200, replaced.text
    assert tenant.batch("/contracts", {"id": contracts[1]["id"], "entity_id_assign": entities[0]["id"]}) == []
    assert http.delete(f"/contracts/{contracts[2]['id']}", headers=auth).status_code == 204
    # Written at assets: links forwarded to contracts, an asset and an entity deleted, a new asset.
    put = http.put(
        f"/assets/{sites[5]['id']}",
        headers=auth,
        json=tenant.site_body(f"{name} Site 5", contract_ids=[contracts[1]["id"], fresh_id]),
    )
    assert put.status_code == 200, put.text
    assert tenant.batch("/entities", {"id": entities[2]["id"], "contract_id_assign": fresh_id}) == []
    assert http.delete(f"/assets/{sites[4]['id']}", headers=auth).status_code == 204
    assert http.delete(f"/entities/{entities[3]['id']}", headers=auth).status_code == 204
    newcomer = tenant.site(f"{name} Newcomer")

    ids = [c["id"] for c in contracts] + [fresh_id, survey]
    expected = {
        contracts[0]["id"]: (sorted([sites[0]["id"]]), []),  # sites[4] was deleted: unlinked
        contracts[1]["id"]: (
            sorted([sites[1]["id"], sites[5]["id"]]),
            sorted([entities[1]["id"], entities[0]["id"]]),
        ),
        contracts[2]["id"]: ([], []),  # deleted: links nothing
        fresh_id: (
            sorted([sites[3]["id"], sites[5]["id"]]),
            sorted([entities[2]["id"]]),
        ),  # entities[3] deleted
        survey: (
            # sites[4] deleted; sites[5]'s contract_ids were replaced by two others
            sorted(s["id"] for s in sites if s not in (sites[4], sites[5])),
            sorted(e["id"] for e in entities if e is not entities[3]),
        ),
    }

    def disagreements() -> list[str]:
        """What some view shows otherwise than the writes made it (none: converged)."""
        truth = contract_truth(tenant, ids)
        if truth != expected:
            return [f"contracts holds {truth}, not {expected}"]
        seen = []
        for contract, (asset_ids, entity_ids) in truth.items():
            seen.append((contract, "assets", asset_ids, tenant.ids("/assets", contract_id=contract)))
            seen.append((contract, "entities", entity_ids, tenant.ids("/entities", contract_id=contract)))
        for site in sites:
            if site is not sites[4]:
                holding = sorted(c for c, (asset_ids, _) in truth.items() if site["id"] in asset_ids)
                shown = sorted(tenant.data(f"/assets/{site['id']}")["contract_ids"])
                seen.append((site["id"], "contract_ids", holding, shown))
        wrong = [f"{what} of {key}: {shown}, not {want}" for key, what, want, shown in seen if shown != want]
        if wrong:
            return wrong
        # contracts' replica of assets learnt of the asset created during the outage.
        return tenant.batch("/contracts", {"id": fresh_id, "asset_id_assign": newcomer["id"]})

    # Nothing of that crossed the bus yet: the views disagree until it returns.
    assert disagreements() != []
    time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - broker_down)))
    chaos.broker.start()
    broker_back = time.monotonic()
    within(PATIENCE * 2, disagreements, lambda wrong: wrong == [])
    print(
        f"\ncontracts chaos: NATS stopped {broker_back - broker_down:.1f} s while contracts and assets "
        f"were written; every replica converged {time.monotonic() - broker_back:.1f} s after it returned"
    )
    assert tenant.ids("/contracts", asset_id=sites[4]["id"]) == []
    assert tenant.ids("/contracts", entity_ids=entities[3]["id"]) == []
    assert newcomer["id"] in tenant.data(f"/contracts/{fresh_id}")["asset_ids"]
