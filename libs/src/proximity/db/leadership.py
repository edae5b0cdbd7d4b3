"""One leader among a service's replicas: a PostgreSQL session-level advisory lock.

The leader holds the lock on a connection of its own for as long as it leads. When its process
dies, or its connection is cut, PostgreSQL ends the session and releases the lock; a standby,
retrying each poll, then takes it. A leader checks its connection on every ``hold()``, so a
cut connection makes it step down at its next cycle rather than go on believing it leads.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

_TRY_LOCK = text("SELECT pg_try_advisory_lock(:key)")
_STILL_THERE = text("SELECT 1")


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for ``name`` (``hash()`` differs between processes)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class Leadership:
    def __init__(self, engine: AsyncEngine, name: str) -> None:
        self._engine = engine
        self._name = name
        self._key = lock_key(name)
        self._connection: AsyncConnection | None = None
        self._leading = False

    @property
    def leading(self) -> bool:
        """Whether this replica led at its last ``hold()``."""
        return self._leading

    async def hold(self) -> bool:
        """Take the lead if nobody has it, or confirm this replica still has it.

        Raises when the database cannot be reached (after stepping down, if leading).
        """
        try:
            connection = await self._connected()
            if self._leading:
                await connection.execute(_STILL_THERE)
            elif (await connection.execute(_TRY_LOCK, {"key": self._key})).scalar_one():
                self._leading = True
                log.info("took the lead", extra={"leadership": self._name})
        except Exception:
            if self._leading:
                log.warning("lost the lead: its database connection failed", extra={"leadership": self._name})
            await self.release()
            raise
        return self._leading

    async def release(self) -> None:
        """Step down (if leading) and close the lock's connection."""
        connection, self._connection = self._connection, None
        self._leading = False
        if connection is None:
            return
        # Shielded: it runs while the relay is being stopped, and a second cancellation
        # (``stop_all`` repeats them) would leave the connection to the garbage collector.
        with contextlib.suppress(BaseException):  # best effort: a dead connection holds nothing
            await asyncio.shield(_discard(connection))

    async def _connected(self) -> AsyncConnection:
        if self._connection is None:
            # Kept before anything else is awaited, so a cancellation from here on still
            # finds it to release.
            self._connection = await self._engine.connect()
            # Autocommit: no transaction stays open on the connection while it holds the lock.
            await self._connection.execution_options(isolation_level="AUTOCOMMIT")
        return self._connection


async def _discard(connection: AsyncConnection) -> None:
    """Invalidated, not returned to the pool: a pooled connection would keep the session-level
    lock, and the next user of it would lead without knowing."""
    with contextlib.suppress(Exception):
        await connection.invalidate()
    with contextlib.suppress(Exception):
        await connection.close()
