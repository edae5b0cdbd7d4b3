"""What heatmaps learns from identity's, iam's and assets' events on the real broker: parties
become owners, groups become linkable and counted, number fields become metrics, and each
stops when deleted (or archived); a late, older event changes nothing; iam's datazones are
kept in the replica."""

from __future__ import annotations

import uuid
from typing import Any

from heatmaps_harness import CATCH_UP_SECONDS, Heatmaps, Tenant, heatmap_body, metric
from sqlmodel import col, select

from heatmaps.repositories.access_replica import HeatmapsDatazone
from heatmaps.repositories.field_replica import HeatmapsField
from proximity.events.envelope import Event
from proximity.testing.iam_events import datazone_changed, eventually, publish_as

DELETED = "2026-01-01T00:00:00+00:00"


async def _publish(service: Heatmaps, context: str, event: Event) -> None:
    await publish_as(service.wired.runtime.js, context, event)


def _event(tenant: Tenant, subject: str, aggregate: uuid.UUID, version: int, data: dict[str, Any]) -> Event:
    return Event(type=subject, tenant_id=tenant.id, aggregate_id=str(aggregate), version=version, data=data)


async def _create_status(service: Heatmaps, tenant: Tenant, **body: Any) -> str:
    response = await service.http.post("/heatmaps", headers=tenant.member, json=heatmap_body(**body))
    if response.status_code == 201:
        return "created"
    return str(response.json()["errors"][0]["code"])


async def _becomes(service: Heatmaps, tenant: Tenant, outcome: str, **body: Any) -> None:
    async def reached() -> bool:
        return await _create_status(service, tenant, **body) == outcome

    await eventually(reached, seconds=CATCH_UP_SECONDS)


async def test_parties_become_owners_until_deleted(service: Heatmaps, tenant: Tenant) -> None:
    party = uuid.uuid4()
    owners = {"owner_ids": [str(party)]}
    assert await _create_status(service, tenant, **owners) == "eOwnerNotFound"

    def party_event(verb: str, version: int) -> Event:
        deleted = DELETED if verb == "deleted" else None
        data = {"id": str(party), "first_name": "Ada", "deleted_at": deleted, "unknown_field": 1}
        return _event(tenant, f"identity.party.{verb}", party, version, data)

    await _publish(service, "identity", party_event("created", 1))
    await _becomes(service, tenant, "created", **owners)
    await _publish(service, "identity", party_event("deleted", 3))
    await _becomes(service, tenant, "eOwnerNotFound", **owners)
    await _publish(service, "identity", party_event("updated", 2))  # late and older: ignored
    await _publish(service, "identity", party_event("restored", 4))
    await _becomes(service, tenant, "created", **owners)


async def test_groups_become_linkable_and_are_counted_by_type(service: Heatmaps, tenant: Tenant) -> None:
    group = uuid.uuid4()

    def group_event(verb: str, version: int, type_: str = "user") -> Event:
        data = {
            "contract": 1,
            "id": str(group),
            "name": "Group",
            "type": type_,
            "is_system": False,
            "suspended_at": None,
            "deleted_at": DELETED if verb == "deleted" else None,
        }
        return _event(tenant, f"iam.group.{verb}", group, version, data)

    linked = {"group_ids": [str(group)]}
    await _publish(service, "iam", group_event("created", 1))
    await _becomes(service, tenant, "created", **linked)
    made = (await service.http.get("/heatmaps", headers=tenant.member, params={"include[]": "stats"})).json()
    assert made["data"][0]["stats"] == [{"groups.operational": 0, "groups.user": 1}]
    await _publish(service, "iam", group_event("deleted", 2))
    await _becomes(service, tenant, "eGroupNotFound", **linked)
    stats = (await service.http.get(f"/heatmaps/{made['data'][0]['id']}", headers=tenant.member)).json()
    assert stats["data"]["stats"] == [{"groups.operational": 0, "groups.user": 0}]


async def test_number_fields_become_metrics_until_archived(service: Heatmaps, tenant: Tenant) -> None:
    field = uuid.uuid4()

    def field_event(verb: str, version: int, **state: Any) -> Event:
        data = {
            "contract": 1,
            "id": str(field),
            "object_type": "asset",
            "label": "Floors",
            "field_type": "number",
            "config": {"min": 1, "max": 200, "scalefactor": 2.5},
            "archived_at": None,
            "deleted_at": None,
            **state,
        }
        return _event(tenant, f"assets.field.{verb}", field, version, data)

    metrics = {"metrics": [metric(field, calc="avg")]}
    await _publish(service, "assets", field_event("created", 1))
    await _becomes(service, tenant, "created", **metrics)
    async with service.wired.reading() as session:
        query = select(HeatmapsField).where(col(HeatmapsField.field_id) == field)
        stored = (await session.execute(query)).scalar_one()
    assert stored.scalefactor == 2.5
    await _publish(service, "assets", field_event("updated", 2, archived_at=DELETED))
    await _becomes(service, tenant, "eInvalidMetricField", **metrics)
    await _publish(service, "assets", field_event("updated", 3))
    await _becomes(service, tenant, "created", **metrics)
    await _publish(service, "assets", field_event("deleted", 4))  # deleted_at null: the subject says it
    await _becomes(service, tenant, "eInvalidMetricField", **metrics)


async def test_datazones_are_kept_in_the_replica(service: Heatmaps, tenant: Tenant) -> None:
    zone = uuid.uuid4()
    await _publish(service, "iam", datazone_changed(tenant.id, zone, 1, type_="geo", is_dynamic=False))

    async def kept() -> bool:
        async with service.wired.reading() as session:
            found = await session.execute(select(HeatmapsDatazone).where(col(HeatmapsDatazone.id) == zone))
            return found.scalars().first() is not None

    await eventually(kept, seconds=CATCH_UP_SECONDS)
