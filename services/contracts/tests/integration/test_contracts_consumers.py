"""What contracts learns from identity's and assets' events on the real broker: a new tenant
gets its contract roles; parties, assets and entities become linkable; a deleted asset is
unlinked from the contracts linking it (a new version of each, published); a late, older event
changes nothing."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from contracts_harness import Contracts, Tenant, contract_body, create_contract, recorded_events

from proximity.events.envelope import Event
from proximity.events.streams import declare_stream


async def publish(service: Contracts, context: str, event: Event) -> None:
    """As its publisher does: onto the publisher's own stream."""
    js = service.wired.runtime.js
    await declare_stream(js, context)
    await js.publish(event.subject, event.to_json())


async def eventually(check: Callable[[], Awaitable[bool]]) -> None:
    for _ in range(300):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the event never took effect")


def assets_event(tenant: Tenant, kind: str, object_id: uuid.UUID, verb: str, *, version: int) -> Event:
    data: dict[str, Any] = {
        "contract": 1,
        "id": str(object_id),
        "name": "Thing",
        "suspended_at": None,
        "deleted_at": "2026-01-01T00:00:00+00:00" if verb == "deleted" else None,
        "a_field_contracts_does_not_read": True,
    }
    return Event(
        type=f"assets.{kind}.{verb}",
        tenant_id=tenant.id,
        aggregate_id=str(object_id),
        version=version,
        data=data,
    )


async def test_a_new_tenant_gets_its_contract_roles(service: Contracts) -> None:
    tenant_id = uuid.uuid4()
    event = Event(
        type="identity.tenant.created",
        tenant_id=tenant_id,
        aggregate_id=str(tenant_id),
        data={"id": str(tenant_id), "name": "Acme"},
    )
    await publish(service, "identity", event)
    headers = service.headers(tenant_id, admin=True)

    async def provisioned() -> bool:
        response = await service.http.get("/contracts/~/roles", headers=headers)
        return len(response.json()["data"]) == 4

    await eventually(provisioned)


async def test_parties_become_linkable_and_deleted_ones_not(service: Contracts, tenant: Tenant) -> None:
    party = uuid.uuid4()
    body = contract_body(party_ids=[str(party)])

    def party_event(verb: str, version: int) -> Event:
        deleted = "2026-01-01T00:00:00+00:00" if verb == "deleted" else None
        return Event(
            type=f"identity.party.{verb}",
            tenant_id=tenant.id,
            aggregate_id=str(party),
            version=version,
            data={"id": str(party), "deleted_at": deleted},
        )

    await publish(service, "identity", party_event("created", 1))

    async def linkable() -> bool:
        response = await service.http.post("/contracts", headers=tenant.admin, json=body)
        return response.status_code == 201

    await eventually(linkable)
    await publish(service, "identity", party_event("deleted", 3))
    await publish(service, "identity", party_event("updated", 2))  # late and older: ignored

    async def refused() -> bool:
        response = await service.http.post("/contracts", headers=tenant.admin, json=body)
        return response.status_code == 400

    await eventually(refused)
    response = await service.http.post("/contracts", headers=tenant.admin, json=body)
    assert response.json()["errors"][0]["code"] == "eAttemptSaveWithMissingParties"


async def test_a_deleted_asset_is_unlinked_from_its_contracts(service: Contracts, tenant: Tenant) -> None:
    asset, entity = uuid.uuid4(), uuid.uuid4()
    await publish(service, "assets", assets_event(tenant, "asset", asset, "created", version=1))
    await publish(service, "assets", assets_event(tenant, "entity", entity, "created", version=1))
    body = contract_body(asset_ids=[str(asset)], entities_ids=[str(entity)])

    async def linkable() -> bool:
        response = await service.http.post("/contracts", headers=tenant.admin, json=body)
        return response.status_code == 201

    await eventually(linkable)
    made = await create_contract(
        service, tenant, "Linked", asset_ids=[str(asset)], entities_ids=[str(entity)]
    )
    await publish(service, "assets", assets_event(tenant, "asset", asset, "deleted", version=2))

    async def unlinked() -> bool:
        got = await service.http.get(f"/contracts/{made['id']}", headers=tenant.admin)
        return got.json()["data"]["asset_ids"] == []

    await eventually(unlinked)
    got = (await service.http.get(f"/contracts/{made['id']}?include[]=counts", headers=tenant.admin)).json()[
        "data"
    ]
    assert got["entity_ids"] == [str(entity)]
    assert got["stats"] == [{"assets": 0, "entities": 1}]
    events = await recorded_events(service, made["id"])
    assert [(e["type"], e["version"]) for e in events] == [
        ("contracts.contract.created", 1),
        ("contracts.contract.updated", 2),
    ]
    assert events[-1]["data"]["asset_ids"] == []
    response = await service.http.post("/contracts", headers=tenant.admin, json=body)
    assert response.json()["errors"][0]["code"] == "eAttemptSaveWithMissingAssets"
