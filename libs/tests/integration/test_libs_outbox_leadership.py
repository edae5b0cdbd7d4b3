"""Two replicas of a service, each with its own engine, NATS connection and relay, against real
PostgreSQL and JetStream: one relays at a time, an aggregate's events reach the stream in the
order they were committed, and a standby takes over when the leader's session ends."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from outbox_support import running, stopped, stream_count, stream_events, wait_until
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from proximity.db.engine import build_engine, build_sessionmaker
from proximity.db.leadership import lock_key
from proximity.db.unit_of_work import UnitOfWork
from proximity.events.connection import connect
from proximity.events.envelope import Event
from proximity.events.relay import OutboxRelay

aggregates = sa.Table(
    "aggregates",
    sa.MetaData(),
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
)


@dataclass
class Replica:
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    nc: NATS
    relay: OutboxRelay


@pytest.fixture
async def replicas(engine: AsyncEngine, nats_url: str, context: str) -> AsyncIterator[list[Replica]]:
    """Two replicas on the test's database: separate engines and NATS connections."""
    async with engine.begin() as connection:
        await connection.run_sync(aggregates.create)
    made: list[Replica] = []
    for n in range(2):
        own_engine = build_engine(engine.url, pool_size=4)
        nc = await connect(nats_url, name=f"libs-tests-replica-{n}")
        relay = OutboxRelay(own_engine, nc.jetstream(), context=context, poll_interval=0.05)
        made.append(Replica(own_engine, build_sessionmaker(own_engine), nc, relay))
    yield made
    for replica in made:
        await replica.nc.drain()
        await replica.engine.dispose()


async def change(replica: Replica, context: str, aggregate: str) -> int:
    """One use case: bump the aggregate's version under its row lock and publish the new state."""
    async with UnitOfWork(replica.sessionmaker, on_commit=replica.relay.wake) as uow:
        version = (
            await uow.session.execute(
                sa.update(aggregates)
                .where(aggregates.c.id == aggregate)
                .values(version=aggregates.c.version + 1)
                .returning(aggregates.c.version)
            )
        ).scalar_one()
        uow.publish(Event(type=f"{context}.thing.updated", aggregate_id=aggregate, version=version, data={}))
        await uow.commit()
    return int(version)


async def create(replica: Replica, aggregate: str) -> None:
    async with replica.sessionmaker() as session, session.begin():
        await session.execute(sa.insert(aggregates).values(id=aggregate, version=0))


async def versions_in_stream(js: JetStreamContext, context: str, aggregate: str) -> list[int]:
    return [event.version for _, event in await stream_events(js, context) if event.aggregate_id == aggregate]


def inversions(versions: list[int]) -> int:
    return sum(1 for earlier, later in itertools.pairwise(versions) if later < earlier)


async def test_two_replicas_relay_600_versions_of_one_aggregate_in_order(
    replicas: list[Replica], js: JetStreamContext, context: str
) -> None:
    await create(replicas[0], "thing-1")
    writers, per_writer = 12, 50

    async def writer(n: int) -> None:
        for _ in range(per_writer):
            await change(replicas[n % 2], context, "thing-1")

    async with running(*(r.relay for r in replicas)):
        await asyncio.gather(*(writer(n) for n in range(writers)))

        async def all_sent() -> bool:
            return await stream_count(js, context) == writers * per_writer

        await wait_until(all_sent, seconds=60, what="600 events in the stream")
        assert [r.relay.leading for r in replicas].count(True) == 1

    versions = await versions_in_stream(js, context, "thing-1")
    assert inversions(versions) == 0
    assert versions == list(range(1, writers * per_writer + 1))


async def lock_holder(engine: AsyncEngine) -> int | None:
    """The backend holding this database's (only) advisory lock: the leader's lock connection."""
    async with engine.connect() as connection:
        found = await connection.execute(
            sa.text(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
        )
        pids = list(found.scalars())
    assert len(pids) <= 1, f"more than one advisory lock held: {pids}"
    return pids[0] if pids else None


async def test_a_standby_takes_over_when_the_leaders_session_ends(
    engine: AsyncEngine, replicas: list[Replica], js: JetStreamContext, context: str
) -> None:
    first, second = replicas
    await create(first, "thing-1")
    async with running(first.relay), running(second.relay):

        async def first_leads() -> bool:
            return first.relay.leading

        await wait_until(first_leads, what="the first replica leading")
        for _ in range(10):
            await change(first, context, "thing-1")
            await change(second, context, "thing-1")

        async def sent(n: int) -> bool:
            return await stream_count(js, context) == n

        await wait_until(lambda: sent(20), what="the leader relaying both replicas' events")
        assert not second.relay.leading

        # The leader's session ends (a network cut, an operator, a failover): its lock goes with it.
        cut = await lock_holder(engine)
        assert cut is not None
        async with engine.connect() as connection:
            await connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": cut})
        for _ in range(10):
            await change(first, context, "thing-1")
            await change(second, context, "thing-1")

        async def led_again() -> bool:
            holder = await lock_holder(engine)
            leaders = [first.relay.leading, second.relay.leading].count(True)
            return holder not in (None, cut) and leaders == 1

        await wait_until(led_again, what="a new leader after the cut")
        await wait_until(lambda: sent(40), what="the events written after the cut")

    assert await versions_in_stream(js, context, "thing-1") == list(range(1, 41))


async def test_a_stopped_leader_hands_over_to_the_standby(
    replicas: list[Replica], js: JetStreamContext, context: str
) -> None:
    first, second = replicas
    await create(first, "thing-1")
    async with running(first.relay) as tasks:

        async def first_leads() -> bool:
            return first.relay.leading

        await wait_until(first_leads, what="the first replica leading")
        async with running(second.relay):
            for _ in range(5):
                await change(first, context, "thing-1")
            await stopped(tasks[first.relay])
            for _ in range(5):
                await change(first, context, "thing-1")  # a replica still serving, its relay gone

            async def second_leads() -> bool:
                return second.relay.leading

            await wait_until(second_leads, what="the standby taking over")

            async def all_sent() -> bool:
                return await stream_count(js, context) == 10

            await wait_until(all_sent, what="every event relayed")

    assert await versions_in_stream(js, context, "thing-1") == list(range(1, 11))


def test_the_lock_key_is_stable_and_distinct_per_service() -> None:
    assert lock_key("outbox-relay:identity") == lock_key("outbox-relay:identity")
    assert lock_key("outbox-relay:identity") != lock_key("outbox-relay:consents")
    assert -(2**63) <= lock_key(uuid.uuid4().hex) < 2**63
