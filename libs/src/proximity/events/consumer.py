"""Consuming events from JetStream.

``subscribe`` runs a pull consumer and calls a handler per event; ``InboxHandler`` wraps a
database handler so the event's effect and its inbox row commit together, and a redelivered
event (same id) has no second effect.

What a consumer does with a message it cannot apply:

- the handler raised: the message is redelivered after a growing delay
  (``proximity.events.redelivery``), and given up on at the delivery that reaches the bound;
- it is not an event envelope, its contract version (``schema``) is one this consumer does
  not understand, or the handler raised ``UnusableEvent``: given up on at once.

Giving up parks the message (``proximity.events.parking``) when the consumer has a database,
else logs and counts it; then the message is terminated on the stream, so it no longer holds
anything back. The consumer's task is supervised: whatever ends its loop (a failed fetch,
ack, nak or term, a bug) is logged, counted in ``event_consumer_restarts_total`` and the
consumer started again after a back-off.

A consumer never declares the stream it reads (the publisher owns it,
``proximity.events.streams``): started before the stream exists, it waits for it in the
background and begins once it appears.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Collection
from datetime import UTC, datetime
from typing import Any

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import BadRequestError, NotFoundError
from prometheus_client import Counter, Gauge
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from proximity.background import stop_requested
from proximity.events.envelope import SCHEMA_VERSION, Event, MalformedEvent
from proximity.events.parking import Origin, ParkedMessages
from proximity.events.redelivery import Redelivery
from proximity.events.tables import InboxMessage

log = logging.getLogger(__name__)

# Long enough to ride out a short broker outage; after a longer one the consumer is remade.
EPHEMERAL_INACTIVE_SECONDS = 300.0
ACK_WAIT_SECONDS = 30.0
# A consumer that keeps failing is started again at most this often ...
RESTART_FIRST_DELAY_SECONDS = 0.5
RESTART_MAX_DELAY_SECONDS = 30.0
# ... and one waiting for its stream looks again at least this often.
STREAM_WAIT_MAX_DELAY_SECONDS = 2.0
# Replays requested at once are run a bounded number per look, so live events keep flowing.
REPLAYS_PER_LOOK = 100

RESTARTS = Counter(
    "event_consumer_restarts_total", "Event consumers started again after their loop failed", ["consumer"]
)
RUNNING = Gauge("event_consumer_running", "1 while the event consumer is consuming", ["consumer"])
HANDLER_FAILURES = Counter(
    "event_handler_failures_total",
    "Deliveries whose handler raised (each is redelivered or parked)",
    ["consumer"],
)
PARKED = Counter(
    "event_messages_parked_total",
    "Messages a consumer gave up on and parked for an operator",
    ["consumer", "reason"],
)
DROPPED = Counter(
    "event_messages_dropped_total",
    "Messages a consumer without a database gave up on (logged and terminated)",
    ["consumer", "reason"],
)
REPLAYED = Counter(
    "event_messages_replayed_total",
    "Parked messages replayed at an operator's request",
    ["consumer", "outcome"],
)

EventHandler = Callable[[Event], Awaitable[None]]
SessionEventHandler = Callable[[AsyncSession, Event], Awaitable[None]]


class UnusableEvent(Exception):
    """Raised by a handler for an event no retry can make usable (its payload breaks the
    contract): the message is given up on at once instead of after every redelivery."""


class UnknownContract(UnusableEvent):
    """The event's major contract version is not one this consumer understands."""


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


def _aggregate_of(message: Msg) -> str:
    """The message's aggregate, or ``""`` where it has none or is no event (``_deliver`` then
    says why)."""
    try:
        return Event.from_json(message.data).aggregate_id
    except MalformedEvent:
        return ""


def _reconnects(js: JetStreamContext) -> int:
    # nats-py keeps its client on the JetStream context, and nothing public says how often
    # it has reconnected; without the count, a dropped consumer would look merely idle.
    stats = getattr(getattr(js, "_nc", None), "stats", None)
    return int(stats.get("reconnects", 0)) if isinstance(stats, dict) else 0


class _PullConsumer:
    """One consumer's loop and what it needs to start again."""

    def __init__(
        self,
        js: JetStreamContext,
        *,
        stream: str,
        subject: str,
        handler: EventHandler,
        durable: str | None,
        since: datetime | None,
        batch: int,
        parking: ParkedMessages | None,
        schemas: frozenset[int],
        redelivery: Redelivery,
        replay_every: float,
        concurrency: int = 1,
    ) -> None:
        self.js = js
        self.concurrency = concurrency
        self.stream = stream
        self.subject = subject
        self.handler = handler
        self.durable = durable
        self.since = since
        self.batch = batch
        self.parking = parking
        self.schemas = schemas
        self.redelivery = redelivery
        self.replay_every = replay_every
        self.name = durable or subject
        self.subscription: Any = None
        # Where an ephemeral consumer made again starts: the last event seen (or, before
        # any, when it first started), so a restart loses nothing.
        self.last_seen: datetime | None = since
        self._progressed = False
        self._next_replay = 0.0

    def _config(self) -> ConsumerConfig:
        start = self.since if self.durable else self.last_seen
        return ConsumerConfig(
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=ACK_WAIT_SECONDS,
            # Unbounded on the server: the consumer itself gives up at the bound and parks
            # the message, and a message it could not park (database down) must come again,
            # not be dropped by the broker.
            max_deliver=-1,
            max_ack_pending=self.redelivery.max_ack_pending,
            deliver_policy=DeliverPolicy.BY_START_TIME
            if start
            else (DeliverPolicy.ALL if self.durable else DeliverPolicy.NEW),
            opt_start_time=start,
            inactive_threshold=None if self.durable else EPHEMERAL_INACTIVE_SECONDS,
        )

    async def open(self) -> None:
        """Create (durable: or update) the consumer and bind to it. NotFoundError: no stream yet."""
        config = self._config()
        if self.durable is None:
            if self.last_seen is None:
                self.last_seen = datetime.now(UTC)
            self.subscription = await self.js.pull_subscribe(self.subject, stream=self.stream, config=config)
            return
        config.name = config.durable_name = self.durable
        config.filter_subject = self.subject
        try:
            # Create or update: a durable made by an older release gets today's limits.
            await self.js.add_consumer(self.stream, config)
        except BadRequestError as exc:
            log.warning(
                "durable consumer keeps its configuration",
                extra={"consumer": self.durable, "stream": self.stream, "error": str(exc)},
            )
        self.subscription = await self.js.pull_subscribe_bind(durable=self.durable, stream=self.stream)

    async def close(self) -> None:
        # A fetch cancelled mid-wait leaves its pull request open: the server's late reply
        # would sit unread and hold the connection's drain (shutdown) for its full timeout.
        subscription, self.subscription = self.subscription, None
        if subscription is not None:
            with contextlib.suppress(Exception):
                await subscription.unsubscribe()

    async def _open_when_stream_exists(self) -> None:
        delay, said = 0.1, False
        while True:
            try:
                await self.open()
            except NotFoundError:
                if not said:
                    log.info(
                        "waiting for the stream its publisher declares",
                        extra={"consumer": self.name, "stream": self.stream},
                    )
                    said = True
            except Exception:
                if stop_requested():
                    raise asyncio.CancelledError() from None
                log.warning(
                    "event consumer could not start; retrying",
                    extra={"consumer": self.name},
                    exc_info=not said,
                )
                said = True
            else:
                if said:
                    log.info("stream found; consuming", extra={"consumer": self.name, "stream": self.stream})
                return
            await asyncio.sleep(delay)
            delay = min(STREAM_WAIT_MAX_DELAY_SECONDS, delay * 2)

    async def run(self) -> None:
        """Consume until cancelled, starting again after anything that ends the loop."""
        delay = RESTART_FIRST_DELAY_SECONDS
        try:
            while True:
                try:
                    if self.subscription is None:
                        await self._open_when_stream_exists()
                    RUNNING.labels(self.name).set(1)
                    await self._consume()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    if stop_requested():
                        raise asyncio.CancelledError() from None
                    RUNNING.labels(self.name).set(0)
                    RESTARTS.labels(self.name).inc()
                    if self._progressed:  # it worked for a while: a new failure, not the same one
                        delay, self._progressed = RESTART_FIRST_DELAY_SECONDS, False
                    log.exception(
                        "event consumer failed; starting it again",
                        extra={"consumer": self.name, "retry_in_seconds": delay},
                    )
                    await self.close()
                    await asyncio.sleep(delay)
                    delay = min(RESTART_MAX_DELAY_SECONDS, delay * 2)
        finally:
            RUNNING.labels(self.name).set(0)
            await self.close()

    async def _remade(self) -> bool:
        await self.close()
        try:
            await self.open()
        except Exception:
            return False
        return True

    async def _consumer_gone(self) -> bool | None:
        """None while the server cannot say (still reconnecting)."""
        try:
            await self.subscription.consumer_info()
        except NotFoundError:
            return True
        except Exception:
            return None
        return False

    async def _consume(self) -> None:
        failures = 0
        # A fetch from a consumer the server has deleted just times out, like an idle one, so
        # after a reconnect or failed fetches (an outage, during which the server may have
        # dropped an ephemeral consumer) the consumer is looked up once fetches answer again.
        suspect = False
        reconnects = _reconnects(self.js)
        while True:
            await self._replay_if_due()
            try:
                messages = await self.subscription.fetch(self.batch, timeout=1)
                failures, suspect, self._progressed = 0, False, True
            except TimeoutError:  # nats-py's own, or asyncio's from deeper in a batch fetch: idle
                if reconnects != (now := _reconnects(self.js)):
                    reconnects, suspect = now, True
                if suspect and self.durable is None:
                    gone = await self._consumer_gone()
                    if gone is not None:
                        suspect = gone and not await self._remade()
                continue
            except Exception:
                if stop_requested():
                    raise asyncio.CancelledError() from None
                failures += 1
                suspect = True
                log.warning("event fetch failed; retrying", exc_info=failures == 1)
                await asyncio.sleep(1)
                if failures >= 3 and self.durable is None and await self._remade():
                    failures = 0
                continue
            await self._deliver_all(messages)

    async def _deliver_all(self, messages: list[Msg]) -> None:
        """One after another; or, with ``concurrency`` above 1, each aggregate's in order and
        up to ``concurrency`` aggregates side by side (for handlers whose aggregates touch
        disjoint rows: one user's permissions, say)."""
        if self.concurrency <= 1:
            for message in messages:
                await self._deliver(message)
            return
        chains: dict[str, list[Msg]] = {}
        for n, message in enumerate(messages):
            chains.setdefault(_aggregate_of(message) or f"#{n}", []).append(message)
        slots = asyncio.Semaphore(self.concurrency)

        async def deliver(chain: list[Msg]) -> None:
            async with slots:
                for message in chain:
                    await self._deliver(message)

        await asyncio.gather(*map(deliver, chains.values()))

    async def _deliver(self, message: Msg) -> None:
        self.last_seen = message.metadata.timestamp
        try:
            event = Event.from_json(message.data)
        except MalformedEvent as exc:
            await self._give_up(message, None, "malformed", f"not an event envelope: {exc}")
            return
        if event.schema not in self.schemas:
            await self._give_up(message, event, "contract", self._unknown_contract(event))
            return
        try:
            await self.handler(event)
        except asyncio.CancelledError:
            raise
        except UnusableEvent as exc:
            await self._give_up(message, event, "unusable", f"{type(exc).__name__}: {exc}")
            return
        except Exception as exc:
            if stop_requested():
                raise asyncio.CancelledError() from None
            HANDLER_FAILURES.labels(self.name).inc()
            delivered = message.metadata.num_delivered
            context = {"consumer": self.name, "event_type": event.type, "event_id": str(event.id)}
            if self.redelivery.gives_up(delivered):
                log.error("event handler failed on every delivery", extra=context, exc_info=True)
                reason = f"handler failed on {delivered} deliveries; last: {type(exc).__name__}: {exc}"
                await self._give_up(message, event, "failing", reason)
                return
            delay = self.redelivery.delay(delivered)
            # The traceback once; later failures of the same message only say when it comes again.
            log.warning(
                "event handler failed; delivering again later",
                extra={**context, "delivered": delivered, "retry_in_seconds": delay},
                exc_info=delivered == 1,
            )
            await message.nak(delay=delay)
            return
        await message.ack()

    def _unknown_contract(self, event: Event) -> str:
        known = ", ".join(str(s) for s in sorted(self.schemas))
        return f"contract version {event.schema} is not one this consumer understands ({known})"

    async def _give_up(self, message: Msg, event: Event | None, kind: str, reason: str) -> None:
        context = {"consumer": self.name, "subject": message.subject, "reason": reason}
        if self.parking is None:
            DROPPED.labels(self.name, kind).inc()
            log.error("giving up on a message", extra=context)
            await message.term()
            return
        metadata = message.metadata
        origin = Origin(
            stream=metadata.stream,
            stream_sequence=metadata.sequence.stream,
            subject=message.subject,
            deliveries=metadata.num_delivered,
        )
        try:
            await self.parking.park(origin, message.data, event.id if event else None, reason)
        except Exception:
            if stop_requested():
                raise asyncio.CancelledError() from None
            delay = self.redelivery.max_delay_seconds
            log.warning(
                "could not park a message; it will be delivered again",
                extra={**context, "retry_in_seconds": delay},
                exc_info=True,
            )
            await message.nak(delay=delay)
            return
        PARKED.labels(self.name, kind).inc()
        log.error("message parked", extra=context)
        await message.term()

    async def _replay_if_due(self) -> None:
        if self.parking is None:
            return
        now = asyncio.get_running_loop().time()
        if now < self._next_replay:
            return
        self._next_replay = now + self.replay_every
        try:
            for _ in range(REPLAYS_PER_LOOK):
                outcome = await self.parking.replay_one(self._replay)
                if outcome is None:
                    return
                REPLAYED.labels(self.name, "replayed" if outcome else "failed").inc()
                log.info("parked message replayed", extra={"consumer": self.name, "succeeded": outcome})
        except Exception:
            if stop_requested():
                raise asyncio.CancelledError() from None
            log.warning("replaying parked messages failed; trying again later", exc_info=True)

    async def _replay(self, payload: bytes) -> None:
        event = Event.from_json(payload)
        if event.schema not in self.schemas:
            raise UnknownContract(self._unknown_contract(event))
        await self.handler(event)


async def subscribe(
    js: JetStreamContext,
    *,
    stream: str,
    subject: str,
    handler: EventHandler,
    durable: str | None = None,
    since: datetime | None = None,
    batch: int = 50,
    park_in: async_sessionmaker[AsyncSession] | None = None,
    schemas: Collection[int] = (SCHEMA_VERSION,),
    redelivery: Redelivery | None = None,
    replay_every: float = 5.0,
    concurrency: int = 1,
) -> asyncio.Task[None]:
    """Start a pull consumer on ``subject`` of ``stream`` and hand each event to ``handler``.

        A durable consumer resumes where it stopped; without ``durable`` an ephemeral consumer
        starts at ``since`` (or with new messages only). ``park_in``: the database of a durable
        consumer's ``parked_message`` table (without it, a message given up on is logged and
        counted). ``schemas``: the envelope's major contract versions the handler understands.
    ``concurrency``: how many aggregates of a fetched batch are applied at once (each
        aggregate's events still in order); 1 unless the handler's aggregates never share rows.

        If the stream exists the consumer exists when this returns (so what is published next
        reaches it); if not, it is made in the background once the stream's publisher declares it.

        The server deletes an ephemeral consumer that nobody pulled from for a while (a broker
        outage); it is then made again from the time of the last event seen, so handlers of
        ephemeral consumers must be idempotent (they may see a few events twice).
    """
    if park_in is not None and durable is None:
        raise ValueError("only a durable consumer parks messages: replays find it by its name")
    consumer = _PullConsumer(
        js,
        stream=stream,
        subject=subject,
        handler=handler,
        durable=durable,
        since=since,
        batch=batch,
        parking=ParkedMessages(park_in, durable) if park_in is not None and durable else None,
        schemas=frozenset(schemas),
        redelivery=redelivery or Redelivery(),
        replay_every=replay_every,
        concurrency=concurrency,
    )
    # Tried here first so the consumer exists on return; if not, ``run`` tries again, says why
    # and waits for the stream.
    # Not while the broker is away: each attempt would wait for the request's whole timeout.
    if getattr(getattr(js, "_nc", None), "is_connected", True):
        with contextlib.suppress(Exception):
            await consumer.open()
    return asyncio.create_task(consumer.run(), name=f"consumer:{consumer.name}")
