"""Fixtures of the libs integration tests: a fresh database with the outbox and inbox tables,
a NATS connection, and a JetStream stream of its own for each test."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
import uvicorn
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.types import ASGIApp

from proximity.db.engine import build_engine, build_sessionmaker
from proximity.events.connection import connect
from proximity.events.streams import declare_stream
from proximity.events.tables import event_tables


@pytest.fixture
async def engine(database_factory: Callable[[str], str]) -> AsyncIterator[AsyncEngine]:
    """An engine on a database of this test's own, holding the outbox and inbox tables."""
    engine = build_engine(database_factory("libs"), pool_size=5)
    async with engine.begin() as connection:
        for table in event_tables():
            await connection.run_sync(table.create)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return build_sessionmaker(engine)


@pytest.fixture
async def nc(nats_url: str) -> AsyncIterator[NATS]:
    client = await connect(nats_url, name="libs-tests")
    yield client
    await client.drain()


@pytest.fixture
def js(nc: NATS) -> JetStreamContext:
    return nc.jetstream()


@pytest.fixture
async def context(js: JetStreamContext) -> AsyncIterator[str]:
    """A context name (subject prefix) of this test's own, with its stream created."""
    name = f"libt{uuid.uuid4().hex[:12]}"
    stream = await declare_stream(js, name)
    yield name
    await js.delete_stream(stream)


ServeApp = Callable[[ASGIApp], Awaitable[str]]


@pytest.fixture
async def serve_app() -> AsyncIterator[ServeApp]:
    """``await serve_app(app)`` runs ``app`` on a real uvicorn server on a free port and returns
    its base URL; every server is stopped after the test."""
    running: list[tuple[uvicorn.Server, asyncio.Task[None]]] = []

    async def serve(app: ASGIApp) -> str:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False))
        task = asyncio.create_task(server.serve(sockets=[sock]))
        running.append((server, task))
        async with asyncio.timeout(10):
            while not server.started:
                if task.done():
                    task.result()
                await asyncio.sleep(0.01)
        return f"http://127.0.0.1:{port}"

    yield serve
    for server, _ in running:
        server.should_exit = True
    await asyncio.gather(*(task for _, task in running), return_exceptions=True)
