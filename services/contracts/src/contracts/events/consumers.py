"""The consumers contracts runs from its lifespan (``service_app(start_consumers=...)``)."""

from __future__ import annotations

import asyncio

from proximity.runtime import Runtime


async def start_consumers(runtime: Runtime) -> list[asyncio.Task[None]]:
    return []
