"""A service built like every other (``build_app``) with one route that crashes, run as a
uvicorn process behind the gateway: ``crashing_service:create_app``.

After a crash uvicorn closes the connection, but only once the exception has reached it,
and a client that read the 500 may have sent its next request on that connection by then.
Whether it has is a race; here the client always wins it, so the outcome does not depend on
timing: the crash is let through only after the next request has come in (on whichever
connection), and that request is held until the crashed connection has been closed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from proximity.http.app import build_app
from proximity.http.responses import one

CRASH_PATH = "/assets/crash"


async def crash(request: Request) -> Response:
    raise RuntimeError("the handler failed")


async def item(request: Request) -> Response:
    return one({"id": request.path_params["id"]})


class LateHangUp:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._next_arrived: asyncio.Event | None = None
        self._hung_up: asyncio.Event | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == "/health":
            await self.app(scope, receive, send)
            return
        if self._next_arrived is not None and self._hung_up is not None:
            self._next_arrived.set()
            await self._hung_up.wait()
        if scope["path"] != CRASH_PATH:
            await self.app(scope, receive, send)
            return
        next_arrived, hung_up = asyncio.Event(), asyncio.Event()
        self._next_arrived, self._hung_up = next_arrived, hung_up
        try:
            await self.app(scope, receive, send)
        except Exception:
            # Bounded only so that a test gone wrong cannot keep this process from stopping.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(30):
                    await next_arrived.wait()
            self._next_arrived = self._hung_up = None
            # Nothing awaits between here and uvicorn closing the connection, so the held
            # requests go on only after it is closed.
            hung_up.set()
            raise


def create_app() -> ASGIApp:
    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield

    app = build_app(
        service="crashing",
        routes=[Route(CRASH_PATH, crash), Route("/assets/{id}", item)],
        lifespan=lifespan,
        readiness=dict,
    )
    return LateHangUp(app)
