"""A service whose database cannot answer in time says so: the request that finds the pool
exhausted, or whose statement PostgreSQL cancels at ``statement_timeout``, gets 503
``eServiceUnavailable`` with ``Retry-After`` in the envelope, over real HTTP, while the
request holding the connection is still running (not after SQLAlchemy's 30 s default wait,
and never a 500)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from proximity.http.app import build_app
from proximity.runtime import Runtime, open_runtime
from proximity.settings import ServiceSettings

ServeApp = Callable[[ASGIApp], Awaitable[str]]  # the ``serve_app`` fixture


def service(runtime: Runtime, released: asyncio.Event, holding: asyncio.Event) -> list[Route]:
    async def hold(request: Request) -> Response:
        async with runtime.unit_of_work() as uow:
            await uow.session.execute(sa.text("SELECT 1"))
            holding.set()
            await released.wait()
        return JSONResponse({"data": "held"})

    async def read(request: Request) -> Response:
        async with runtime.reading() as session:
            value = (await session.execute(sa.text("SELECT 1"))).scalar_one()
        return JSONResponse({"data": value})

    async def slow(request: Request) -> Response:
        async with runtime.reading() as session:
            await session.execute(sa.text("SELECT pg_sleep(60)"))
        return JSONResponse({"data": "slept"})

    return [Route("/hold", hold), Route("/read", read), Route("/slow", slow)]


@contextlib.asynccontextmanager
async def served(
    settings: ServiceSettings, serve_app: ServeApp
) -> AsyncIterator[tuple[httpx.AsyncClient, asyncio.Event, asyncio.Event]]:
    released, holding = asyncio.Event(), asyncio.Event()
    context = f"libtmo{uuid.uuid4().hex[:10]}"
    async with open_runtime(settings, context=context, callers=None) as runtime:
        try:

            @contextlib.asynccontextmanager
            async def lifespan(_: object) -> AsyncIterator[None]:
                yield

            app = build_app(
                service="libs-timeouts",
                routes=service(runtime, released, holding),
                lifespan=lifespan,
                readiness=runtime.readiness,
            )
            base = await serve_app(app)
            async with httpx.AsyncClient(base_url=base, timeout=60) as http:
                yield http, released, holding
        finally:
            released.set()
            await runtime.js.delete_stream(runtime.stream)


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "1"
    assert response.json() == {
        "errors": [
            {
                "code": "eServiceUnavailable",
                "message": "The service is temporarily unavailable; try again later.",
            }
        ]
    }


async def test_a_request_that_finds_the_pool_exhausted_gets_503_while_the_holder_still_runs(
    database_factory: Callable[[str], str], nats_url: str, serve_app: ServeApp
) -> None:
    settings = ServiceSettings(
        service_name="libs-timeouts",
        database_url=database_factory("pool"),
        nats_url=nats_url,
        events_enabled=False,
        database_pool_size=1,
        database_max_overflow=0,
        database_pool_timeout_seconds=0.2,
    )
    async with served(settings, serve_app) as (http, released, holding):
        holder = asyncio.create_task(http.get("/hold"))
        await asyncio.wait_for(holding.wait(), 10)

        refused = await http.get("/read")
        still_holding = not holder.done()

        released.set()
        held = await holder
        after = await http.get("/read")

    assert_unavailable(refused)
    assert still_holding  # answered from the pool timeout, not by waiting for the connection
    assert held.status_code == 200
    assert after.status_code == 200
    assert after.json() == {"data": 1}


async def test_a_statement_cancelled_at_the_statement_timeout_gets_503(
    database_factory: Callable[[str], str], nats_url: str, serve_app: ServeApp
) -> None:
    settings = ServiceSettings(
        service_name="libs-timeouts",
        database_url=database_factory("statement"),
        nats_url=nats_url,
        events_enabled=False,
        database_pool_size=1,
        database_max_overflow=0,
        database_statement_timeout_ms=200,
    )
    async with served(settings, serve_app) as (http, _, _):
        slow = await http.get("/slow")
        # The cancelled statement's connection went back to the pool usable.
        after = await http.get("/read")

    assert_unavailable(slow)
    assert after.status_code == 200
    assert after.json() == {"data": 1}


async def test_an_unreachable_database_gets_503(
    nats_url: str, postgres_url: str, serve_app: ServeApp
) -> None:
    closed = sa.make_url(postgres_url).set(port=1, database="nowhere")
    settings = ServiceSettings(
        service_name="libs-timeouts",
        database_url=closed.render_as_string(hide_password=False),
        nats_url=nats_url,
        events_enabled=False,
    )
    async with served(settings, serve_app) as (http, _, _):
        response = await http.get("/read")

    assert_unavailable(response)
