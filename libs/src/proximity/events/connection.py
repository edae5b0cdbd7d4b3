"""The connection to NATS every process opens (services, the gateway, tools)."""

from __future__ import annotations

import nats
from nats.aio.client import Client as NATS


async def connect(url: str, *, name: str) -> NATS:
    return await nats.connect(
        url,
        name=name,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.5,
        connect_timeout=5,
    )
