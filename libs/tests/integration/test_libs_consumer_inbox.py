"""Durable consumers with an inbox against real PostgreSQL and JetStream: every event has
its effect exactly once, however often it is delivered."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
import sqlalchemy as sa
from nats.js import JetStreamContext
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlmodel import col, select

from proximity.events.connection import connect
from proximity.events.consumer import InboxHandler, SessionEventHandler, subscribe
from proximity.events.envelope import Event
from proximity.events.streams import stream_name
from proximity.events.tables import InboxMessage

effects = sa.Table(
    "effects",
    sa.MetaData(),
    sa.Column("n", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("event_id", sa.Uuid, nullable=False),
    sa.Column("consumer", sa.Text, nullable=False),
)


@pytest.fixture
async def effect_table(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(effects.create)


async def record_effect(session: AsyncSession, event: Event) -> None:
    """The handler's effect: one row per application, so a second application shows."""
    await session.execute(sa.insert(effects).values(event_id=event.id, consumer="test"))


Consume = Callable[..., Awaitable[asyncio.Task[None]]]


@pytest.fixture
async def consume(
    js: JetStreamContext, context: str, sessionmaker: async_sessionmaker[AsyncSession]
) -> AsyncIterator[Consume]:
    """Starts ``subscribe`` with an ``InboxHandler``; stops every consumer after the test."""
    tasks: list[asyncio.Task[None]] = []

    async def start(
        durable: str,
        handler: SessionEventHandler = record_effect,
        inbox: str | None = None,
        concurrency: int = 1,
    ) -> asyncio.Task[None]:
        task = await subscribe(
            js,
            stream=stream_name(context),
            subject=f"{context}.>",
            handler=InboxHandler(inbox or durable, sessionmaker, handler),
            durable=durable,
            concurrency=concurrency,
        )
        tasks.append(task)
        return task

    yield start
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


def new_event(context: str, n: int = 0, aggregate: str | None = None) -> Event:
    return Event(type=f"{context}.thing.changed", aggregate_id=aggregate or f"t{n}", data={"n": n})


async def send(js: JetStreamContext, event: Event, msg_id: str | None = "event") -> int:
    headers = {"Nats-Msg-Id": str(event.id) if msg_id == "event" else msg_id} if msg_id else None
    ack = await js.publish(event.subject, event.to_json(), headers=headers)
    return int(ack.seq)


async def settled(js: JetStreamContext, context: str, durable: str, last_seq: int) -> None:
    """Wait until the consumer has acknowledged everything up to ``last_seq``."""
    async with asyncio.timeout(10):
        while True:
            info = await js.consumer_info(stream_name(context), durable)
            if info.ack_floor is not None and (info.ack_floor.stream_seq or 0) >= last_seq:
                return
            await asyncio.sleep(0.05)


async def effect_counts(sessionmaker: async_sessionmaker[AsyncSession]) -> Counter[uuid.UUID]:
    async with sessionmaker() as session:
        return Counter((await session.execute(sa.select(effects.c.event_id))).scalars())


async def inbox_ids(sessionmaker: async_sessionmaker[AsyncSession], consumer: str) -> set[uuid.UUID]:
    async with sessionmaker() as session:
        query = select(col(InboxMessage.event_id)).where(col(InboxMessage.consumer) == consumer)
        return set((await session.execute(query)).scalars())


def durable_name() -> str:
    return f"c{uuid.uuid4().hex[:12]}"


@pytest.mark.usefixtures("effect_table")
async def test_each_event_is_applied_once(
    js: JetStreamContext, context: str, sessionmaker: async_sessionmaker[AsyncSession], consume: Consume
) -> None:
    durable = durable_name()
    events = [new_event(context, n) for n in range(3)]
    last = 0
    for event in events:
        last = await send(js, event)

    await consume(durable)
    await settled(js, context, durable, last)

    assert await effect_counts(sessionmaker) == Counter({e.id: 1 for e in events})
    assert await inbox_ids(sessionmaker, durable) == {e.id for e in events}


@pytest.mark.usefixtures("effect_table")
async def test_aggregates_applied_side_by_side_keep_each_ones_order(
    js: JetStreamContext, context: str, sessionmaker: async_sessionmaker[AsyncSession], consume: Consume
) -> None:
    durable = durable_name()
    events = [new_event(context, n, aggregate=f"a{n % 3}") for n in range(30)]
    last = 0
    for event in events:
        last = await send(js, event)

    async def slow_effect(session: AsyncSession, event: Event) -> None:
        await asyncio.sleep(0.001 * (event.data["n"] % 4))  # later events of others overtake
        await record_effect(session, event)

    await consume(durable, slow_effect, concurrency=3)
    await settled(js, context, durable, last)

    async with sessionmaker() as session:
        applied = list((await session.execute(sa.select(effects.c.event_id).order_by(effects.c.n))).scalars())
    by_id = {e.id: e for e in events}
    assert sorted(applied) == sorted(e.id for e in events)  # each once
    for aggregate in ("a0", "a1", "a2"):
        mine = [by_id[i].data["n"] for i in applied if by_id[i].aggregate_id == aggregate]
        assert mine == sorted(mine)


@pytest.mark.usefixtures("effect_table")
async def test_the_same_event_delivered_twice_has_one_effect(
    js: JetStreamContext, context: str, sessionmaker: async_sessionmaker[AsyncSession], consume: Consume
) -> None:
    durable = durable_name()
    await consume(durable)
    event = new_event(context)

    # Three separate messages carrying one event: JetStream's own dedupe cannot catch these.
    await send(js, event)
    await send(js, event, msg_id=str(uuid.uuid4()))
    last = await send(js, event, msg_id=None)
    assert (await js.stream_info(stream_name(context))).state.messages == 3

    await settled(js, context, durable, last)

    assert await effect_counts(sessionmaker) == Counter({event.id: 1})


@pytest.mark.usefixtures("effect_table")
async def test_a_failing_handler_gets_the_event_again_and_applies_it_once(
    js: JetStreamContext, context: str, sessionmaker: async_sessionmaker[AsyncSession], consume: Consume
) -> None:
    attempts: Counter[uuid.UUID] = Counter()

    async def flaky(session: AsyncSession, event: Event) -> None:
        attempts[event.id] += 1
        await record_effect(session, event)  # written, then rolled back by the failure
        if attempts[event.id] == 1:
            raise RuntimeError("the database blinked")

    durable = durable_name()
    await consume(durable, flaky)
    event = new_event(context)
    last = await send(js, event)

    await settled(js, context, durable, last)

    assert attempts[event.id] == 2
    assert await effect_counts(sessionmaker) == Counter({event.id: 1})
    assert await inbox_ids(sessionmaker, durable) == {event.id}


async def test_a_durable_consumer_resumes_where_it_stopped(js: JetStreamContext, context: str) -> None:
    durable = durable_name()
    seen: list[uuid.UUID] = []

    async def remember(event: Event) -> None:  # no inbox: shows every delivery
        seen.append(event.id)

    async def start() -> asyncio.Task[None]:
        return await subscribe(
            js, stream=stream_name(context), subject=f"{context}.>", handler=remember, durable=durable
        )

    before = new_event(context, 1)
    consumer = await start()
    await settled(js, context, durable, await send(js, before))
    await stop(consumer)

    after = new_event(context, 2)
    last = await send(js, after)  # sent while nobody consumes
    consumer = await start()
    try:
        await settled(js, context, durable, last)
    finally:
        await stop(consumer)

    assert seen == [before.id, after.id]


async def test_a_stopped_consumer_does_not_hold_up_closing_the_connection(
    nats_url: str, js: JetStreamContext, context: str
) -> None:
    nc = await connect(nats_url, name="libs-tests-drain")
    handled = asyncio.Event()

    async def handle(_: Event) -> None:
        handled.set()

    consumer = await subscribe(
        nc.jetstream(),
        stream=stream_name(context),
        subject=f"{context}.>",
        handler=handle,
        durable=durable_name(),
    )
    await send(js, new_event(context))
    async with asyncio.timeout(5):
        await handled.wait()
    await asyncio.sleep(0.2)  # the consumer now waits inside its next fetch
    await stop(consumer)
    await send(js, new_event(context, 2))  # an event arriving as the service stops
    await asyncio.sleep(0.1)

    # Delivered to a pull request nobody reads any more, it would hold the drain until the
    # client's drain timeout, and nats-py would then raise DrainTimeoutError here.
    await nc.drain()
    assert nc.is_closed


@pytest.mark.usefixtures("effect_table")
async def test_each_consumer_applies_an_event_once_for_itself(
    js: JetStreamContext, context: str, sessionmaker: async_sessionmaker[AsyncSession], consume: Consume
) -> None:
    names = [durable_name(), durable_name()]
    for name in names:
        await consume(name)
    event = new_event(context)
    last = await send(js, event)

    for name in names:
        await settled(js, context, name, last)

    assert await effect_counts(sessionmaker) == Counter({event.id: 2})
    for name in names:
        assert await inbox_ids(sessionmaker, name) == {event.id}


@pytest.mark.usefixtures("effect_table")
async def test_a_malformed_message_is_dropped_and_the_next_event_applied(
    js: JetStreamContext, context: str, sessionmaker: async_sessionmaker[AsyncSession], consume: Consume
) -> None:
    durable = durable_name()
    await consume(durable)
    await js.publish(f"{context}.thing.changed", b"this is not an event")
    event = new_event(context)
    last = await send(js, event)

    await settled(js, context, durable, last)

    assert await effect_counts(sessionmaker) == Counter({event.id: 1})
    info = await js.consumer_info(stream_name(context), durable)
    assert info.num_ack_pending == 0
    assert info.num_redelivered == 0
