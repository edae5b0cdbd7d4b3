"""What assets learns from identity's events on the real broker: a new tenant gets its asset
types; parties become known (and, deleted, unknown again) for ``party_ids``; a late, older
party event changes nothing."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import Awaitable, Callable

from assets_support import Assets, Tenant, asset_body, provisioned_tenant

from proximity.events.envelope import Event
from proximity.events.streams import declare_stream


async def publish(service: Assets, event: Event) -> None:
    """As identity does: onto its stream ``IDENTITY`` (declared by identity, its publisher)."""
    js = service.wired.runtime.js
    await declare_stream(js, "identity")
    await js.publish(event.subject, event.to_json())


async def eventually(check: Callable[[], Awaitable[bool]]) -> None:
    for _ in range(300):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the event never took effect")


def party_event(
    tenant: Tenant, party_id: uuid.UUID, verb: str, *, version: int, deleted: bool = False
) -> Event:
    return Event(
        type=f"identity.party.{verb}",
        tenant_id=tenant.id,
        aggregate_id=str(party_id),
        version=version,
        data={
            "id": str(party_id),
            "first_name": "Ada",
            "deleted_at": "2026-01-01T00:00:00+00:00" if deleted else None,
            "a_field_assets_does_not_know": True,
        },
    )


async def test_a_new_tenant_gets_its_asset_types(service: Assets) -> None:
    tenant_id = uuid.uuid4()
    event = Event(
        type="identity.tenant.created",
        tenant_id=tenant_id,
        aggregate_id=str(tenant_id),
        data={"id": str(tenant_id), "name": "Acme"},
    )
    await publish(service, event)
    headers = service.headers(tenant_id, admin=True)

    async def provisioned() -> bool:
        response = await service.http.get("/assets/~/types", headers=headers)
        return len(response.json()["data"]) == 4

    await eventually(provisioned)
    entity_types = await service.http.get("/entities/~/types", headers=headers)
    assert len(entity_types.json()["data"]) == 2
    # Announced again (a republish under a new id): nothing more is provisioned. A second
    # tenant's event, on the same consumer, shows when the first was handled.
    await publish(service, dataclasses.replace(event, id=uuid.uuid4()))
    second = uuid.uuid4()
    await publish(
        service, dataclasses.replace(event, id=uuid.uuid4(), tenant_id=second, data={"id": str(second)})
    )

    async def second_provisioned() -> bool:
        response = await service.http.get("/assets/~/types", headers=service.headers(second, admin=True))
        return len(response.json()["data"]) == 4

    await eventually(second_provisioned)
    assert len((await service.http.get("/assets/~/types", headers=headers)).json()["data"]) == 4


async def test_parties_announced_by_identity_can_be_assigned(service: Assets) -> None:
    tenant = await provisioned_tenant(service)
    party_id = uuid.uuid4()
    unit = {"type_id": tenant.type_id("unit")}
    site = await service.http.post(
        "/assets", headers=tenant.admin, json=asset_body("S", type_id=tenant.type_id("site"))
    )
    body = asset_body("U", **unit, parent_id=site.json()["data"]["id"], party_ids=[str(party_id)])

    async def accepted() -> bool:
        return (await service.http.post("/assets", headers=tenant.admin, json=body)).status_code == 201

    async def refused() -> bool:
        response = await service.http.post("/assets", headers=tenant.admin, json=body)
        return (
            response.status_code == 400
            and response.json()["errors"][0]["code"] == "eAttemptSaveWithMissingParties"
        )

    assert await refused()
    await publish(service, party_event(tenant, party_id, "created", version=1))
    await eventually(accepted)
    await publish(service, party_event(tenant, party_id, "deleted", version=3, deleted=True))
    await eventually(refused)
    # An older state arriving late does not bring the party back.
    await publish(service, party_event(tenant, party_id, "updated", version=2))
    marker = uuid.uuid4()
    await publish(service, party_event(tenant, marker, "created", version=1))
    marker_body = {**body, "party_ids": [str(marker)]}

    async def marker_known() -> bool:
        return (await service.http.post("/assets", headers=tenant.admin, json=marker_body)).status_code == 201

    await eventually(marker_known)  # events of one consumer arrive in order: the late one was seen
    assert await refused()
