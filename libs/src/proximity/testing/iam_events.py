"""iam's events as the services' tests publish them in iam's place (docs/events.md): a user's
grants and a datazone's state, onto the stream ``IAM`` as iam would. For the tests of every
service that enforces territories with ``proximity.access``."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from nats.js import JetStreamContext

from proximity.events.envelope import Event
from proximity.events.streams import declare_stream


async def publish_as(js: JetStreamContext, context: str, event: Event) -> None:
    """Onto ``context``'s own stream, declared as its publisher declares it."""
    await declare_stream(js, context)
    await js.publish(event.subject, event.to_json())


async def eventually(check: Callable[[], Awaitable[bool]], *, seconds: float = 15.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the event never took effect")


def grant_entry(tags: list[str], zones: list[uuid.UUID] | None) -> dict[str, Any]:
    """One operational group's entry: its tags, within ``zones`` (None: the whole tenant)."""
    return {
        "op_group_id": str(uuid.uuid4()),
        "permissions": tags,
        "datazone_ids": None if zones is None else [str(z) for z in zones],
    }


def permissions_updated(
    tenant_id: uuid.UUID, party_id: uuid.UUID, version: int, entries: list[dict[str, Any]]
) -> Event:
    return Event(
        type="iam.permissions.updated",
        tenant_id=tenant_id,
        aggregate_id=str(party_id),
        version=version,
        data={"contract": 1, "party_id": str(party_id), "user_id": None, "permissions": entries},
    )


def datazone_changed(
    tenant_id: uuid.UUID,
    zone: uuid.UUID,
    version: int,
    *,
    type_: str,
    is_dynamic: bool,
    geozones: list[dict[str, Any]] | None = None,
    **rules: Any,
) -> Event:
    """A datazone's whole state; ``rules``: its other fields (uuid lists as uuids)."""
    return Event(
        type="iam.datazone.updated" if version > 1 else "iam.datazone.created",
        tenant_id=tenant_id,
        aggregate_id=str(zone),
        version=version,
        data={
            "contract": 1,
            "id": str(zone),
            "name": "Zone",
            "type": type_,
            "is_dynamic": is_dynamic,
            "addresses": [],
            "geozones": geozones or [],
            "entity_ids": [],
            "contract_ids": [],
            "industry_ids": [],
            "suspended_at": None,
            "deleted_at": None,
            **{name: [str(i) for i in ids] if isinstance(ids, list) else ids for name, ids in rules.items()},
        },
    )
