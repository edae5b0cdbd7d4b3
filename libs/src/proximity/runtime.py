"""What a service's lifespan builds and tears down: engine, NATS, outbox relay, consumers, and
the guard that checks its callers.

Nothing here runs at import time; ``open_runtime`` is entered from the app's lifespan, so a
test can build an app against any database and broker.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field

from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from proximity.auth.caller import CallerGuard
from proximity.auth.identity_records import remote_caller_guard
from proximity.background import stop_all, stop_requested
from proximity.db.engine import build_sessionmaker, service_engine
from proximity.db.unit_of_work import UnitOfWork, event_size_limit
from proximity.events.connection import connect_as_service, disconnect
from proximity.events.consumer import InboxHandler, SessionEventHandler, subscribe
from proximity.events.envelope import SCHEMA_VERSION
from proximity.events.redelivery import Redelivery
from proximity.events.relay import OutboxRelay, relay_retry
from proximity.events.streams import StreamLimits, declare_stream, stream_name
from proximity.observability.health import ReadinessCheck
from proximity.settings import ServiceSettings


@dataclass
class Runtime:
    settings: ServiceSettings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    nats: NATS
    js: JetStreamContext
    stream: str
    relay: OutboxRelay
    read_sessionmaker: async_sessionmaker[AsyncSession]
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    guard: CallerGuard | None = field(default=None, repr=False)  # set by ``open_runtime``
    snapshot_sessionmaker: async_sessionmaker[AsyncSession] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # psycopg keeps isolation and read-only on the client and folds both into the BEGIN it
        # sends before the first statement: one round trip opens the snapshot, not three.
        snapshots = self.engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        self.snapshot_sessionmaker = build_sessionmaker(snapshots)

    @property
    def callers(self) -> CallerGuard:
        """Who is calling: ``await runtime.callers.user(request)`` in a route's caller check."""
        if self.guard is None:
            raise RuntimeError("opened with callers=None: this service checks its callers itself")
        return self.guard

    def unit_of_work(self) -> UnitOfWork:
        # publish() refuses, in the use case's transaction, what the relay could never send:
        # another context's subject, or more than the connected broker's max_payload.
        return UnitOfWork(
            self.sessionmaker,
            on_commit=self.relay.wake,
            context=self.relay.context,
            max_payload=event_size_limit(self.nats.max_payload),
        )

    def reading(self) -> AsyncSession:
        """A session for a use case that only reads, one statement at a time: autocommit, so
        no BEGIN/ROLLBACK round trips. Several statements do not share one snapshot."""
        return self.read_sessionmaker()

    def snapshot(self) -> AsyncSession:
        """A session for a use case that reads several statements which must agree (a page and
        its total, a consent and its history): one REPEATABLE READ READ ONLY transaction, so
        every statement sees the same committed state. Closing the session ends it."""
        return self.snapshot_sessionmaker()

    async def consume(
        self,
        context: str,
        subject: str,
        handler: SessionEventHandler,
        *,
        durable: str,
        schemas: Collection[int] = (SCHEMA_VERSION,),
        concurrency: int = 1,
        batch: int = 50,
    ) -> asyncio.Task[None]:
        """A durable consumer of ``subject`` on ``context``'s stream (another context's: it
        waits until its owner declares it), applying ``handler`` at most once per event, with
        redelivery, parking and replays as the settings say (``proximity.events.consumer``)."""
        return await subscribe(
            self.js,
            stream=stream_name(context),
            subject=subject,
            handler=InboxHandler(durable, self.sessionmaker, handler),
            durable=durable,
            park_in=self.sessionmaker,
            schemas=schemas,
            redelivery=Redelivery.from_settings(self.settings),
            replay_every=self.settings.events_replay_poll_seconds,
            concurrency=concurrency,
            batch=batch,
        )

    async def _database_answers(self) -> None:
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def _broker_answers(self) -> None:
        if not self.nats.is_connected:
            raise ConnectionError("NATS is not connected")
        await self.nats.flush(timeout=1)

    def readiness(self) -> Mapping[str, ReadinessCheck]:
        """The dependencies ``/ready`` reports and ``dependency_up`` follows; none of them
        makes the process unready (``proximity.observability.health``)."""
        return {"database": self._database_answers, "nats": self._broker_answers}


StartConsumers = Callable[[Runtime], Awaitable[list[asyncio.Task[None]]]]
CallerSetup = Callable[[Runtime], AbstractAsyncContextManager[CallerGuard]]


def remote_callers(runtime: Runtime) -> AbstractAsyncContextManager[CallerGuard]:
    """Every service but identity: identity's JWKS, its key lookups and its events."""
    return remote_caller_guard(runtime.settings, runtime.js)


@contextlib.asynccontextmanager
async def open_runtime(
    settings: ServiceSettings,
    *,
    context: str,
    start_consumers: StartConsumers | None = None,
    callers: CallerSetup | None = remote_callers,
) -> AsyncIterator[Runtime]:
    """``callers=None``: identity, which owns keys and sessions, builds its guard itself."""
    engine = service_engine(settings)
    nc = await connect_as_service(settings)
    tasks: list[asyncio.Task[None]] = []
    try:
        js = nc.jetstream()
        limits = StreamLimits.from_settings(settings)
        stream = stream_name(context)
        # Its own stream only. Declared now when the broker answers (what is published next
        # lands in it); when it is away, by the relay's task before its first publish.
        declared = nc.is_connected
        if declared:
            await declare_stream(js, context, limits)
        sessionmaker = build_sessionmaker(engine)
        relay = OutboxRelay(engine, js, context=context, retry=relay_retry(settings))
        reader = build_sessionmaker(engine.execution_options(isolation_level="AUTOCOMMIT"))
        runtime = Runtime(settings, engine, sessionmaker, nc, js, stream, relay, reader, tasks)
        if settings.events_enabled:
            tasks.append(
                asyncio.create_task(_relay(relay, js, context, limits, declared), name="outbox-relay")
            )
            if start_consumers is not None:
                tasks.extend(await start_consumers(runtime))
        async with contextlib.AsyncExitStack() as stack:
            if callers is not None:
                runtime.guard = await stack.enter_async_context(callers(runtime))
            yield runtime
    finally:
        await stop_all(tasks)
        await disconnect(nc)
        await engine.dispose()


async def _relay(
    relay: OutboxRelay, js: JetStreamContext, context: str, limits: StreamLimits, declared: bool
) -> None:
    """Relays once the service's stream is declared: a row published before that would be
    refused (no stream for its subject) and charged an attempt for the broker's absence."""
    delay = 0.5
    while not declared:
        try:
            await declare_stream(js, context, limits)
            declared = True
        except Exception:
            if stop_requested():
                raise asyncio.CancelledError() from None
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)
    await relay.run()
