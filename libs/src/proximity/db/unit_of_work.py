"""The unit of work: the one place that commits.

A use case opens it, loads and changes rows through ``session``, records the events the
change causes with ``publish`` (outbox rows in the same transaction), and calls ``commit``.
Leaving the block without committing rolls everything back, outbox rows included.

``publish`` refuses, in the use case's own transaction, an event the relay could never send:
a subject outside the service's own context, or a payload over the broker's size limit.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from proximity.events.envelope import Event
from proximity.events.tables import OutboxMessage, outbox_values

# NATS's default ``max_payload``, used when the server has not said its own.
DEFAULT_MAX_PAYLOAD = 1024 * 1024
# Room for the message's headers (``Nats-Msg-Id`` ...), which the broker counts in its limit.
HEADER_HEADROOM = 1024
_OUTSIDE = "the unit of work is used outside its 'async with' block"
_outbox = OutboxMessage.__table__  # type: ignore[attr-defined]


class EventRefused(RuntimeError):
    """An event that could never be published; the use case fails and nothing commits."""


def event_size_limit(server_max_payload: int | None) -> int:
    """The largest serialised event the broker will take, from its announced ``max_payload``."""
    return (server_max_payload or DEFAULT_MAX_PAYLOAD) - HEADER_HEADROOM


class UnitOfWork:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        on_commit: Callable[[], None] | None = None,
        context: str | None = None,
        max_payload: int | None = None,
    ) -> None:
        """``context``: the service's own subjects (``<context>.``), the only ones it may
        publish; ``max_payload``: the largest serialised event (``event_size_limit``)."""
        self._sessionmaker = sessionmaker
        self._on_commit = on_commit
        self._prefix = f"{context}." if context else None
        self._max_payload = max_payload if max_payload is not None else event_size_limit(None)
        self._session: AsyncSession | None = None
        self._outbox: list[dict[str, Any]] = []

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError(_OUTSIDE)
        return self._session

    async def __aenter__(self) -> Self:
        self._session = self._sessionmaker()
        self._outbox = []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back whatever was not committed and detaches the loaded rows without
        # expiring them (rollback() would), so a use case can still read what it loaded.
        await self.session.close()
        self._session = None
        self._outbox = []

    def publish(self, event: Event) -> None:
        """Record ``event`` in the outbox; it is sent only if this unit of work commits.

        Raises ``EventRefused`` for another context's subject or an oversized payload.
        """
        if self._session is None:
            raise RuntimeError(_OUTSIDE)
        if self._prefix is not None and not event.subject.startswith(self._prefix):
            raise EventRefused(f"subject {event.subject!r} is not under this service's {self._prefix}>")
        row = outbox_values(event)
        size = len(row["payload"])
        if size > self._max_payload:
            limit = self._max_payload
            raise EventRefused(f"event {event.subject!r} is {size} bytes; the broker takes {limit}")
        self._outbox.append(row)

    async def commit(self) -> None:
        session = self.session
        published = len(self._outbox)
        if self._outbox:
            # The changes first, the outbox rows after: the changes take their rows' locks, so a
            # concurrent change to the same aggregate waits before it draws its outbox ``seq``,
            # and an aggregate's events are numbered in the order they commit (see the relay).
            await session.flush()
            # One multi-row INSERT (rows in this list's order draw increasing ``seq``), not an
            # ORM object each: a change that tells 10,000 users costs milliseconds, not seconds.
            await session.execute(insert(_outbox), self._outbox)
            self._outbox = []
        await session.commit()
        if published and self._on_commit is not None:
            self._on_commit()  # wake the relay instead of waiting for its next poll
