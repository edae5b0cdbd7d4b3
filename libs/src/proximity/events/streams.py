"""JetStream streams: each context's stream belongs to the context that publishes on it.

Only the owner declares its stream (``declare_stream``, from its runtime at start-up), with
the whole configuration taken from its settings (``EVENTS_STREAM_*``). A consumer of another
context's stream never creates or updates it: it waits until the stream exists
(``proximity.events.consumer``), so the owner's configuration, and an operator's, holds.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from typing import Any, Literal

from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import APIError, NotFoundError

from proximity.settings import ServiceSettings

log = logging.getLogger(__name__)


def stream_name(context: str) -> str:
    return context.upper().replace("-", "_")


@dataclass(frozen=True, slots=True)
class StreamLimits:
    """What an owner's stream keeps and how. ``0`` / ``-1``: unlimited (JetStream's own
    convention). The duplicate window is long enough that a relay restarted after a crash
    still has its republished ids dropped."""

    max_age_seconds: float = 0.0
    max_bytes: int = -1
    max_msgs: int = -1
    max_msg_size: int = -1
    storage: Literal["file", "memory"] = "file"
    replicas: int = 1
    duplicate_window_seconds: float = 900.0

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> StreamLimits:
        return cls(
            max_age_seconds=settings.events_stream_max_age_seconds,
            max_bytes=settings.events_stream_max_bytes,
            max_msgs=settings.events_stream_max_msgs,
            max_msg_size=settings.events_stream_max_msg_size,
            storage=settings.events_stream_storage,
            replicas=settings.events_stream_replicas,
            duplicate_window_seconds=settings.events_stream_duplicate_window_seconds,
        )

    def config(self, context: str) -> StreamConfig:
        return StreamConfig(
            name=stream_name(context),
            subjects=[f"{context}.>"],
            retention=RetentionPolicy.LIMITS,
            discard=DiscardPolicy.OLD,
            storage=StorageType.FILE if self.storage == "file" else StorageType.MEMORY,
            num_replicas=self.replicas,
            max_age=self.max_age_seconds,
            max_bytes=self.max_bytes,
            max_msgs=self.max_msgs,
            max_msg_size=self.max_msg_size,
            duplicate_window=self.duplicate_window_seconds,
        )


# The parts of a stream's configuration its owner decides; the server fills in the rest.
_OWNED = (
    "subjects",
    "retention",
    "discard",
    "storage",
    "num_replicas",
    "max_age",
    "max_bytes",
    "max_msgs",
    "max_msg_size",
    "duplicate_window",
)


def _differences(current: StreamConfig, wanted: StreamConfig) -> dict[str, tuple[Any, Any]]:
    def comparable(value: Any) -> Any:
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else value

    return {
        name: (getattr(current, name), getattr(wanted, name))
        for name in _OWNED
        if comparable(getattr(current, name)) != comparable(getattr(wanted, name))
    }


async def declare_stream(js: JetStreamContext, context: str, limits: StreamLimits | None = None) -> str:
    """Create the stream carrying ``<context>.>``, or bring it to ``limits``: for the context
    that publishes on it only. A change JetStream refuses (storage type, for one) is logged
    and the stream kept as it is: the service still serves and publishes."""
    wanted = (limits or StreamLimits()).config(context)
    name = str(wanted.name)
    try:
        info = await js.stream_info(name)
    except NotFoundError:
        await js.add_stream(wanted)
        log.info("stream created", extra={"stream": name})
        return name
    changes = _differences(info.config, wanted)
    if not changes:
        return name
    try:
        # Onto the current configuration: what the owner does not decide (compression,
        # placement, ...) stays as an operator set it.
        await js.update_stream(dataclasses.replace(info.config, **{n: getattr(wanted, n) for n in _OWNED}))
    except APIError as exc:
        log.error(
            "stream configuration not applied; the stream keeps its current one",
            extra={"stream": name, "changes": _described(changes), "error": str(exc)},
        )
    else:
        log.info("stream configuration updated", extra={"stream": name, "changes": _described(changes)})
    return name


def _described(changes: dict[str, tuple[Any, Any]]) -> dict[str, str]:
    return {name: f"{old!r} -> {new!r}" for name, (old, new) in changes.items()}
