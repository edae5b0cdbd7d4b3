"""A broker outage is nobody's fault: with the link to a real NATS cut, the relay charges no
row an attempt and parks nothing, and once the link is back every row goes out, in order, once."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from nats.js import JetStreamContext
from outbox_support import (
    CuttableLink,
    new_event,
    outbox_rows,
    record_events,
    running,
    stream_count,
    stream_ids,
    wait_until,
)
from prometheus_client import REGISTRY
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from proximity.events.connection import connect
from proximity.events.relay import OutboxRelay, RetryPolicy


@pytest.fixture
async def link(nats_url: str) -> AsyncIterator[CuttableLink]:
    relayed = CuttableLink(nats_url)
    await relayed.start()
    yield relayed
    await relayed.cut()


async def test_an_outage_charges_no_row_and_everything_goes_out_after_it(
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    js: JetStreamContext,
    context: str,
    link: CuttableLink,
) -> None:
    through_link = await connect(link.url, name="libs-tests-outage")
    # Two attempts would park a row: an outage that charged rows would park them all.
    relay = OutboxRelay(
        engine,
        through_link.jetstream(timeout=0.5),
        context=context,
        poll_interval=0.05,
        retry=RetryPolicy(max_attempts=2, first_delay=0.01),
    )
    before = [new_event(context, n, aggregate="a", version=n) for n in range(1, 6)]
    during = [new_event(context, n, aggregate="a", version=n) for n in range(6, 16)]

    def failures() -> float:
        return REGISTRY.get_sample_value("outbox_publish_failures_total", {"context": context}) or 0

    try:
        async with running(relay):
            await record_events(sessionmaker, before)

            async def first_sent() -> bool:
                return await stream_count(js, context) == 5

            await wait_until(first_sent, what="the events before the outage")

            await link.cut()
            failed_before = failures()
            for event in during:
                await record_events(sessionmaker, [event])

            async def tried_several_times() -> bool:
                return failures() >= failed_before + 3

            await wait_until(tried_several_times, what="the relay trying through the outage")
            rows = await outbox_rows(sessionmaker)
            assert all(row.attempts == 0 and row.parked_at is None for row in rows)

            await link.start()

            async def all_sent() -> bool:
                return await stream_count(js, context) == 15

            await wait_until(all_sent, what="the events written during the outage")
    finally:
        await through_link.close()

    assert await stream_ids(js, context) == [str(e.id) for e in before + during]
    assert all(row.published_at is not None and row.attempts == 0 for row in await outbox_rows(sessionmaker))
