"""The consumers identity runs from its lifespan (``open_runtime(start_consumers=...)``)."""

from __future__ import annotations

import asyncio

from identity.events.consumed import PERMISSIONS_CONSUMER, PERMISSIONS_UPDATED
from identity.services.permissions_replica import apply_permissions_updated
from proximity.events.consumer import InboxHandler, subscribe
from proximity.events.streams import ensure_stream
from proximity.runtime import Runtime


async def start_consumers(runtime: Runtime) -> list[asyncio.Task[None]]:
    """Durable, so permissions published while identity was down are applied when it starts."""
    # iam may start after identity (or not exist yet): the stream is declared by both sides.
    stream = await ensure_stream(runtime.js, "iam")
    handler = InboxHandler(PERMISSIONS_CONSUMER, runtime.sessionmaker, apply_permissions_updated)
    task = await subscribe(
        runtime.js, stream=stream, subject=PERMISSIONS_UPDATED, handler=handler, durable=PERMISSIONS_CONSUMER
    )
    return [task]
