"""The replicas of iam's grants and datazones against real PostgreSQL and JetStream: events
published on iam's stream as iam will, applied once and only when newer, a datazone change
recomputing the objects' membership in the same transaction, the request path reading a
caller's grants, and an unknown payload contract parked."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import sqlalchemy as sa
from nats.js import JetStreamContext
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlmodel import select

from proximity.access.caller import caller_access
from proximity.access.datazones import DATAZONE_FILTER, PERMISSIONS_UPDATED
from proximity.access.membership import write_memberships
from proximity.access.replica import AccessReplica, DatazoneRow, GrantRow, ZoneChange
from proximity.access.territory import Locatable, Territory
from proximity.auth.claims import Claims
from proximity.events.consumer import InboxHandler, SessionEventHandler, subscribe
from proximity.events.envelope import Event
from proximity.events.streams import declare_stream, stream_name
from proximity.events.tables import ParkedMessage


class ScratchGrant(GrantRow, table=True):
    __tablename__ = "libt_access_grant"


class ScratchDatazone(DatazoneRow, table=True):
    __tablename__ = "libt_datazone_replica"


objects = sa.Table(
    "libt_located",
    sa.MetaData(),
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False),
    sa.Column("long", sa.Float, nullable=False),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("datazone_ids", ARRAY(sa.Uuid), nullable=False, server_default="{}"),
)
replica = AccessReplica(ScratchGrant, ScratchDatazone)
recomputed: list[ZoneChange] = []


async def recompute(session: AsyncSession, change: ZoneChange, territory: Territory) -> None:
    """What a service does: every located object of the tenant, tested at once, written in batches."""
    recomputed.append(change)
    rows = (
        await session.execute(
            sa.select(objects.c.id, objects.c.long, objects.c.lat).where(
                objects.c.tenant_id == change.tenant_id
            )
        )
    ).all()
    zones = territory.zones_of_many([Locatable(point=(row.long, row.lat)) for row in rows])
    await write_memberships(
        session, objects, change.tenant_id, zip([row.id for row in rows], zones, strict=True)
    )


@pytest.fixture
async def tables(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        for table in (ScratchGrant.__table__, ScratchDatazone.__table__, objects, ParkedMessage.__table__):  # type: ignore[attr-defined]
            await connection.run_sync(table.create, checkfirst=True)


Start = Callable[[str, SessionEventHandler], Awaitable[None]]


@pytest.fixture
async def consume(
    js: JetStreamContext, sessionmaker: async_sessionmaker[AsyncSession], tables: None
) -> AsyncIterator[Start]:
    await declare_stream(js, "iam")
    tasks: list[asyncio.Task[None]] = []

    async def start(subject: str, handler: SessionEventHandler) -> None:
        durable = f"libt-{uuid.uuid4().hex[:10]}"
        tasks.append(
            await subscribe(
                js,
                stream=stream_name("iam"),
                subject=subject,
                handler=InboxHandler(durable, sessionmaker, handler),
                durable=durable,
                park_in=sessionmaker,
            )
        )

    yield start
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def publish(js: JetStreamContext, event: Event) -> None:
    await js.publish(event.subject, event.to_json(), headers={"Nats-Msg-Id": str(event.id)})


def permissions_event(
    tenant: uuid.UUID,
    party: uuid.UUID,
    user: uuid.UUID,
    version: int,
    entries: list[dict[str, Any]],
    contract: int = 1,
) -> Event:
    return Event(
        type=PERMISSIONS_UPDATED,
        tenant_id=tenant,
        aggregate_id=str(party),
        version=version,
        data={"contract": contract, "party_id": str(party), "user_id": str(user), "permissions": entries},
    )


def datazone_event(
    tenant: uuid.UUID, zone: uuid.UUID, version: int, radius: float, verb: str = "updated"
) -> Event:
    return Event(
        type=f"iam.datazone.{verb}",
        tenant_id=tenant,
        aggregate_id=str(zone),
        version=version,
        data={
            "contract": 1,
            "id": str(zone),
            "name": "Around the origin",
            "type": "geo",
            "is_dynamic": True,
            "addresses": [],
            "geozones": [
                {"id": str(uuid.uuid4()), "name": "o", "lat": 0.0, "long": 0.0, "radius": radius, "wkt": None}
            ],
            "entity_ids": [],
            "contract_ids": [],
            "industry_ids": [],
            "suspended_at": None,
            "deleted_at": "2026-01-01T00:00:00+00:00" if verb == "deleted" else None,
        },
    )


async def eventually(check: Callable[[], Awaitable[bool]]) -> None:
    async with asyncio.timeout(10):
        while not await check():  # noqa: ASYNC110 - database rows, nothing to await on
            await asyncio.sleep(0.05)


def claims(
    tenant: uuid.UUID, party: uuid.UUID, user: uuid.UUID, perms: frozenset[str] = frozenset()
) -> Claims:
    return Claims(subject=str(user), tenant_id=tenant, party_id=party, permissions=perms)


async def test_grants_are_applied_when_newer_and_read_on_the_request_path(
    js: JetStreamContext, sessionmaker: async_sessionmaker[AsyncSession], consume: Start
) -> None:
    tenant, party, user, zone = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await consume(PERMISSIONS_UPDATED, replica.permissions_handler())
    caller = claims(tenant, party, user, frozenset({"assets.view"}))

    async with sessionmaker() as session:  # nothing computed yet: the token's perms, everywhere
        before = await caller_access(caller, session, ScratchGrant)
    assert before.source == "token"
    assert before.may("assets.view", set())

    scoped = [{"op_group_id": str(uuid.uuid4()), "permissions": ["assets.view"], "datazone_ids": [str(zone)]}]
    await publish(js, permissions_event(tenant, party, user, 2, scoped))
    await publish(js, permissions_event(tenant, party, user, 1, [{"permissions": ["assets.delete"]}]))  # late

    async def scoped_applied() -> bool:
        async with sessionmaker() as session:
            grants = await caller_access(caller, session, ScratchGrant)
        return grants.source == "replica" and grants.reach("assets.view") == {zone}

    await eventually(scoped_applied)
    await publish(js, permissions_event(tenant, party, user, 3, []))  # everything taken away

    async def emptied() -> bool:
        async with sessionmaker() as session:
            return not (await caller_access(caller, session, ScratchGrant)).holds("assets.view")

    await eventually(emptied)
    async with sessionmaker() as session:  # found by user id too; another tenant's token finds nothing
        no_party = Claims(subject=str(user), tenant_id=tenant, permissions=frozenset({"assets.view"}))
        assert (await caller_access(no_party, session, ScratchGrant)).source == "replica"
        elsewhere = claims(uuid.uuid4(), party, user, frozenset({"assets.view"}))
        assert (await caller_access(elsewhere, session, ScratchGrant)).source == "token"
        admin = Claims(subject=str(user), tenant_id=tenant, party_id=party, system_admin=True)
        assert (await caller_access(admin, session, ScratchGrant)).system_admin


async def test_a_datazone_change_recomputes_membership_and_a_deleted_zone_holds_nothing(
    js: JetStreamContext, sessionmaker: async_sessionmaker[AsyncSession], consume: Start
) -> None:
    tenant, zone = uuid.uuid4(), uuid.uuid4()
    near, far = uuid.uuid4(), uuid.uuid4()
    async with sessionmaker() as session, session.begin():
        await session.execute(
            sa.insert(objects),
            [
                {"id": near, "tenant_id": tenant, "long": 0.0, "lat": 0.001},  # ~111 m from the origin
                {"id": far, "tenant_id": tenant, "long": 0.0, "lat": 0.01},  # ~1.1 km
            ],
        )
    await consume(DATAZONE_FILTER, replica.datazone_handler(recompute))

    async def members() -> dict[uuid.UUID, list[uuid.UUID]]:
        async with sessionmaker() as session:
            rows = (
                await session.execute(
                    sa.select(objects.c.id, objects.c.datazone_ids).where(objects.c.tenant_id == tenant)
                )
            ).all()
        return {row.id: row.datazone_ids for row in rows}

    await publish(js, datazone_event(tenant, zone, 1, 500, "created"))

    async def first() -> bool:
        return await members() == {near: [zone], far: []}

    await eventually(first)
    await publish(js, datazone_event(tenant, zone, 3, 2000))
    await publish(js, datazone_event(tenant, zone, 2, 10))  # late: changes nothing

    async def widened() -> bool:
        return await members() == {near: [zone], far: [zone]}

    await eventually(widened)
    await publish(js, datazone_event(tenant, zone, 4, 2000, "deleted"))

    async def emptied() -> bool:
        return await members() == {near: [], far: []}

    await eventually(emptied)
    mine = [change for change in recomputed if change.zone_id == zone]
    assert [change.before is None for change in mine] == [True, False, False]
    async with sessionmaker() as session:
        stored = (
            (await session.execute(select(ScratchDatazone).where(ScratchDatazone.id == zone))).scalars().one()
        )
        assert stored.deleted
        assert stored.version == 4
        assert (await replica.territory(session, tenant)).zone_ids == frozenset()


async def test_an_unknown_payload_contract_is_parked_not_applied(
    js: JetStreamContext, sessionmaker: async_sessionmaker[AsyncSession], consume: Start
) -> None:
    tenant, party, user = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await consume(PERMISSIONS_UPDATED, replica.permissions_handler())
    event = permissions_event(tenant, party, user, 1, [], contract=2)
    await publish(js, event)

    async def parked() -> bool:
        async with sessionmaker() as session:
            found = await session.execute(select(ParkedMessage).where(ParkedMessage.event_id == event.id))
            return found.first() is not None

    await eventually(parked)
    async with sessionmaker() as session:
        assert (
            await session.execute(select(ScratchGrant).where(ScratchGrant.party_id == party))
        ).first() is None
