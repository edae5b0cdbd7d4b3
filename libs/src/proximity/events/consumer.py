"""Consuming events from JetStream.

``subscribe`` runs a pull consumer and calls a handler per event; ``InboxHandler`` wraps a
database handler so the event's effect and its inbox row commit together, and a redelivered
event (same id) has no second effect.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from proximity.background import stop_requested
from proximity.events.envelope import Event, MalformedEvent
from proximity.events.tables import InboxMessage

log = logging.getLogger(__name__)

# Long enough to ride out a short broker outage; after a longer one the consumer is remade.
EPHEMERAL_INACTIVE_SECONDS = 300.0

EventHandler = Callable[[Event], Awaitable[None]]
SessionEventHandler = Callable[[AsyncSession, Event], Awaitable[None]]


class InboxHandler:
    """Applies ``handler`` at most once per event id for the consumer ``name``."""

    def __init__(
        self, name: str, sessionmaker: async_sessionmaker[AsyncSession], handler: SessionEventHandler
    ) -> None:
        self.name = name
        self._sessionmaker = sessionmaker
        self._handler = handler

    async def __call__(self, event: Event) -> None:
        async with self._sessionmaker() as session, session.begin():
            claimed = await session.execute(
                insert(InboxMessage)
                .values(consumer=self.name, event_id=event.id, processed_at=datetime.now(UTC))
                .on_conflict_do_nothing()
                .returning(col(InboxMessage.event_id))
            )
            if claimed.first() is None:
                return  # applied before: a redelivery
            await self._handler(session, event)


async def subscribe(
    js: JetStreamContext,
    *,
    stream: str,
    subject: str,
    handler: EventHandler,
    durable: str | None = None,
    since: datetime | None = None,
    batch: int = 50,
) -> asyncio.Task[None]:
    """Start a pull consumer on ``subject`` and hand each event to ``handler``.

    A durable consumer resumes where it stopped; without ``durable`` an ephemeral consumer
    starts at ``since`` (or with new messages only). A handler that raises leaves the message
    unacknowledged, so JetStream redelivers it.

    The server deletes an ephemeral consumer that nobody pulled from for a while (a broker
    outage); it is then made again from the time of the last event seen, so handlers of
    ephemeral consumers must be idempotent (they may see a few events twice).
    """

    def open_subscription(start: datetime | None) -> Any:
        config = ConsumerConfig(
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=30,
            max_deliver=-1,
            deliver_policy=DeliverPolicy.BY_START_TIME
            if start
            else (DeliverPolicy.ALL if durable else DeliverPolicy.NEW),
            opt_start_time=start,
            inactive_threshold=None if durable else EPHEMERAL_INACTIVE_SECONDS,
        )
        return js.pull_subscribe(subject, durable=durable, stream=stream, config=config)

    subscription = await open_subscription(since)
    last_seen: datetime | None = since

    async def consume() -> None:
        nonlocal subscription, last_seen
        failures = 0
        while True:
            try:
                messages = await subscription.fetch(batch, timeout=1)
                failures = 0
            except NatsTimeout:
                continue
            except Exception:
                if stop_requested():
                    raise asyncio.CancelledError() from None
                failures += 1
                log.warning("event fetch failed; retrying", exc_info=failures == 1)
                await asyncio.sleep(1)
                if failures >= 3 and durable is None:
                    with contextlib.suppress(Exception):
                        await subscription.unsubscribe()
                    with contextlib.suppress(Exception):
                        subscription = await open_subscription(last_seen or datetime.now(UTC))
                        failures = 0
                continue
            for message in messages:
                last_seen = message.metadata.timestamp
                try:
                    event = Event.from_json(message.data)
                except MalformedEvent:
                    log.error("dropping a malformed event", extra={"subject": message.subject})
                    await message.term()
                    continue
                try:
                    await handler(event)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    if stop_requested():
                        raise asyncio.CancelledError() from None
                    log.exception("event handler failed", extra={"event_type": event.type})
                    await message.nak(delay=1)
                    continue
                await message.ack()

    async def pump() -> None:
        try:
            await consume()
        finally:
            # A fetch cancelled mid-wait leaves its pull request open: the server's late reply
            # would sit unread and hold the connection's drain (shutdown) for its full timeout.
            with contextlib.suppress(Exception):
                await subscription.unsubscribe()

    return asyncio.create_task(pump(), name=f"consumer:{durable or subject}")
