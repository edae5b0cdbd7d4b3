"""What iam learns from assets' and contracts' events on the real broker: entities, industries
and contracts become nameable in datazones, deleted ones not; a late, older event changes
nothing; a payload of another contract is parked."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from datazones_harness import datazone_body, replica_row
from iam_harness import Iam, Tenant
from sqlmodel import col, select

from iam.events.datazone_consumed import ENTITIES_CONSUMER
from iam.repositories.datazone_replicas import ReplicatedContract, ReplicatedEntity, ReplicatedIndustry
from proximity.events.envelope import Event
from proximity.events.streams import declare_stream
from proximity.events.tables import ParkedMessage


async def publish(service: Iam, context: str, event: Event) -> None:
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


def _event(tenant: Tenant, subject: str, object_id: uuid.UUID, *, version: int, **data: Any) -> Event:
    deleted = "2026-01-01T00:00:00+00:00" if subject.endswith(".deleted") else None
    payload = {"contract": 1, "id": str(object_id), "name": "Thing", "deleted_at": deleted, **data}
    return Event(
        type=subject, tenant_id=tenant.id, aggregate_id=str(object_id), version=version, data=payload
    )


async def test_entities_industries_and_contracts_become_nameable(service: Iam, tenant: Tenant) -> None:
    entity, industry, contract = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await publish(service, "assets", _event(tenant, "assets.industry.created", industry, version=1))
    await publish(
        service,
        "assets",
        _event(tenant, "assets.entity.created", entity, version=1, industry_id=str(industry)),
    )
    await publish(service, "contracts", _event(tenant, "contracts.contract.created", contract, version=1))

    async def all_known() -> bool:
        rows = [
            await replica_row(service, ReplicatedEntity, entity),
            await replica_row(service, ReplicatedIndustry, industry),
            await replica_row(service, ReplicatedContract, contract),
        ]
        return all(row is not None for row in rows)

    await eventually(all_known)
    known = await replica_row(service, ReplicatedEntity, entity)
    assert isinstance(known, ReplicatedEntity)
    assert known.industry_id == industry
    geo = datazone_body(entity_ids=[str(entity)], contract_ids=[str(contract)])
    assert (await service.http.post("/datazones", headers=tenant.admin, json=geo)).status_code == 201
    commercial = datazone_body("C", "commercial", industry_ids=[str(industry)])
    assert (await service.http.post("/datazones", headers=tenant.admin, json=commercial)).status_code == 201

    await publish(service, "assets", _event(tenant, "assets.entity.deleted", entity, version=3))
    await publish(service, "assets", _event(tenant, "assets.entity.updated", entity, version=2))  # late

    async def deleted() -> bool:
        row = await replica_row(service, ReplicatedEntity, entity)
        return row is not None and row.deleted and row.version == 3

    await eventually(deleted)
    response = await service.http.post("/datazones", headers=tenant.admin, json=geo)
    assert response.json()["errors"][0]["code"] == "eAttemptSaveWithMissingEntities"


async def test_another_payload_contract_is_parked(service: Iam, tenant: Tenant) -> None:
    entity = uuid.uuid4()
    event = _event(tenant, "assets.entity.created", entity, version=1)
    event.data["contract"] = 2
    await publish(service, "assets", event)

    async def parked() -> bool:
        async with service.wired.unit_of_work() as uow:
            found = await uow.session.execute(
                select(ParkedMessage).where(
                    col(ParkedMessage.consumer) == ENTITIES_CONSUMER, col(ParkedMessage.event_id) == event.id
                )
            )
            return found.first() is not None

    await eventually(parked)
    assert await replica_row(service, ReplicatedEntity, entity) is None
