"""iam's and assets' events as their publishers put them on the broker, for the territory
tests: a user's grants (``iam.permissions.updated``), a datazone (``iam.datazone.*``) and an
entity with its industry (``assets.entity.*``), and users whose token names a party."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from contracts_harness import Contracts, Tenant

from proximity.events.envelope import Event
from proximity.events.streams import declare_stream


async def publish(service: Contracts, context: str, event: Event) -> None:
    """As its publisher does: onto the publisher's own stream (``IAM``, ``ASSETS``)."""
    js = service.wired.runtime.js
    await declare_stream(js, context)
    await js.publish(event.subject, event.to_json())


async def eventually(check: Callable[[], Awaitable[bool]]) -> None:
    for _ in range(300):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the event never took effect")


@dataclass
class User:
    party_id: uuid.UUID
    headers: dict[str, str]


def user(service: Contracts, tenant: Tenant, perms: list[str]) -> User:
    party = uuid.uuid4()
    token = service.signer.token(
        service.settings, sub=str(uuid.uuid4()), tid=str(tenant.id), pid=str(party), perms=perms, adm=False
    )
    return User(
        party, {"Authorization": f"Bearer {token}", "X-Client-Key": service.client_keys.key_of(tenant.id)}
    )


def grants_event(tenant: Tenant, who: User, version: int, entries: list[dict[str, Any]]) -> Event:
    return Event(
        type="iam.permissions.updated",
        tenant_id=tenant.id,
        aggregate_id=str(who.party_id),
        version=version,
        data={"contract": 1, "party_id": str(who.party_id), "user_id": None, "permissions": entries},
    )


def entry(tags: list[str], zones: list[uuid.UUID] | None) -> dict[str, Any]:
    return {
        "op_group_id": str(uuid.uuid4()),
        "permissions": tags,
        "datazone_ids": None if zones is None else [str(z) for z in zones],
    }


def zone_event(tenant: Tenant, zone: uuid.UUID, version: int, **rules: Any) -> Event:
    """A commercial, static zone unless ``rules`` say otherwise."""
    return Event(
        type="iam.datazone.updated" if version > 1 else "iam.datazone.created",
        tenant_id=tenant.id,
        aggregate_id=str(zone),
        version=version,
        data={
            "contract": 1,
            "id": str(zone),
            "name": "Zone",
            "type": rules.pop("type", "commercial"),
            "is_dynamic": rules.pop("is_dynamic", False),
            "addresses": [],
            "geozones": [],
            "entity_ids": [],
            "contract_ids": [],
            "industry_ids": [],
            "suspended_at": None,
            "deleted_at": None,
            **{name: [str(i) for i in ids] if isinstance(ids, list) else ids for name, ids in rules.items()},
        },
    )


def entity_event(tenant: Tenant, entity: uuid.UUID, version: int, industry: uuid.UUID | None) -> Event:
    return Event(
        type="assets.entity.updated" if version > 1 else "assets.entity.created",
        tenant_id=tenant.id,
        aggregate_id=str(entity),
        version=version,
        data={
            "contract": 1,
            "id": str(entity),
            "name": "Entity",
            "industry_id": None if industry is None else str(industry),
            "suspended_at": None,
            "deleted_at": None,
        },
    )


async def names(service: Contracts, headers: dict[str, str]) -> set[str]:
    response = await service.http.get("/contracts", headers=headers, params={"per_page": 100})
    assert response.status_code == 200, response.text
    return {item["name"] for item in response.json()["data"]}
