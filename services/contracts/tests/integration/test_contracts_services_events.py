"""``contracts.service.*`` as assets receives them: the relay publishes each change on the stream
``CONTRACTS`` of the real NATS, under the filter assets' durable consumer reads, and each
payload satisfies assets' own contract for it (``assets.events.consumed.ServicePayload``: the
module its consumer validates with). assets' replica code itself cannot be imported here: both
services declare a ``contract_assets`` table in SQLModel's one metadata."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from contracts_harness import Contracts, Tenant
from test_contracts_services import create_service, service_body, type_id

from assets.events.consumed import (
    CONTRACTS_PAYLOAD_CONTRACT,
    SERVICE_FILTER,
    SERVICE_SUBJECTS,
    ServicePayload,
)
from proximity.events.consumer import subscribe
from proximity.events.envelope import Event


async def until(check: Callable[[], bool]) -> None:
    for _ in range(300):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the events never arrived")


async def test_what_contracts_publishes_is_what_assets_reads(service: Contracts, tenant: Tenant) -> None:
    seen: list[Event] = []

    async def collect(event: Event) -> None:
        if event.tenant_id == tenant.id:
            seen.append(event)

    runtime = service.wired.runtime
    consumer = await subscribe(
        runtime.js,
        stream=runtime.stream,
        subject=SERVICE_FILTER,  # what assets' durable consumer filters on
        handler=collect,
        since=datetime.now(UTC) - timedelta(seconds=1),
    )
    try:
        made = await create_service(service, tenant, "Cleaning", type_id=type_id(tenant, "cleaning"))
        kept = await create_service(service, tenant, "Security")
        renamed = await service.http.put(
            f"/services/{made['id']}",
            headers=tenant.admin,
            json=service_body("Deep Cleaning", type_id=type_id(tenant, "cleaning")),
        )
        assert renamed.status_code == 200, renamed.text
        assert (await service.http.delete(f"/services/{made['id']}", headers=tenant.admin)).status_code == 204
        await until(lambda: len(seen) == 4)
    finally:
        consumer.cancel()

    assert [(e.type, e.aggregate_id, e.version) for e in seen] == [
        ("contracts.service.created", made["id"], 1),
        ("contracts.service.created", kept["id"], 1),
        ("contracts.service.updated", made["id"], 2),
        ("contracts.service.deleted", made["id"], 3),
    ]
    assert {e.type for e in seen} <= set(SERVICE_SUBJECTS)
    # Every field assets reads is sent (none falls back to the model's default), and validates.
    assert all(set(ServicePayload.model_fields) <= set(e.data) for e in seen)
    payloads = [ServicePayload.model_validate(e.data) for e in seen]
    assert all(p.contract == CONTRACTS_PAYLOAD_CONTRACT for p in payloads)
    assert (payloads[2].name, payloads[2].type) == ("Deep Cleaning", "cleaning")
    assert payloads[3].deleted_at is not None
    assert payloads[1].type is None
    assert all(e.tenant_id == tenant.id and e.schema == 1 for e in seen)
