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
from nats.js.errors import NotFoundError
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


def _reconnects(js: JetStreamContext) -> int:
    # nats-py keeps its client on the JetStream context, and nothing public says how often
    # it has reconnected; without the count, a dropped consumer would look merely idle.
    stats = getattr(getattr(js, "_nc", None), "stats", None)
    return int(stats.get("reconnects", 0)) if isinstance(stats, dict) else 0


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

    async def remade() -> bool:
        nonlocal subscription
        with contextlib.suppress(Exception):
            await subscription.unsubscribe()
        try:
            subscription = await open_subscription(last_seen or datetime.now(UTC))
        except Exception:
            return False
        return True

    async def consumer_gone() -> bool | None:
        """None while the server cannot say (still reconnecting)."""
        try:
            await subscription.consumer_info()
        except NotFoundError:
            return True
        except Exception:
            return None
        return False

    async def consume() -> None:
        nonlocal subscription, last_seen
        failures = 0
        # A fetch from a consumer the server has deleted just times out, like an idle one, so
        # after a reconnect or failed fetches (an outage, during which the server may have
        # dropped an ephemeral consumer) the consumer is looked up once fetches answer again.
        suspect = False
        reconnects = _reconnects(js)
        while True:
            try:
                messages = await subscription.fetch(batch, timeout=1)
                failures, suspect = 0, False
            except NatsTimeout:
                if reconnects != (now := _reconnects(js)):
                    reconnects, suspect = now, True
                if suspect and durable is None:
                    gone = await consumer_gone()
                    if gone is not None:
                        suspect = gone and not await remade()
                continue
            except Exception:
                if stop_requested():
                    raise asyncio.CancelledError() from None
                failures += 1
                suspect = True
                log.warning("event fetch failed; retrying", exc_info=failures == 1)
                await asyncio.sleep(1)
                if failures >= 3 and durable is None and await remade():
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
