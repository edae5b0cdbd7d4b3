"""Long-running background tasks (outbox relay, event consumers) and stopping them reliably."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

log = logging.getLogger(__name__)


def stop_requested() -> bool:
    """True if the current task has been asked to stop.

    A loop that survives failures with ``except Exception`` must check this: on Python 3.11 a
    cancellation landing inside a database or broker call can surface as another exception,
    and a loop that swallows it would never stop.
    """
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


async def stop_all(tasks: Iterable[asyncio.Task[None]], *, grace: float = 5.0) -> None:
    pending = {task for task in tasks if not task.done()}
    deadline = asyncio.get_running_loop().time() + grace
    while pending:
        for task in pending:
            task.cancel()
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            log.error("background tasks did not stop", extra={"tasks": [t.get_name() for t in pending]})
            return
        _, pending = await asyncio.wait(pending, timeout=min(remaining, 0.5))
