"""The consumers identity runs from its lifespan (``open_runtime(start_consumers=...)``)."""

from __future__ import annotations

import asyncio

from identity.events.consumed import PERMISSIONS_CONSUMER, PERMISSIONS_UPDATED
from identity.services.permissions_replica import apply_permissions_updated
from proximity.runtime import Runtime


async def start_consumers(runtime: Runtime) -> list[asyncio.Task[None]]:
    """Durable, so permissions published while identity was down are applied when it starts.
    The stream is iam's: until iam declares it, the consumer waits for it in the background.
    Each event writes one user's row only, so users are applied side by side: a group change
    that reaches 10,000 users is not 10,000 transactions one after another."""
    task = await runtime.consume(
        "iam",
        PERMISSIONS_UPDATED,
        apply_permissions_updated,
        durable=PERMISSIONS_CONSUMER,
        concurrency=8,
        batch=256,
    )
    return [task]
