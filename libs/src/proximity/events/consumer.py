"""Consuming events from JetStream.

``subscribe`` runs a pull consumer and calls a handler per event; ``InboxHandler`` wraps a
database handler so the event's effect and its inbox row commit together, and a redelivered
event (same id) has no second effect.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from proximity.events.envelope import Event, MalformedEvent
from proximity.events.tables import InboxMessage

log = logging.getLogger(__name__)

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
                .values(consumer=self.name, event_id=event.id)
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
    """
    config = ConsumerConfig(
        ack_policy=AckPolicy.EXPLICIT,
        ack_wait=30,
        max_deliver=-1,
        deliver_policy=DeliverPolicy.BY_START_TIME
        if since
        else (DeliverPolicy.ALL if durable else DeliverPolicy.NEW),
        opt_start_time=since,
    )
    subscription = await js.pull_subscribe(subject, durable=durable, stream=stream, config=config)

    async def pump() -> None:
        while True:
            try:
                messages = await subscription.fetch(batch, timeout=1)
            except NatsTimeout:
                continue
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("event fetch failed; retrying", exc_info=True)
                await asyncio.sleep(1)
                continue
            for message in messages:
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
                    log.exception("event handler failed", extra={"event_type": event.type})
                    await message.nak(delay=1)
                    continue
                await message.ack()

    return asyncio.create_task(pump(), name=f"consumer:{durable or subject}")
