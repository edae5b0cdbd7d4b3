"""Delivering from a table after commit: the loop behind the outbox relay and the mail sender.

A use case writes what is to be sent into a table in its own transaction and, once committed,
calls ``wake()``; the loop then sends at once instead of at its next poll. Polling remains the
safety net: a wake lost in a crash, or rows another replica wrote, go out within one interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from proximity.background import stop_requested

log = logging.getLogger(__name__)

# One pass over the table; True when there is more to send right away (a full batch).
DeliveryPass = Callable[[], Awaitable[bool]]


class DeliveryLoop:
    def __init__(self, deliver: DeliveryPass, *, name: str, poll_interval: float = 1.0) -> None:
        self._deliver = deliver
        self._name = name
        self._poll_interval = poll_interval
        self._wake = asyncio.Event()

    @property
    def poll_interval(self) -> float:
        return self._poll_interval

    def wake(self) -> None:
        """Called after a commit that wrote rows to send: send now rather than at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        """Deliver until cancelled; survives database and downstream outages by retrying."""
        while True:
            # Cleared before the pass, not after: a commit that lands during the pass leaves the
            # flag set, so its rows go out at once instead of at the next poll.
            self._wake.clear()
            try:
                more = await self._deliver()
            except Exception as exc:
                if stop_requested():
                    raise asyncio.CancelledError() from None
                # The exception's type only: a database or SMTP error can quote what was sent.
                log.warning("%s failed; retrying", self._name, extra={"error": type(exc).__name__})
                await asyncio.sleep(self._poll_interval)
                continue
            if more:
                continue
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation that
            # arrives as the wake-up does, and the loop would then never stop.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._poll_interval):
                    await self._wake.wait()
