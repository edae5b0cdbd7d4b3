"""Keeping a process's caller caches (revoked sessions, client keys) in step with identity's
events: the gateway's, and those of every service that checks its callers itself.

At start-up each consumer replays the window that still matters (a revoked session for as
long as its tokens live), so a process started after a logout still refuses the token.
Ephemeral consumers: every replica of every consumer sees every event. The stream is
identity's: started before identity has declared it, the consumers wait for it in the
background (the process serves meanwhile, without replayed revocations until it appears).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from nats.js import JetStreamContext

from proximity.auth.client_keys import ClientKeyResolver
from proximity.auth.sessions import RevokedSessions
from proximity.background import stop_all
from proximity.events.consumer import subscribe
from proximity.events.envelope import Event
from proximity.events.streams import stream_name

log = logging.getLogger(__name__)

SESSION_REVOKED = "identity.session.revoked"
CLIENT_EVENTS = "identity.client.>"


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def session_handler(sessions: RevokedSessions) -> Callable[[Event], Awaitable[None]]:
    async def on_session_revoked(event: Event) -> None:
        session_id = _uuid(event.data.get("session_id"))
        if session_id is None:
            log.error("session revocation without a session id", extra={"event_id": str(event.id)})
            return
        sessions.revoke(session_id, event.occurred_at)

    return on_session_revoked


def client_handler(client_keys: ClientKeyResolver) -> Callable[[Event], Awaitable[None]]:
    async def on_client_event(event: Event) -> None:
        digest = event.data.get("key_hash")
        digest = digest if isinstance(digest, str) and digest else None
        if event.type == "identity.client.revoked":
            client_keys.forget(digest=digest, client_id=_uuid(event.data.get("client_id")))
        elif event.type == "identity.client.created" and digest:
            client_keys.admit(digest)

    return on_client_event


class RevocationFeed:
    """Both consumers. Ephemeral, so every replica sees every event; after a broker outage
    the shared consumer loop remakes them from the last event seen."""

    def __init__(
        self,
        js: JetStreamContext,
        *,
        sessions: RevokedSessions,
        client_keys: ClientKeyResolver,
        client_replay_seconds: float,
    ) -> None:
        self._js = js
        self._sessions = sessions
        self._client_keys = client_keys
        self._client_replay = timedelta(seconds=client_replay_seconds)
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        stream = stream_name("identity")  # declared by identity, never by its consumers
        now = datetime.now(UTC)
        # One at a time, so ``stop`` also ends the first if the second cannot start.
        self._tasks.append(
            await subscribe(
                self._js,
                stream=stream,
                subject=SESSION_REVOKED,
                handler=session_handler(self._sessions),
                since=now - timedelta(seconds=self._sessions.window),
            )
        )
        self._tasks.append(
            await subscribe(
                self._js,
                stream=stream,
                subject=CLIENT_EVENTS,
                handler=client_handler(self._client_keys),
                since=now - self._client_replay,
            )
        )

    async def stop(self) -> None:
        tasks, self._tasks = self._tasks, []
        await stop_all(tasks)
