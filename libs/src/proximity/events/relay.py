"""The outbox relay: publishes unsent outbox rows to JetStream, each aggregate's one at a time
and different aggregates' side by side, and marks the ones the stream acknowledged.

Exactly once into the stream: each row is published with ``Nats-Msg-Id`` = event id. A relay
that dies after publishing but before marking publishes the row again later, and JetStream
drops the repeat within the stream's duplicate window.

One relay per service: replicas elect a leader with a PostgreSQL advisory lock
(``proximity.db.leadership``); the others stand by and take over when the leader's database
session ends. Rows go out in ``seq`` order (a database sequence, not a replica's clock).

Order per aggregate holds because the use case's writes to an aggregate take its row lock
before its outbox rows are inserted (``UnitOfWork.commit`` flushes the changes first): a
second transaction on the same aggregate waits for the first to commit before it draws its
``seq``. So an aggregate's rows have increasing ``seq`` and are visible in that order; the
relay publishes them in that order, waiting for each acknowledgement before the aggregate's
next row, and never lets a row overtake an earlier one of its aggregate that failed or was
parked. Up to ``in_flight`` aggregates are published at once. Order *across*
aggregates is not kept: transactions on different rows commit in any order, so a lower
``seq`` can become visible after a higher one. Rows of older versions have no aggregate
(``aggregate_id = ''``) and hold nothing back.

A row whose publish fails (no stream takes its subject, the broker refuses its size) is
retried with exponential backoff and parked after a bounded number of attempts; only the
later rows of its aggregate wait. A broker that cannot be reached is nobody's fault: the
pass stops there and no row is charged an attempt.

No transaction is held while publishing: the due rows are read in one short statement and
each outcome is written in another.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

import nats.errors
import nats.js.errors
from prometheus_client import Counter, Gauge
from sqlalchemy import Select, case, exists, func, or_, select, text, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncEngine

from proximity.background import stop_requested
from proximity.db.leadership import Leadership
from proximity.delivery import DeliveryLoop
from proximity.events.tables import OutboxMessage
from proximity.settings import ServiceSettings

log = logging.getLogger(__name__)

OLDEST_PENDING_AGE = Gauge(
    "outbox_oldest_pending_age_seconds",
    "Age of the oldest outbox row not yet published (parked rows not counted)",
    ["context"],
)
PARKED_ROWS = Gauge("outbox_parked_rows", "Outbox rows parked after repeated publish failures", ["context"])
RELAY_LEADER = Gauge(
    "outbox_relay_leader", "1 while this replica runs the service's active relay", ["context"]
)
PUBLISH_FAILURES = Counter("outbox_publish_failures_total", "Outbox rows whose publish failed", ["context"])

# The broker is unreachable or not answering: every row would fail alike, so none is charged.
_BROKER_UNAVAILABLE: tuple[type[BaseException], ...] = (
    TimeoutError,  # nats.errors.TimeoutError too: no acknowledgement in time
    ConnectionError,
    nats.errors.ConnectionClosedError,
    nats.errors.ConnectionDrainingError,
    nats.errors.ConnectionReconnectingError,
    nats.errors.OutboundBufferLimitError,
    nats.errors.StaleConnectionError,
    nats.errors.NoServersError,
    nats.js.errors.ServiceUnavailableError,
)

_MAX_ERROR_LENGTH = 200

_outbox = OutboxMessage.__table__  # type: ignore[attr-defined]
_earlier = _outbox.alias("earlier")

# Two cheap reads on the partial indexes: the pending scan starts at the lowest ``seq``, and
# parked rows are among the (few) unpublished ones.
_BACKLOG = text(
    """
    SELECT
      (SELECT extract(epoch FROM now() - created_at) FROM outbox
        WHERE published_at IS NULL AND parked_at IS NULL ORDER BY seq LIMIT 1) AS oldest_age,
      (SELECT count(*) FROM outbox WHERE published_at IS NULL AND parked_at IS NOT NULL) AS parked
    """
)


class Publisher(Protocol):
    """What the relay needs of JetStream (``JetStreamContext`` in production)."""

    async def publish(self, subject: str, payload: bytes, *, headers: dict[str, str]) -> Any: ...


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 10
    first_delay: float = 1.0
    max_delay: float = 300.0

    def delay(self, attempts: int) -> timedelta:
        """How long to wait after the ``attempts``-th failure: doubling, capped."""
        return timedelta(seconds=min(self.first_delay * 2 ** (attempts - 1), self.max_delay))


def relay_retry(settings: ServiceSettings) -> RetryPolicy:
    return RetryPolicy(
        max_attempts=settings.outbox_max_attempts,
        first_delay=settings.outbox_retry_first_delay_seconds,
        max_delay=settings.outbox_retry_max_delay_seconds,
    )


@dataclass(frozen=True, slots=True)
class Backlog:
    oldest_age_seconds: float
    parked: int


@dataclass(frozen=True, slots=True)
class _Pass:
    scanned: int
    sent: int


def _due_rows(limit: int) -> Select[Any]:
    """Rows to publish now, in ``seq`` order, leaving out the ones an earlier row of their
    aggregate holds back (parked, or failing and waiting for its retry)."""
    held_back = exists().where(
        _earlier.c.aggregate_id == _outbox.c.aggregate_id,
        _earlier.c.seq < _outbox.c.seq,
        _earlier.c.published_at.is_(None),
        or_(_earlier.c.parked_at.is_not(None), _earlier.c.next_attempt_at > func.now()),
    )
    return (
        select(
            _outbox.c.id,
            _outbox.c.subject,
            _outbox.c.aggregate_id,
            _outbox.c.payload,
            _outbox.c.attempts,
        )
        .where(
            _outbox.c.published_at.is_(None),
            _outbox.c.parked_at.is_(None),
            or_(_outbox.c.next_attempt_at.is_(None), _outbox.c.next_attempt_at <= func.now()),
            or_(_outbox.c.aggregate_id == "", ~held_back),
        )
        .order_by(_outbox.c.seq)
        .limit(limit)
    )


def _chains(rows: list[Row[Any]]) -> list[list[Row[Any]]]:
    """The rows by aggregate, each aggregate's in ``seq`` order; a row of no aggregate is a
    chain of its own."""
    chains: dict[str, list[Row[Any]]] = {}
    for row in rows:
        chains.setdefault(row.aggregate_id or f"#{row.id}", []).append(row)
    return list(chains.values())


def describe(exc: BaseException) -> str:
    """A short account of a failed publish for ``last_error``: NATS's own messages name the
    failure, never the payload; anything else is reduced to its type."""
    detail = str(exc) if isinstance(exc, nats.errors.Error) else ""
    return (f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__)[:_MAX_ERROR_LENGTH]


class OutboxRelay:
    def __init__(
        self,
        engine: AsyncEngine,
        js: Publisher,
        *,
        context: str,
        batch_size: int = 1000,
        in_flight: int = 256,
        poll_interval: float = 1.0,
        retry: RetryPolicy | None = None,
    ) -> None:
        # Each statement commits on its own: nothing is held open across a publish.
        self._engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._js = js
        self._context = context
        self._batch_size = batch_size
        self._in_flight = in_flight
        self._retry = retry or RetryPolicy()
        self._leadership = Leadership(engine, f"outbox-relay:{context}")
        self._loop = DeliveryLoop(self._cycle, name="outbox relay", poll_interval=poll_interval)
        self._next_report = 0.0

    @property
    def context(self) -> str:
        """The service's context: its subjects are ``<context>.*``."""
        return self._context

    @property
    def leading(self) -> bool:
        return self._leadership.leading

    def wake(self) -> None:
        """Called after a commit that wrote outbox rows: publish now rather than at the next
        poll. A standby ignores it (the leader finds the rows at its next poll)."""
        if self._leadership.leading:
            self._loop.wake()

    async def run(self) -> None:
        """Lead or stand by, and relay while leading, until cancelled."""
        try:
            await self._loop.run()
        finally:
            # Stepping down at once lets a standby take over without waiting for a timeout.
            await self._leadership.release()
            RELAY_LEADER.labels(self._context).set(0)

    async def _cycle(self) -> bool:
        try:
            leading = await self._leadership.hold()
        except Exception:
            RELAY_LEADER.labels(self._context).set(0)
            raise
        RELAY_LEADER.labels(self._context).set(int(leading))
        outcome = await self._relay() if leading else _Pass(scanned=0, sent=0)
        await self._report_when_due()
        return outcome.scanned == self._batch_size  # a full batch: more may be waiting

    async def publish_pending(self) -> int:
        """Publish one batch of due rows (whether or not this relay leads); returns how many
        rows the stream acknowledged."""
        return (await self._relay()).sent

    async def _relay(self) -> _Pass:
        async with self._engine.connect() as connection:
            rows = (await connection.execute(_due_rows(self._batch_size))).all()
        acked: list[uuid.UUID] = []
        in_flight = asyncio.Semaphore(self._in_flight)

        async def send(chain: list[Row[Any]]) -> None:
            """One aggregate's rows, each after the previous one's acknowledgement; the rest of
            the chain waits behind a row that fails."""
            async with in_flight:
                for row in chain:
                    try:
                        await self._js.publish(row.subject, row.payload, headers={"Nats-Msg-Id": str(row.id)})
                    except _BROKER_UNAVAILABLE:
                        PUBLISH_FAILURES.labels(self._context).inc()
                        raise
                    except Exception as exc:
                        if stop_requested():
                            raise
                        PUBLISH_FAILURES.labels(self._context).inc()
                        await self._failed(row, exc)
                        return
                    acked.append(row.id)

        try:
            # Aggregates are independent, so their chains go out side by side: a pass is bound
            # by the broker's acknowledgements in flight, not by one round trip per row.
            outcomes = await asyncio.gather(*map(send, _chains(rows)), return_exceptions=True)
        finally:
            # Whatever ends the pass, what the stream acknowledged is marked, so it is not sent again.
            if acked:
                await self._mark_published(acked)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        return _Pass(scanned=len(rows), sent=len(acked))

    async def _mark_published(self, ids: list[uuid.UUID]) -> None:
        async with self._engine.connect() as connection:
            await connection.execute(
                update(_outbox).where(_outbox.c.id.in_(ids)).values(published_at=func.now())
            )

    async def _failed(self, row: Row[Any], exc: Exception) -> None:
        attempts = row.attempts + 1
        parking = attempts >= self._retry.max_attempts
        async with self._engine.connect() as connection:
            await connection.execute(
                update(_outbox)
                .where(_outbox.c.id == row.id, _outbox.c.published_at.is_(None))
                .values(
                    attempts=_outbox.c.attempts + 1,
                    last_error=describe(exc),
                    next_attempt_at=func.now() + self._retry.delay(attempts),
                    parked_at=case((_outbox.c.attempts + 1 >= self._retry.max_attempts, func.now())),
                )
            )
        details = {
            "subject": row.subject,
            "event_id": str(row.id),
            "attempts": attempts,
            "error": type(exc).__name__,
        }
        if parking:
            log.error("outbox row parked after repeated publish failures", extra=details)
        else:
            log.warning("outbox row not published; will retry", extra=details)

    async def backlog(self) -> Backlog:
        """What is still to be sent, as the metrics report it."""
        async with self._engine.connect() as connection:
            age, parked = (await connection.execute(_BACKLOG)).one()
        return Backlog(oldest_age_seconds=float(age or 0), parked=int(parked))

    async def report(self) -> Backlog:
        """Set the backlog metrics from the database (every replica reports the same facts)."""
        backlog = await self.backlog()
        OLDEST_PENDING_AGE.labels(self._context).set(backlog.oldest_age_seconds)
        PARKED_ROWS.labels(self._context).set(backlog.parked)
        return backlog

    async def _report_when_due(self) -> None:
        # At most once per poll interval: a busy leader cycles on every commit.
        now = asyncio.get_running_loop().time()
        if now >= self._next_report:
            self._next_report = now + self._loop.poll_interval
            await self.report()
