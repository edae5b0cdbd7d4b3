"""JetStream stream set-up, done at start-up by each publishing context."""

from __future__ import annotations

import logging
from datetime import timedelta

from nats.js import JetStreamContext
from nats.js.api import StreamConfig
from nats.js.errors import NotFoundError

log = logging.getLogger(__name__)

# Long enough that a relay restarted after a crash still has its republished ids deduplicated.
DUPLICATE_WINDOW = timedelta(minutes=15)


def stream_name(context: str) -> str:
    return context.upper().replace("-", "_")


async def ensure_stream(js: JetStreamContext, context: str) -> str:
    """Create (or bring up to date) the stream carrying ``<context>.>``."""
    name = stream_name(context)
    config = StreamConfig(
        name=name,
        subjects=[f"{context}.>"],
        duplicate_window=DUPLICATE_WINDOW.total_seconds(),
    )
    try:
        await js.stream_info(name)
    except NotFoundError:
        await js.add_stream(config)
        log.info("stream created", extra={"stream": name})
    else:
        await js.update_stream(config)
    return name
