"""What a consumer does with messages it cannot apply, against real PostgreSQL and JetStream:
bounded redelivery, then parked where an operator sees and replays it; a flood of failing
messages does not hold back the healthy ones; a consumer whose loop dies starts again."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import sqlalchemy as sa
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig
from prometheus_client import REGISTRY
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlmodel import col, select

from proximity.events.consumer import EventHandler, InboxHandler, UnusableEvent, subscribe
from proximity.events.envelope import Event
from proximity.events.parking import request_replay
from proximity.events.redelivery import Redelivery
from proximity.events.streams import stream_name
from proximity.events.tables import ParkedMessage

effects = sa.Table(
    "parking_effects",
    sa.MetaData(),
    sa.Column("n", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("event_id", sa.Uuid, nullable=False),
)

# Short delays: the schedule itself is a unit test's business; here only its bound matters.
QUICK = Redelivery(max_deliveries=3, initial_delay_seconds=0.05, max_delay_seconds=0.2)


@pytest.fixture
async def effect_table(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(effects.create)


async def record_effect(session: AsyncSession, event: Event) -> None:
    await session.execute(sa.insert(effects).values(event_id=event.id))


Start = Callable[..., Awaitable[asyncio.Task[None]]]


@pytest.fixture
async def start(
    js: JetStreamContext, context: str, sessionmaker: async_sessionmaker[AsyncSession]
) -> AsyncIterator[Start]:
    """``await start(durable, handler, **subscribe_options)``: a durable consumer of the test's
    stream that parks in the test's database unless ``park_in=None``; stopped after the test."""
    tasks: list[asyncio.Task[None]] = []

    async def started(durable: str, handler: EventHandler, **options: Any) -> asyncio.Task[None]:
        options = {"park_in": sessionmaker, "redelivery": QUICK, "replay_every": 0.1, **options}
        task = await subscribe(
            js,
            stream=stream_name(context),
            subject=f"{context}.>",
            handler=handler,
            durable=durable,
            **options,
        )
        tasks.append(task)
        return task

    yield started
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def event_of(context: str, **data: Any) -> Event:
    return Event(type=f"{context}.thing.changed", aggregate_id="t", data=data)


async def send(js: JetStreamContext, event: Event) -> int:
    ack = await js.publish(event.subject, event.to_json(), headers={"Nats-Msg-Id": str(event.id)})
    return int(ack.seq)


def durable_name() -> str:
    return f"p{uuid.uuid4().hex[:12]}"


async def eventually(condition: Callable[[], Awaitable[bool]], what: str, within: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while asyncio.get_running_loop().time() < deadline:
        if await condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(what)


async def parked_rows(sessionmaker: async_sessionmaker[AsyncSession], consumer: str) -> list[ParkedMessage]:
    async with sessionmaker() as session:
        query = (
            select(ParkedMessage)
            .where(col(ParkedMessage.consumer) == consumer)
            .order_by(col(ParkedMessage.id))
        )
        return list((await session.execute(query)).scalars())


async def effect_counts(sessionmaker: async_sessionmaker[AsyncSession]) -> Counter[uuid.UUID]:
    async with sessionmaker() as session:
        return Counter((await session.execute(sa.select(effects.c.event_id))).scalars())


async def settled(js: JetStreamContext, context: str, durable: str, last_seq: int) -> None:
    """Everything up to ``last_seq`` acknowledged or terminated, nothing waiting for a retry."""

    async def done() -> bool:
        info = await js.consumer_info(stream_name(context), durable)
        return (info.ack_floor.stream_seq or 0) >= last_seq and info.num_ack_pending == 0

    await eventually(done, f"{durable} never settled at {last_seq}")


def metric(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.mark.usefixtures("effect_table")
async def test_a_handler_that_always_fails_is_parked_after_the_bounded_deliveries(
    js: JetStreamContext, context: str, sessionmaker: async_sessionmaker[AsyncSession], start: Start
) -> None:
    durable = durable_name()
    attempts: Counter[uuid.UUID] = Counter()

    async def apply(session: AsyncSession, event: Event) -> None:
        attempts[event.id] += 1
        await record_effect(session, event)  # rolled back with the failure
        if event.data.get("poison"):
            raise RuntimeError("no such column: colour")

    poison, healthy = event_of(context, poison=True), event_of(context)
    await start(durable, InboxHandler(durable, sessionmaker, apply))
    await send(js, poison)
    last = await send(js, healthy)

    await settled(js, context, durable, last)
    [row] = await parked_rows(sessionmaker, durable)

    assert attempts == Counter({poison.id: QUICK.max_deliveries, healthy.id: 1})
    assert (row.event_id, row.deliveries, row.subject) == (poison.id, 3, poison.subject)
    assert row.stream == stream_name(context)
    assert "3 deliveries" in row.reason
    assert "RuntimeError: no such column: colour" in row.reason
    assert Event.from_json(row.payload) == poison
    assert (row.replay_requested_at, row.replayed_at) == (None, None)
    assert await effect_counts(sessionmaker) == Counter({healthy.id: 1})
    assert metric("event_messages_parked_total", consumer=durable, reason="failing") == 1


@pytest.mark.usefixtures("effect_table")
async def test_malformed_unknown_contract_and_unusable_messages_are_parked_at_once(
    js: JetStreamContext, context: str, sessionmaker: async_sessionmaker[AsyncSession], start: Start
) -> None:
    durable = durable_name()
    seen: list[uuid.UUID] = []

    async def apply(session: AsyncSession, event: Event) -> None:
        seen.append(event.id)
        if event.data.get("colour") == 5:
            raise UnusableEvent("colour is not a string")
        await record_effect(session, event)

    future = dataclasses.replace(event_of(context), schema=2)
    unusable, healthy = event_of(context, colour=5), event_of(context)
    await start(durable, InboxHandler(durable, sessionmaker, apply))
    await js.publish(f"{context}.thing.changed", b"this is not an event")
    await send(js, future)
    await send(js, unusable)
    last = await send(js, healthy)

    await settled(js, context, durable, last)
    malformed, misread, broken = await parked_rows(sessionmaker, durable)

    assert seen == [unusable.id, healthy.id]  # the unknown contract never reached the handler
    assert (malformed.event_id, malformed.payload, malformed.deliveries) == (None, b"this is not an event", 1)
    assert "not an event envelope" in malformed.reason
    assert (misread.event_id, misread.deliveries) == (future.id, 1)
    assert "contract version 2" in misread.reason
    assert (broken.event_id, broken.deliveries) == (unusable.id, 1)
    assert "colour is not a string" in broken.reason
    assert await effect_counts(sessionmaker) == Counter({healthy.id: 1})


@pytest.mark.usefixtures("effect_table")
async def test_a_consumer_that_understands_a_newer_contract_applies_it(
    js: JetStreamContext, context: str, sessionmaker: async_sessionmaker[AsyncSession], start: Start
) -> None:
    durable = durable_name()
    future = dataclasses.replace(event_of(context), schema=2)
    await start(durable, InboxHandler(durable, sessionmaker, record_effect), schemas={1, 2})

    await settled(js, context, durable, await send(js, future))

    assert await effect_counts(sessionmaker) == Counter({future.id: 1})
    assert await parked_rows(sessionmaker, durable) == []


async def test_without_a_database_a_message_given_up_on_is_counted_and_terminated(
    js: JetStreamContext, context: str, start: Start
) -> None:
    durable = durable_name()
    handled: list[uuid.UUID] = []

    async def apply(event: Event) -> None:
        if event.data.get("poison"):
            raise RuntimeError("always")
        handled.append(event.id)

    healthy = event_of(context)
    await start(durable, apply, park_in=None)
    await send(js, event_of(context, poison=True))
    last = await send(js, healthy)

    await settled(js, context, durable, last)

    assert handled == [healthy.id]
    assert metric("event_messages_dropped_total", consumer=durable, reason="failing") == 1


async def test_parking_needs_a_durable_consumer(
    js: JetStreamContext, context: str, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async def apply(_: Event) -> None:
        return None

    with pytest.raises(ValueError, match="durable"):
        await subscribe(
            js, stream=stream_name(context), subject=f"{context}.>", handler=apply, park_in=sessionmaker
        )


def operator(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The operator's command, as run against a service's database."""
    environment = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "proximity.events.parked", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.usefixtures("effect_table")
async def test_an_operator_replays_a_parked_message_once_it_can_succeed(
    js: JetStreamContext,
    context: str,
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    start: Start,
) -> None:
    durable = durable_name()
    broken = True

    async def apply(session: AsyncSession, event: Event) -> None:
        if broken:
            raise RuntimeError("the replica table is missing a column")
        await record_effect(session, event)

    event = event_of(context)
    await start(durable, InboxHandler(durable, sessionmaker, apply))
    await settled(js, context, durable, await send(js, event))
    [row] = await parked_rows(sessionmaker, durable)
    database_url = engine.url.render_as_string(hide_password=False)

    listed = operator(database_url, "list", "--consumer", durable)
    assert listed.returncode == 0, listed.stderr
    assert str(row.id) in listed.stdout
    assert "parked" in listed.stdout
    shown = operator(database_url, "show", str(row.id))
    assert shown.returncode == 0, shown.stderr
    assert str(event.id) in shown.stdout

    broken = False  # the fix is deployed
    replay = operator(database_url, "replay", str(row.id))
    assert replay.returncode == 0, replay.stderr

    async def replayed() -> bool:
        [again] = await parked_rows(sessionmaker, durable)
        return again.replayed_at is not None

    await eventually(replayed, "the consumer never replayed the message")
    assert await effect_counts(sessionmaker) == Counter({event.id: 1})
    assert "replayed" in operator(database_url, "list", "--all", "--consumer", durable).stdout
    assert operator(database_url, "list", "--consumer", durable).stdout.strip() == "no parked messages"
    # Replayed already: asking again changes nothing.
    assert operator(database_url, "replay", str(row.id)).returncode == 1


@pytest.mark.usefixtures("effect_table")
async def test_a_replay_runs_through_the_inbox_so_an_applied_event_has_no_second_effect(
    js: JetStreamContext, context: str, sessionmaker: async_sessionmaker[AsyncSession], start: Start
) -> None:
    """Parked by one consumer, applied since (a redelivery after the park was lost, a
    republish): replaying it must not apply it twice."""
    durable = durable_name()
    calls: Counter[uuid.UUID] = Counter()

    async def apply(session: AsyncSession, event: Event) -> None:
        calls[event.id] += 1
        await record_effect(session, event)
        if calls[event.id] <= QUICK.max_deliveries:
            raise RuntimeError("failing for now")

    event = event_of(context)
    handler = InboxHandler(durable, sessionmaker, apply)
    await start(durable, handler)
    await settled(js, context, durable, await send(js, event))
    await handler(event)  # applied another way meanwhile
    async with sessionmaker() as session, session.begin():
        await request_replay(session, consumer=durable)

    async def replayed() -> bool:
        [row] = await parked_rows(sessionmaker, durable)
        return row.replayed_at is not None

    await eventually(replayed, "never replayed")
    assert await effect_counts(sessionmaker) == Counter({event.id: 1})
    assert calls[event.id] == QUICK.max_deliveries + 1  # the replay found it in the inbox


async def test_a_failing_replay_records_why_and_waits_for_another_request(
    js: JetStreamContext, context: str, sessionmaker: async_sessionmaker[AsyncSession], start: Start
) -> None:
    durable = durable_name()

    async def apply(event: Event) -> None:
        raise RuntimeError("still broken")

    await start(durable, apply)
    await settled(js, context, durable, await send(js, event_of(context)))
    async with sessionmaker() as session, session.begin():
        assert len(await request_replay(session, consumer=durable)) == 1

    async def failed() -> bool:
        [row] = await parked_rows(sessionmaker, durable)
        return row.reason.startswith("replay failed")

    await eventually(failed, "the replay never ran")
    [row] = await parked_rows(sessionmaker, durable)
    assert row.reason == "replay failed: RuntimeError: still broken"
    assert (row.replay_requested_at, row.replayed_at) == (None, None)
    assert metric("event_messages_replayed_total", consumer=durable, outcome="failed") == 1


async def test_a_thousand_failing_messages_do_not_hold_back_the_healthy_ones(
    js: JetStreamContext, context: str
) -> None:
    """With the defaults: each failing message waits for its next try for seconds, and a
    thousand of them waiting must leave the broker free to deliver the rest."""
    durable = durable_name()
    healthy_seen: set[uuid.UUID] = set()

    async def apply(event: Event) -> None:
        if event.data.get("poison"):
            raise RuntimeError("always")
        healthy_seen.add(event.id)

    for n in range(1000):
        await send(js, event_of(context, poison=True, n=n))
    healthy = [event_of(context, n=n) for n in range(20)]
    for event in healthy:
        await send(js, event)

    task = await subscribe(
        js, stream=stream_name(context), subject=f"{context}.>", handler=apply, durable=durable
    )
    try:

        async def all_delivered() -> bool:
            return healthy_seen == {e.id for e in healthy}

        await eventually(all_delivered, "healthy events stuck behind failing ones", within=60)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_a_consumer_whose_acknowledgement_fails_starts_again_and_keeps_delivering(
    js: JetStreamContext, context: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    durable = durable_name()
    handled: list[uuid.UUID] = []
    real_ack = Msg.ack
    failed = asyncio.Event()

    async def ack_failing_once(message: Msg) -> None:
        if not failed.is_set():
            failed.set()
            raise ConnectionResetError("injected: the connection dropped as the ack went out")
        await real_ack(message)

    monkeypatch.setattr(Msg, "ack", ack_failing_once)

    async def apply(event: Event) -> None:
        handled.append(event.id)

    restarts_before = metric("event_consumer_restarts_total", consumer=durable)
    task = await subscribe(
        js, stream=stream_name(context), subject=f"{context}.>", handler=apply, durable=durable
    )
    try:
        first, second = event_of(context, n=1), event_of(context, n=2)
        await send(js, first)
        async with asyncio.timeout(10):
            await failed.wait()
        await send(js, second)

        async def second_handled() -> bool:
            return second.id in handled

        await eventually(second_handled, "the consumer did not come back after its ack failed")
        assert not task.done()
        assert metric("event_consumer_restarts_total", consumer=durable) == restarts_before + 1
        assert metric("event_consumer_running", consumer=durable) == 1
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert metric("event_consumer_running", consumer=durable) == 0


async def test_a_durable_made_by_an_older_release_gets_todays_limits(
    js: JetStreamContext, context: str, start: Start
) -> None:
    durable = durable_name()
    await js.add_consumer(
        stream_name(context),
        ConsumerConfig(
            name=durable,
            durable_name=durable,
            filter_subject=f"{context}.>",
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=30,
            max_deliver=-1,
            max_ack_pending=1000,  # the broker's default, which a thousand failing messages filled
        ),
    )

    async def apply(_: Event) -> None:
        return None

    await start(durable, apply, park_in=None, redelivery=Redelivery(max_ack_pending=20_000))

    assert (await js.consumer_info(stream_name(context), durable)).config.max_ack_pending == 20_000
