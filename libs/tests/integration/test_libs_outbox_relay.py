"""Transactional outbox and relay against real PostgreSQL and JetStream: an event is recorded
with the change or not at all, and reaches the stream exactly once, even across a relay crash."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from typing import Any

import pytest
import sqlalchemy as sa
from nats.js import JetStreamContext
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlmodel import col, func, select

from proximity.db.unit_of_work import UnitOfWork
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


class RecordingJetStream:
    """The real JetStream, with a record of every publish; it can 'crash' after the n-th."""

    def __init__(self, js: JetStreamContext, *, crash_after: int | None = None, pause: float = 0) -> None:
        self._js = js
        self._crash_after = crash_after
        self._pause = pause
        self.ids: list[str] = []
        self.duplicates = 0

    async def publish(self, subject: str, payload: bytes, headers: dict[str, str] | None = None) -> Any:
        ack = await self._js.publish(subject, payload, headers=headers)
        self.ids.append((headers or {})["Nats-Msg-Id"])
        self.duplicates += bool(ack.duplicate)
        if self._pause:
            await asyncio.sleep(self._pause)
        if len(self.ids) == self._crash_after:
            raise ConnectionError("the relay died after publishing, before marking its rows")
        return ack


def relay_on(sessionmaker: async_sessionmaker[AsyncSession], js: Any, **options: Any) -> OutboxRelay:
    return OutboxRelay(sessionmaker, js, **options)


def new_event(context: str, n: int = 0) -> Event:
    return Event(
        type=f"{context}.widget.created", aggregate_id=f"w{n}", data={"n": n}, tenant_id=uuid.uuid4()
    )


async def record_events(sessionmaker: async_sessionmaker[AsyncSession], events: list[Event]) -> None:
    async with UnitOfWork(sessionmaker) as uow:
        for event in events:
            uow.publish(event)
        await uow.commit()


async def outbox_rows(sessionmaker: async_sessionmaker[AsyncSession]) -> list[OutboxMessage]:
    async with sessionmaker() as session:
        return list((await session.execute(select(OutboxMessage))).scalars())


async def widget_names(sessionmaker: async_sessionmaker[AsyncSession]) -> list[str]:
    async with sessionmaker() as session:
        return list((await session.execute(sa.select(widgets.c.name))).scalars())


async def stream_count(js: JetStreamContext, context: str) -> int:
    info = await js.stream_info(stream_name(context))
    return int(info.state.messages)


async def stream_ids(js: JetStreamContext, context: str) -> list[str]:
    """The ``Nats-Msg-Id`` of every message in the stream, in order."""
    count = await stream_count(js, context)
    ids = []
    for seq in range(1, count + 1):
        message = await js.get_msg(stream_name(context), seq=seq)
        ids.append((message.headers or {})["Nats-Msg-Id"])
    return ids


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


# --- relay ----------------------------------------------------------------------------------


async def test_relay_publishes_with_the_event_id_and_marks_rows(
    sessionmaker: async_sessionmaker[AsyncSession], js: JetStreamContext, context: str
) -> None:
    events = [new_event(context, n) for n in range(3)]
    await record_events(sessionmaker, events)
    relay = relay_on(sessionmaker, js)

    assert await relay.publish_pending() == 3
    assert await relay.publish_pending() == 0

    assert all(row.published_at is not None for row in await outbox_rows(sessionmaker))
    assert await stream_ids(js, context) == [str(e.id) for e in events]
    for seq, event in enumerate(events, start=1):
        message = await js.get_msg(stream_name(context), seq=seq)
        assert message.subject == event.subject
        assert Event.from_json(message.data or b"") == event


async def test_relay_sends_in_batches(
    sessionmaker: async_sessionmaker[AsyncSession], js: JetStreamContext, context: str
) -> None:
    await record_events(sessionmaker, [new_event(context, n) for n in range(5)])
    relay = relay_on(sessionmaker, js, batch_size=2)

    assert [await relay.publish_pending() for _ in range(4)] == [2, 2, 1, 0]
    assert await stream_count(js, context) == 5


@pytest.mark.parametrize("crash_after", [2, 5], ids=["mid-batch", "after-all-published"])
async def test_relay_crash_before_marking_still_publishes_each_event_once(
    sessionmaker: async_sessionmaker[AsyncSession], js: JetStreamContext, context: str, crash_after: int
) -> None:
    events = [new_event(context, n) for n in range(5)]
    await record_events(sessionmaker, events)
    crashing = RecordingJetStream(js, crash_after=crash_after)

    with pytest.raises(ConnectionError):
        await relay_on(sessionmaker, crashing).publish_pending()

    # Published, but the crash rolled the marking back: every row is still to be sent.
    assert await stream_count(js, context) == crash_after
    assert all(row.published_at is None for row in await outbox_rows(sessionmaker))

    restarted = RecordingJetStream(js)
    assert await relay_on(sessionmaker, restarted).publish_pending() == 5

    assert restarted.ids == [str(e.id) for e in events]  # everything sent again ...
    assert restarted.duplicates == crash_after  # ... and JetStream dropped the repeats
    assert await stream_ids(js, context) == [str(e.id) for e in events]
    assert all(row.published_at is not None for row in await outbox_rows(sessionmaker))
    assert await relay_on(sessionmaker, restarted).publish_pending() == 0


async def test_republishing_the_same_ids_directly_does_not_duplicate(
    sessionmaker: async_sessionmaker[AsyncSession], js: JetStreamContext, context: str
) -> None:
    events = [new_event(context, n) for n in range(3)]
    await record_events(sessionmaker, events)
    for event in events:  # what a relay that died before marking had already sent
        await js.publish(event.subject, event.to_json(), headers={"Nats-Msg-Id": str(event.id)})

    assert await relay_on(sessionmaker, js).publish_pending() == 3

    assert await stream_ids(js, context) == [str(e.id) for e in events]


async def test_concurrent_relays_never_publish_a_row_twice(
    sessionmaker: async_sessionmaker[AsyncSession], js: JetStreamContext, context: str
) -> None:
    events = [new_event(context, n) for n in range(60)]
    await record_events(sessionmaker, events)
    # One shared record: a row published by both relays would show up twice in it.
    shared = RecordingJetStream(js, pause=0.002)
    relays = [relay_on(sessionmaker, shared, batch_size=5) for _ in range(2)]

    async def drain(relay: OutboxRelay) -> int:
        sent = 0
        while batch := await relay.publish_pending():
            sent += batch
        return sent

    sent = await asyncio.gather(*(drain(r) for r in relays))

    assert sum(sent) == 60
    assert all(n > 0 for n in sent), f"both relays should have worked side by side: {sent}"
    assert Counter(shared.ids).most_common(1)[0][1] == 1
    assert sorted(shared.ids) == sorted(str(e.id) for e in events)
    assert shared.duplicates == 0
    assert await stream_count(js, context) == 60


async def test_running_relay_is_woken_by_a_commit(
    sessionmaker: async_sessionmaker[AsyncSession], js: JetStreamContext, context: str
) -> None:
    relay = relay_on(sessionmaker, js, poll_interval=30)
    task = asyncio.create_task(relay.run())
    try:
        await asyncio.sleep(0.2)  # the relay found nothing and waits for its (long) poll
        event = new_event(context)
        async with UnitOfWork(sessionmaker, on_commit=relay.wake) as uow:
            uow.publish(event)
            await uow.commit()

        for _ in range(100):  # 5 s; the relay's own poll would take 30
            if await stream_count(js, context):
                break
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    assert await stream_ids(js, context) == [str(event.id)]
    async with sessionmaker() as session:
        unsent = await session.execute(
            select(func.count()).select_from(OutboxMessage).where(col(OutboxMessage.published_at).is_(None))
        )
        assert unsent.scalar_one() == 0
