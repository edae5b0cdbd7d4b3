"""``iam.group.*`` on the real broker: the relay publishes each change of a group on the stream
``IAM``, in order, at the group's version, with the payload docs/events.md gives."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from iam_harness import Iam, Tenant, create_group, group_body

from iam.events.group_events import GROUP_SUBJECTS
from proximity.events.consumer import subscribe
from proximity.events.envelope import Event


async def until(check: Callable[[], bool]) -> None:
    for _ in range(300):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the events never arrived")


async def test_each_change_of_a_group_is_published(service: Iam, tenant: Tenant) -> None:
    seen: list[Event] = []

    async def collect(event: Event) -> None:
        if event.tenant_id == tenant.id and event.type in GROUP_SUBJECTS and not event.data["is_system"]:
            seen.append(event)

    runtime = service.wired.runtime
    consumer = await subscribe(
        runtime.js,
        stream=runtime.stream,
        subject="iam.group.*",
        handler=collect,
        since=datetime.now(UTC) - timedelta(seconds=1),
    )
    try:
        made = await create_group(service, tenant, "Sales")
        renamed = await service.http.put(
            f"/groups/{made['id']}", headers=tenant.admin, json=group_body("Sales EU")
        )
        assert renamed.status_code == 200, renamed.text
        assert (await service.http.delete(f"/groups/{made['id']}", headers=tenant.admin)).status_code == 204
        await until(lambda: len(seen) == 3)
    finally:
        consumer.cancel()
    assert [(e.type, e.version, e.aggregate_id) for e in seen] == [
        ("iam.group.created", 1, made["id"]),
        ("iam.group.updated", 2, made["id"]),
        ("iam.group.deleted", 3, made["id"]),
    ]
    assert seen[1].data["name"] == "Sales EU"
    assert seen[2].data["deleted_at"] is not None
    assert set(seen[0].data) == {"contract", "id", "name", "type", "is_system", "suspended_at", "deleted_at"}
