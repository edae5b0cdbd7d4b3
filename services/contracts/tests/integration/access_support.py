"""iam's and assets' events as their publishers put them on the broker, for the territory
tests: a user's grants (``iam.permissions.updated``), a datazone (``iam.datazone.*``) and an
entity with its industry (``assets.entity.*``), and users whose token names a party."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from contracts_harness import Contracts, Tenant

from proximity.events.envelope import Event
from proximity.testing.iam_events import datazone_changed, permissions_updated, publish_as


async def publish(service: Contracts, context: str, event: Event) -> None:
    """As its publisher does: onto the publisher's own stream (``IAM``, ``ASSETS``)."""
    await publish_as(service.wired.runtime.js, context, event)


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
    return permissions_updated(tenant.id, who.party_id, version, entries)


def zone_event(tenant: Tenant, zone: uuid.UUID, version: int, **rules: Any) -> Event:
    """A commercial, static zone unless ``rules`` say otherwise."""
    return datazone_changed(
        tenant.id,
        zone,
        version,
        type_=rules.pop("type", "commercial"),
        is_dynamic=rules.pop("is_dynamic", False),
        **rules,
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
