"""A service's runtime (engine, NATS, stream, relay, consumers) against the real servers:
readiness reports them without depending on them, and an event goes from a unit of work to a
consumer's effect."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.applications import Starlette

from proximity.db.engine import build_engine, with_database
from proximity.devstack.embedded import embedded_nats
from proximity.events.consumer import InboxHandler, subscribe
from proximity.events.envelope import Event
from proximity.events.tables import event_tables
from proximity.http.app import build_app
from proximity.runtime import Runtime, open_runtime
from proximity.settings import ServiceSettings
from proximity.testing.metrics import sample_value

effects = sa.Table(
    "effects",
    sa.MetaData(),
    sa.Column("event_id", sa.Uuid, primary_key=True),
    sa.Column("aggregate_id", sa.Text, nullable=False),
)


async def prepared_database(database_factory: Callable[[str], str]) -> str:
    url = database_factory("runtime")
    engine = build_engine(url, pool_size=1)
    async with engine.begin() as connection:
        for table in [*event_tables(), effects]:
            await connection.run_sync(table.create)
    await engine.dispose()
    return url


async def ready(runtime: Runtime) -> httpx.Response:
    @contextlib.asynccontextmanager
    async def lifespan(_: object) -> AsyncIterator[None]:
        yield

    app = build_app(service="libs-runtime", routes=[], lifespan=lifespan, readiness=runtime.readiness)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc") as http,
    ):
        return await http.get("/ready")


def dependency_up(metrics: str, service: str, dependency: str) -> float | None:
    return sample_value(metrics, "dependency_up", service=service, dependency=dependency)


async def test_an_event_travels_from_a_unit_of_work_to_a_consumer(
    database_factory: Callable[[str], str], nats_url: str
) -> None:
    url = await prepared_database(database_factory)
    context = f"librt{uuid.uuid4().hex[:10]}"
    settings = ServiceSettings(service_name="libs-runtime", database_url=url, nats_url=nats_url)

    async def apply(session: AsyncSession, event: Event) -> None:
        await session.execute(sa.insert(effects).values(event_id=event.id, aggregate_id=event.aggregate_id))

    async def start_consumers(runtime: Runtime) -> list[asyncio.Task[None]]:
        handler = InboxHandler("libs-runtime-test", runtime.sessionmaker, apply)
        task = await subscribe(
            runtime.js, stream=runtime.stream, subject=f"{context}.>", handler=handler, durable="rt"
        )
        return [task]

    event = Event(type=f"{context}.thing.created", aggregate_id="thing-1", data={"name": "one"})
    async with open_runtime(settings, context=context, start_consumers=start_consumers) as runtime:
        response = await ready(runtime)
        assert response.status_code == 200
        assert response.json()["data"]["checks"] == {"database": "ok", "nats": "ok"}

        async with runtime.unit_of_work() as uow:
            uow.publish(event)
            await uow.commit()

        async with asyncio.timeout(10):
            while True:
                async with runtime.sessionmaker() as session:
                    applied = (await session.execute(sa.select(effects.c.aggregate_id))).scalars().all()
                if applied:
                    break
                await asyncio.sleep(0.05)
        assert applied == ["thing-1"]
        await runtime.js.delete_stream(runtime.stream)

    # Closing drained the connection (a consumer left waiting would have made it time out).
    assert runtime.nats.is_closed
    assert all(task.done() for task in runtime.tasks)


async def test_ready_while_the_database_is_unreachable(nats_url: str, postgres_url: str) -> None:
    """The database is reported, not required: a blip of it must not empty every replica's
    endpoints (each request answers its own 503 meanwhile)."""
    missing = with_database(postgres_url, f"missing_{uuid.uuid4().hex[:8]}")
    settings = ServiceSettings(
        service_name="libs-runtime",
        database_url=missing.render_as_string(hide_password=False),
        nats_url=nats_url,
        events_enabled=False,
    )
    context = f"librt{uuid.uuid4().hex[:10]}"

    async with open_runtime(settings, context=context) as runtime:
        response = await ready(runtime)
        await runtime.js.delete_stream(runtime.stream)

    assert response.status_code == 200
    assert response.json()["data"]["checks"] == {"database": "unavailable", "nats": "ok"}
    assert response.json()["warnings"] == ["database is unavailable."]


async def test_ready_while_its_nats_is_down(database_factory: Callable[[str], str], tmp_path: Path) -> None:
    """A service's own broker stops: /ready stays 200 (the outbox keeps writes working), the
    outage shows in ``dependency_up`` and in /ready's checks, and clears when it is back."""
    url = await prepared_database(database_factory)
    service = f"libs-runtime-{uuid.uuid4().hex[:8]}"
    broker = contextlib.ExitStack()
    nats_url = broker.enter_context(embedded_nats(tmp_path / "nats"))
    settings = ServiceSettings(service_name=service, database_url=url, nats_url=nats_url)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with open_runtime(settings, context="librtnats") as runtime:
            app.state.runtime = runtime
            yield

    app = build_app(
        service=service, routes=[], lifespan=lifespan, readiness=lambda: app.state.runtime.readiness()
    )
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc") as http,
        ):
            up = await http.get("/ready")
            assert up.status_code == 200
            assert up.json()["data"]["checks"] == {"database": "ok", "nats": "ok"}
            assert dependency_up((await http.get("/metrics")).text, service, "nats") == 1

            broker.close()  # nats-server stopped

            async with asyncio.timeout(30):  # a few rounds of the watch
                while dependency_up((await http.get("/metrics")).text, service, "nats") != 0:  # noqa: ASYNC110
                    await asyncio.sleep(0.1)
            down = await http.get("/ready")
            assert down.status_code == 200
            assert down.json()["data"]["checks"] == {"database": "ok", "nats": "unavailable"}
            assert down.json()["warnings"] == ["nats is unavailable."]
    finally:
        broker.close()
