"""A poisoned outbox row (a subject no stream takes, a payload over the broker's limit) against
real PostgreSQL and JetStream: it does not stop later rows, earlier rows are not published
again, it is parked after a bounded number of attempts with what went wrong, and only the
later rows of its own aggregate wait behind it."""

from __future__ import annotations

import uuid
from collections import Counter

import sqlalchemy as sa
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from outbox_support import (
    RecordingJetStream,
    new_event,
    outbox_row,
    record_events,
    running,
    stream_ids,
    wait_until,
)
from prometheus_client import REGISTRY
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from proximity.events.envelope import Event
from proximity.events.relay import OutboxRelay, RetryPolicy
from proximity.events.tables import OutboxMessage

QUICK_RETRIES = RetryPolicy(max_attempts=3, first_delay=0.01, max_delay=0.05)


def poisoned(context: str, *, aggregate: str) -> Event:
    """An event on a subject no stream captures: JetStream has no responder for it."""
    return Event(type=f"{context}nostream.widget.created", aggregate_id=aggregate, data={})


async def insert_oversized(engine: AsyncEngine, nc: NATS, *, subject: str, aggregate: str) -> uuid.UUID:
    """A row over the broker's size limit, as written before ``publish()`` refused them."""
    row_id = uuid.uuid4()
    async with engine.begin() as connection:
        await connection.execute(
            sa.insert(OutboxMessage.__table__).values(  # type: ignore[attr-defined]
                id=row_id,
                subject=subject,
                aggregate_id=aggregate,
                payload=b"x" * (nc.max_payload + 1),
                created_at=sa.func.now(),
            )
        )
    return row_id


async def parked(sessionmaker: async_sessionmaker[AsyncSession], *ids: uuid.UUID) -> bool:
    return all([(await outbox_row(sessionmaker, i)).parked_at is not None for i in ids])


async def test_a_poisoned_row_does_not_stop_later_rows_and_is_parked(
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    js: JetStreamContext,
    nc: NATS,
    context: str,
) -> None:
    a1, a3 = new_event(context, 1, aggregate="a"), new_event(context, 3, aggregate="a", version=3)
    a2 = poisoned(context, aggregate="a")
    b1, b2 = new_event(context, 11, aggregate="b"), new_event(context, 12, aggregate="b", version=2)
    for event in (a1, a2, b1, a3):
        await record_events(sessionmaker, [event])
    too_big = await insert_oversized(engine, nc, subject=f"{context}.widget.created", aggregate="c")
    await record_events(sessionmaker, [b2])
    recorder = RecordingJetStream(js)
    relay = OutboxRelay(engine, recorder, context=context, retry=QUICK_RETRIES)

    # One pass: the poisoned rows fail, every other aggregate's rows go out.
    assert await relay.publish_pending() == 3
    assert await stream_ids(js, context) == [str(a1.id), str(b1.id), str(b2.id)]

    async def both_parked() -> bool:
        await relay.publish_pending()
        return await parked(sessionmaker, a2.id, too_big)

    await wait_until(both_parked, what="the poisoned rows being parked")

    # Nothing that was acknowledged was sent again while the poisoned rows were retried.
    assert Counter(recorder.ids) == Counter({str(a1.id): 1, str(b1.id): 1, str(b2.id): 1})
    assert await stream_ids(js, context) == [str(a1.id), str(b1.id), str(b2.id)]
    no_stream = await outbox_row(sessionmaker, a2.id)
    assert (no_stream.attempts, no_stream.published_at) == (3, None)
    assert "NoStreamResponseError" in (no_stream.last_error or "")
    oversized = await outbox_row(sessionmaker, too_big)
    assert oversized.attempts == 3
    assert "MaxPayloadError" in (oversized.last_error or "")
    assert "xxxx" not in (oversized.last_error or "")  # never the payload
    # a3 came after the parked a2: it waits, untried, so aggregate a's order is never broken.
    held = await outbox_row(sessionmaker, a3.id)
    assert (held.published_at, held.parked_at, held.attempts) == (None, None, 0)

    # Later events: aggregate b's flow, aggregate a's wait behind its parked row.
    b3, a4 = new_event(context, 13, aggregate="b", version=3), new_event(context, 4, aggregate="a", version=4)
    await record_events(sessionmaker, [b3, a4])
    assert await relay.publish_pending() == 1
    assert await relay.publish_pending() == 0
    assert (await stream_ids(js, context))[-1] == str(b3.id)
    assert (await outbox_row(sessionmaker, a4.id)).published_at is None


async def test_rows_without_an_aggregate_do_not_hold_each_other_back(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], js: JetStreamContext, context: str
) -> None:
    # Rows from before aggregate_id existed carry '': they share no order to keep.
    old_poisoned = poisoned(context, aggregate="")
    old_fine = new_event(context, 1, aggregate="")
    await record_events(sessionmaker, [old_poisoned])
    await record_events(sessionmaker, [old_fine])
    relay = OutboxRelay(engine, js, context=context, retry=QUICK_RETRIES)

    assert await relay.publish_pending() == 1

    assert await stream_ids(js, context) == [str(old_fine.id)]
    assert (await outbox_row(sessionmaker, old_poisoned.id)).attempts == 1


async def test_a_failing_row_is_retried_only_after_its_backoff(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], js: JetStreamContext, context: str
) -> None:
    failing = poisoned(context, aggregate="a")
    await record_events(sessionmaker, [failing])
    relay = OutboxRelay(engine, js, context=context, retry=RetryPolicy(first_delay=3600))

    await relay.publish_pending()
    await relay.publish_pending()  # an hour's backoff: not due, not tried

    row = await outbox_row(sessionmaker, failing.id)
    assert (row.attempts, row.parked_at) == (1, None)
    assert row.next_attempt_at is not None
    assert row.next_attempt_at > row.created_at


async def written_a_minute_ago(engine: AsyncEngine, event_id: uuid.UUID) -> None:
    async with engine.begin() as connection:
        await connection.execute(
            sa.update(OutboxMessage.__table__)  # type: ignore[attr-defined]
            .where(OutboxMessage.__table__.c.id == event_id)  # type: ignore[attr-defined]
            .values(created_at=sa.func.now() - sa.text("interval '1 minute'"))
        )


def metric(name: str, context: str) -> float | None:
    return REGISTRY.get_sample_value(name, {"context": context})


async def test_the_running_relay_reports_its_backlog_and_lead(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], js: JetStreamContext, context: str
) -> None:
    # A row waiting behind a parked one: the oldest unpublished row the age metric sees.
    await record_events(sessionmaker, [poisoned(context, aggregate="a")])
    waiting = new_event(context, 2, aggregate="a", version=2)
    await record_events(sessionmaker, [waiting])
    await written_a_minute_ago(engine, waiting.id)
    failures_before = metric("outbox_publish_failures_total", context) or 0
    relay = OutboxRelay(engine, js, context=context, poll_interval=0.05, retry=QUICK_RETRIES)

    async with running(relay):

        async def reported() -> bool:
            return metric("outbox_parked_rows", context) == 1

        await wait_until(reported, what="the parked row in the metrics")
        assert metric("outbox_relay_leader", context) == 1
        assert (metric("outbox_oldest_pending_age_seconds", context) or 0) >= 60
        assert (metric("outbox_publish_failures_total", context) or 0) - failures_before == 3

    assert metric("outbox_relay_leader", context) == 0  # stopped: stepped down


async def test_the_age_metric_is_zero_with_nothing_pending(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession], js: JetStreamContext, context: str
) -> None:
    pending = new_event(context)
    await record_events(sessionmaker, [pending])
    await written_a_minute_ago(engine, pending.id)
    relay = OutboxRelay(engine, js, context=context)

    assert (await relay.report()).oldest_age_seconds >= 60
    assert (metric("outbox_oldest_pending_age_seconds", context) or 0) >= 60

    await relay.publish_pending()
    backlog = await relay.report()
    assert (backlog.oldest_age_seconds, backlog.parked) == (0, 0)
    assert metric("outbox_oldest_pending_age_seconds", context) == 0
