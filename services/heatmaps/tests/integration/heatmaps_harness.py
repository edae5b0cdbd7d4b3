"""What the heatmaps integration tests share: the running service with the stand-in identity
(``proximity.testing.stand_in_identity``), tenants, replicas fed as identity's, iam's and
assets' events would, and request helpers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
from sqlmodel import col, select

from heatmaps.bootstrap import Collaborators
from heatmaps.config import HeatmapsSettings
from heatmaps.repositories.field_replica import apply_field
from heatmaps.repositories.group_replica import apply_group
from heatmaps.repositories.party_replica import apply_party
from proximity.events.tables import OutboxMessage
from proximity.testing.stand_in_identity import ClientKeys, Signer

# A deadline, not a timing: the durable consumers read their streams from the start, and in a
# full run other suites have put thousands of events there first.
CATCH_UP_SECONDS = 90.0
HEATMAP_PERMISSIONS = ("heatmaps.view", "heatmaps.create", "heatmaps.update", "heatmaps.delete")


@dataclass
class Heatmaps:
    http: httpx.AsyncClient
    wired: Collaborators
    signer: Signer
    settings: HeatmapsSettings
    client_keys: ClientKeys

    def headers(
        self,
        tenant_id: uuid.UUID,
        *,
        admin: bool = False,
        permissions: tuple[str, ...] = (),
        party_id: uuid.UUID | None = None,
    ) -> dict[str, str]:
        """A user's token with their tenant's client key, as the gateway forwards them."""
        claims: dict[str, Any] = {
            "sub": str(uuid.uuid4()),
            "tid": str(tenant_id),
            "pid": str(party_id or uuid.uuid4()),
            "perms": list(permissions),
            "adm": admin,
        }
        token = self.signer.token(self.settings, **claims)
        return {"Authorization": f"Bearer {token}", "X-Client-Key": self.client_keys.key_of(tenant_id)}


@dataclass(frozen=True)
class Tenant:
    """A tenant, a system administrator and a member holding every heatmap permission."""

    id: uuid.UUID
    admin: dict[str, str]
    member: dict[str, str]

    @classmethod
    def new(cls, service: Heatmaps) -> Tenant:
        tenant_id = uuid.uuid4()
        return cls(
            tenant_id,
            admin=service.headers(tenant_id, admin=True),
            member=service.headers(tenant_id, permissions=HEATMAP_PERMISSIONS),
        )


async def known_party(service: Heatmaps, tenant: Tenant, *, deleted: bool = False) -> uuid.UUID:
    party = uuid.uuid4()
    async with service.wired.unit_of_work() as uow:
        await apply_party(uow.session, tenant_id=tenant.id, party_id=party, deleted=deleted, version=1)
        await uow.commit()
    return party


async def known_group(
    service: Heatmaps, tenant: Tenant, type_: str = "operational", *, deleted: bool = False
) -> uuid.UUID:
    group = uuid.uuid4()
    async with service.wired.unit_of_work() as uow:
        await apply_group(
            uow.session, tenant_id=tenant.id, group_id=group, type_=type_, deleted=deleted, version=1
        )
        await uow.commit()
    return group


async def known_field(
    service: Heatmaps,
    tenant: Tenant,
    field_type: str = "number",
    *,
    archived: bool = False,
    deleted: bool = False,
) -> uuid.UUID:
    field = uuid.uuid4()
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    async with service.wired.unit_of_work() as uow:
        await apply_field(
            uow.session,
            tenant_id=tenant.id,
            field_id=field,
            object_type="asset",
            field_type=field_type,
            scalefactor=None,
            archived_at=stamp if archived else None,
            deleted_at=stamp if deleted else None,
            version=1,
        )
        await uow.commit()
    return field


def metric(field_id: uuid.UUID | None = None, **overrides: Any) -> dict[str, Any]:
    return {
        "field_id": None if field_id is None else str(field_id),
        "label": "Total count",
        "ref": "number",
        "calc": "count",
        "ranges": None,
        **overrides,
    }


def heatmap_body(name: str = "Heatmap", **overrides: Any) -> dict[str, Any]:
    return {
        "name": name,
        "description": f"{name} description",
        "type": "business",
        "owner_ids": [],
        "group_ids": [],
        "metrics": [metric()],
        "suspended_at": None,
        **overrides,
    }


async def create_heatmap(
    service: Heatmaps, tenant: Tenant, name: str = "Heatmap", **overrides: Any
) -> dict[str, Any]:
    response = await service.http.post(
        "/heatmaps", headers=tenant.member, json=heatmap_body(name, **overrides)
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()["data"]
    return created


def assert_error(response: httpx.Response, code: str, status: int = 400) -> None:
    assert response.status_code == status, response.text
    assert response.json()["errors"][0]["code"] == code, response.text


async def recorded_events(service: Heatmaps, aggregate_id: object) -> list[dict[str, Any]]:
    async with service.wired.unit_of_work() as uow:
        rows = await uow.session.execute(
            select(col(OutboxMessage.payload))
            .where(col(OutboxMessage.aggregate_id) == str(aggregate_id))
            .order_by(col(OutboxMessage.seq))
        )
        return [orjson.loads(raw) for raw in rows.scalars()]
