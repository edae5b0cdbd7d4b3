"""The outbox relay: publishes unsent outbox rows to JetStream and marks them sent.

Each row is published with ``Nats-Msg-Id`` = event id. If the relay dies after publishing
but before marking, the next run publishes the row again and JetStream drops the duplicate
within the stream's duplicate window: each event reaches the stream exactly once.
``FOR UPDATE SKIP LOCKED`` lets several replicas of a service relay side by side.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

from nats.js import JetStreamContext
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col, select

from proximity.background import stop_requested
from proximity.events.tables import OutboxMessage

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        js: JetStreamContext,
        *,
        batch_size: int = 200,
        poll_interval: float = 1.0,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._js = js
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Called after a commit that wrote outbox rows: publish now rather than at the next poll."""
        self._wake.set()

    async def publish_pending(self) -> int:
        """Publish one batch; returns how many rows were sent."""
        async with self._sessionmaker() as session, session.begin():
            rows = (
                await session.execute(
                    select(col(OutboxMessage.id), col(OutboxMessage.subject), col(OutboxMessage.payload))
                    .where(col(OutboxMessage.published_at).is_(None))
                    .order_by(col(OutboxMessage.created_at))
                    .limit(self._batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            for row_id, subject, payload in rows:
                await self._js.publish(subject, payload, headers={"Nats-Msg-Id": str(row_id)})
            if rows:
                await session.execute(
                    update(OutboxMessage)
                    .where(col(OutboxMessage.id).in_([r[0] for r in rows]))
                    .values(published_at=datetime.now(UTC))
                )
            return len(rows)

    async def run(self) -> None:
        """Relay until cancelled; survives database or broker outages by retrying."""
        while True:
            # Cleared before the scan, not after: a commit that lands during the scan leaves the
            # flag set, so its rows go out at once instead of at the next poll.
            self._wake.clear()
            try:
                sent = await self.publish_pending()
            except Exception:
                if stop_requested():
                    raise asyncio.CancelledError() from None
                log.warning("outbox relay failed; retrying", exc_info=True)
                sent = 0
                await asyncio.sleep(self._poll_interval)
            if sent == self._batch_size:
                continue
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation that
            # arrives as the wake-up does, and the relay would then never stop.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._poll_interval):
                    await self._wake.wait()
