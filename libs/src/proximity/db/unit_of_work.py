"""The unit of work: the one place that commits.

A use case opens it, loads and changes rows through ``session``, records the events the
change causes with ``publish`` (outbox rows in the same transaction), and calls ``commit``.
Leaving the block without committing rolls everything back, outbox rows included.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from proximity.events.envelope import Event
from proximity.events.tables import OutboxMessage


class UnitOfWork:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._on_commit = on_commit
        self._session: AsyncSession | None = None
        self._published = 0

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("the unit of work is used outside its 'async with' block")
        return self._session

    async def __aenter__(self) -> Self:
        self._session = self._sessionmaker()
        self._published = 0
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

    def publish(self, event: Event) -> None:
        """Record ``event`` in the outbox; it is sent only if this unit of work commits."""
        self.session.add(OutboxMessage.from_event(event))
        self._published += 1

    async def commit(self) -> None:
        await self.session.commit()
        if self._published and self._on_commit is not None:
            self._on_commit()  # wake the relay instead of waiting for its next poll
        self._published = 0
