"""Transactional outbox and relay against real PostgreSQL and JetStream: an event is recorded
with the change or not at all (and refused in the use case's transaction if it could never be
sent), and reaches the stream exactly once, even across a lost acknowledgement."""

from __future__ import annotations

import uuid
from collections import Counter

import pytest
import sqlalchemy as sa
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from outbox_support import (
    RecordingJetStream,
    new_event,
    outbox_rows,
    record_events,
    running,
    stream_count,
    stream_ids,
    wait_until,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlmodel import col, func, select

from proximity.db.unit_of_work import EventRefused, UnitOfWork, event_size_limit
from proximity.events.envelope import Event
from proximity.events.relay import OutboxRelay
from proximity.events.streams import stream_name
from proximity.events.tables import OutboxMessage

widgets = sa.Table(
    "widgets",
    sa.MetaData(),
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
)


@pytest.fixture
async def widget_table(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(widgets.create)


async def widget_names(sessionmaker: async_sessionmaker[AsyncSession]) -> list[str]:
    async with sessionmaker() as session:
        return list((await session.execute(sa.select(widgets.c.name))).scalars())


# --- unit of work ---------------------------------------------------------------------------


@pytest.mark.usefixtures("widget_table")
async def test_commit_writes_the_change_and_its_outbox_row(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    wakes: list[None] = []
    event = new_event("assets")

    async with UnitOfWork(sessionmaker, on_commit=lambda: wakes.append(None)) as uow:
        await uow.session.execute(sa.insert(widgets).values(id=uuid.uuid4(), name="tower"))
        uow.publish(event)
        await uow.commit()

    assert await widget_names(sessionmaker) == ["tower"]
    [row] = await outbox_rows(sessionmaker)
    assert row.id == event.id
    assert row.subject == "assets.widget.created"
    assert Event.from_json(row.payload) == event
    assert row.published_at is None
    assert len(wakes) == 1


@pytest.mark.usefixtures("widget_table")
async def test_leaving_without_commit_writes_nothing(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with UnitOfWork(sessionmaker) as uow:
        await uow.session.execute(sa.insert(widgets).values(id=uuid.uuid4(), name="tower"))
        uow.publish(new_event("assets"))
        await uow.session.flush()  # the rows reached the database, inside the transaction

    assert await widget_names(sessionmaker) == []
    assert await outbox_rows(sessionmaker) == []


@pytest.mark.usefixtures("widget_table")
async def test_an_error_inside_the_block_writes_nothing(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async def use_case() -> None:
        async with UnitOfWork(sessionmaker) as uow:
            await uow.session.execute(sa.insert(widgets).values(id=uuid.uuid4(), name="tower"))
            uow.publish(new_event("assets"))
            raise LookupError("the use case failed")

    with pytest.raises(LookupError):
        await use_case()

    assert await widget_names(sessionmaker) == []
    assert await outbox_rows(sessionmaker) == []


@pytest.mark.usefixtures("widget_table")
async def test_a_change_that_fails_to_commit_leaves_no_event(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    taken = uuid.uuid4()
    async with UnitOfWork(sessionmaker) as uow:
        await uow.session.execute(sa.insert(widgets).values(id=taken, name="first"))
        await uow.commit()
    wakes: list[None] = []

    async def use_case() -> None:
        async with UnitOfWork(sessionmaker, on_commit=lambda: wakes.append(None)) as uow:
            uow.publish(new_event("assets"))
            await uow.session.execute(sa.insert(widgets).values(id=taken, name="second"))
            await uow.commit()

    with pytest.raises(IntegrityError):
        await use_case()

    assert await widget_names(sessionmaker) == ["first"]
    assert await outbox_rows(sessionmaker) == []
    assert wakes == []


async def test_a_commit_without_events_does_not_wake_the_relay(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    wakes: list[None] = []
    async with UnitOfWork(sessionmaker, on_commit=lambda: wakes.append(None)) as uow:
        await uow.commit()

    assert wakes == []


async def test_session_outside_the_block_is_an_error(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    uow = UnitOfWork(sessionmaker)

    with pytest.raises(RuntimeError, match="outside"):
        _ = uow.session


# --- refusals at publish() time --------------------------------------------------------------


@pytest.mark.usefixtures("widget_table")
async def test_publish_refuses_another_contexts_subject_and_nothing_commits(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async def use_case() -> None:
        async with UnitOfWork(sessionmaker, context="assets") as uow:
            await uow.session.execute(sa.insert(widgets).values(id=uuid.uuid4(), name="tower"))
            uow.publish(new_event("assets", 1))  # its own subject: fine
            uow.publish(new_event("iam", 2))  # another context's: refused
            await uow.commit()

    with pytest.raises(EventRefused, match=r"iam\.widget\.created"):
        await use_case()

    assert await widget_names(sessionmaker) == []
    assert await outbox_rows(sessionmaker) == []


async def test_publish_refuses_a_prefix_that_only_looks_like_its_context(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with UnitOfWork(sessionmaker, context="assets") as uow:
        with pytest.raises(EventRefused):
            uow.publish(new_event("assetsx"))


@pytest.mark.usefixtures("widget_table")
async def test_publish_refuses_a_payload_over_the_brokers_limit_and_nothing_commits(
    sessionmaker: async_sessionmaker[AsyncSession], nc: NATS
) -> None:
    limit = event_size_limit(nc.max_payload)  # what the connected server announced
    assert 0 < limit < nc.max_payload
    oversized = Event(type="assets.widget.created", aggregate_id="w1", data={"blob": "x" * limit})

    async def use_case() -> None:
        async with UnitOfWork(sessionmaker, context="assets", max_payload=limit) as uow:
            await uow.session.execute(sa.insert(widgets).values(id=uuid.uuid4(), name="tower"))
            uow.publish(oversized)
            await uow.commit()

    with pytest.raises(EventRefused, match="bytes"):
        await use_case()

    assert await widget_names(sessionmaker) == []
    assert await outbox_rows(sessionmaker) == []

    fits = Event(type="assets.widget.created", aggregate_id="w1", data={"blob": "x" * (limit - 1000)})
    async with UnitOfWork(sessionmaker, context="assets", max_payload=limit) as uow:
        uow.publish(fits)
        await uow.commit()
    assert [row.id for row in await outbox_rows(sessionmaker)] == [fits.id]


def test_the_size_limit_without_a_server_figure_is_nats_default_less_headroom() -> None:
    assert event_size_limit(None) == event_size_limit(0) == 1024 * 1024 - 1024
    assert event_size_limit(8 * 1024 * 1024) == 8 * 1024 * 1024 - 1024


# --- relay ----------------------------------------------------------------------------------


def relay_on(engine: AsyncEngine, js: object, context: str, **options: object) -> OutboxRelay:
    return OutboxRelay(engine, js, context=context, **options)  # type: ignore[arg-type]


async def test_relay_publishes_with_the_event_id_and_marks_rows(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], js: JetStreamContext, context: str
) -> None:
    events = [new_event(context, n) for n in range(3)]
    await record_events(sessionmaker, events)
    relay = relay_on(engine, js, context)

    assert await relay.publish_pending() == 3
    assert await relay.publish_pending() == 0

    assert all(row.published_at is not None for row in await outbox_rows(sessionmaker))
    assert await stream_ids(js, context) == [str(e.id) for e in events]
    for seq, event in enumerate(events, start=1):
        message = await js.get_msg(stream_name(context), seq=seq)
        assert message.subject == event.subject
        assert Event.from_json(message.data or b"") == event


async def test_relay_sends_in_batches_in_sequence_order(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], js: JetStreamContext, context: str
) -> None:
    events = [new_event(context, n) for n in range(5)]
    for event in events:  # one transaction each: five sequence numbers in commit order
        await record_events(sessionmaker, [event])
    relay = relay_on(engine, js, context, batch_size=2)

    assert [await relay.publish_pending() for _ in range(4)] == [2, 2, 1, 0]
    assert await stream_ids(js, context) == [str(e.id) for e in events]


@pytest.mark.parametrize("lose_ack_after", [2, 5], ids=["mid-batch", "last-of-batch"])
async def test_a_lost_acknowledgement_still_publishes_each_event_once(
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    js: JetStreamContext,
    context: str,
    lose_ack_after: int,
) -> None:
    events = [new_event(context, n) for n in range(5)]
    await record_events(sessionmaker, events)
    losing = RecordingJetStream(js, lose_ack_after=lose_ack_after)

    # The broker did not answer in time: the pass fails (the broker is not the row's fault). The
    # five aggregates went out side by side, so the others were sent and acknowledged meanwhile.
    with pytest.raises(TimeoutError):
        await relay_on(engine, losing, context).publish_pending()

    assert await stream_count(js, context) == 5
    lost = losing.ids[lose_ack_after - 1]
    rows = await outbox_rows(sessionmaker)
    # What was acknowledged is marked; the row whose acknowledgement was lost is not, and is
    # not charged an attempt.
    assert [str(row.id) for row in rows if row.published_at is None] == [lost]
    assert all(row.attempts == 0 and row.parked_at is None for row in rows)

    restarted = RecordingJetStream(js)
    assert await relay_on(engine, restarted, context).publish_pending() == 1

    assert restarted.ids == [lost]
    assert restarted.duplicates == 1  # JetStream dropped the repeat
    assert sorted(await stream_ids(js, context)) == sorted(str(e.id) for e in events)
    assert all(row.published_at is not None for row in await outbox_rows(sessionmaker))


async def test_an_aggregates_events_wait_for_each_acknowledgement_in_order(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], js: JetStreamContext, context: str
) -> None:
    """Aggregates go out side by side, but one aggregate's rows one after the other: a lost
    acknowledgement holds back the rest of its aggregate only."""
    mine = [new_event(context, n, aggregate="one", version=n + 1) for n in range(4)]
    others = [new_event(context, n) for n in range(10, 14)]
    for event in [mine[0], *others, *mine[1:]]:
        await record_events(sessionmaker, [event])
    losing = RecordingJetStream(js, lose_ack_of=str(mine[0].id))

    with pytest.raises(TimeoutError):
        await relay_on(engine, losing, context).publish_pending()

    assert str(mine[0].id) in losing.ids
    assert not {str(e.id) for e in mine[1:]} & set(losing.ids)
    assert await relay_on(engine, js, context).publish_pending() == 4
    in_stream = await stream_ids(js, context)
    assert [i for i in in_stream if i in {str(e.id) for e in mine}] == [str(e.id) for e in mine]
    assert sorted(in_stream) == sorted(str(e.id) for e in [*mine, *others])


async def test_republishing_the_same_ids_directly_does_not_duplicate(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], js: JetStreamContext, context: str
) -> None:
    events = [new_event(context, n) for n in range(3)]
    await record_events(sessionmaker, events)
    for event in events:  # what a relay that died before marking had already sent
        await js.publish(event.subject, event.to_json(), headers={"Nats-Msg-Id": str(event.id)})

    assert await relay_on(engine, js, context).publish_pending() == 3

    assert await stream_ids(js, context) == [str(e.id) for e in events]


async def test_of_two_running_relays_only_the_leader_publishes(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], js: JetStreamContext, context: str
) -> None:
    events = [new_event(context, n) for n in range(60)]
    await record_events(sessionmaker, events)
    # One shared record: a row published by both relays would show up twice in it.
    shared = RecordingJetStream(js, pause=0.002)
    relays = [relay_on(engine, shared, context, batch_size=5, poll_interval=0.05) for _ in range(2)]

    async with running(*relays):

        async def all_sent() -> bool:
            return await stream_count(js, context) == 60

        await wait_until(all_sent, what="60 events in the stream")
        assert [r.leading for r in relays].count(True) == 1

    assert Counter(shared.ids).most_common(1)[0][1] == 1
    assert shared.ids == [str(e.id) for e in events]
    assert shared.duplicates == 0


async def test_running_relay_is_woken_by_a_commit(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], js: JetStreamContext, context: str
) -> None:
    relay = relay_on(engine, js, context, poll_interval=30)
    async with running(relay):

        async def leads() -> bool:
            return relay.leading

        await wait_until(leads, what="the relay taking the lead")  # then it waits for its (long) poll
        event = new_event(context)
        async with UnitOfWork(sessionmaker, on_commit=relay.wake) as uow:
            uow.publish(event)
            await uow.commit()

        async def sent() -> bool:
            return await stream_count(js, context) > 0

        await wait_until(sent, seconds=10, what="the woken relay publishing")  # its poll would take 30

    assert await stream_ids(js, context) == [str(event.id)]
    async with sessionmaker() as session:
        unsent = await session.execute(
            select(func.count()).select_from(OutboxMessage).where(col(OutboxMessage.published_at).is_(None))
        )
        assert unsent.scalar_one() == 0
