"""The gateway's app factory: ``uvicorn gateway.app:create_app --factory``."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway.config import GatewaySettings
from gateway.runtime import GatewayRuntime, open_runtime
from proximity.errors import ServiceUnavailable
from proximity.http.app import build_app
from proximity.observability.health import ReadinessCheck
from proximity.observability.logging import configure_logging

FORWARDED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


async def _not_started() -> None:
    raise ConnectionError("the gateway has not started")


def create_app(settings: GatewaySettings | None = None) -> Starlette:
    settings = settings or GatewaySettings()
    configure_logging("gateway", settings.log_level)
    started: list[GatewayRuntime] = []

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with open_runtime(settings) as runtime:
            started.append(runtime)
            try:
                yield
            finally:
                started.remove(runtime)

    async def forward(request: Request) -> Response:
        if not started:
            raise ServiceUnavailable("The gateway is starting; try again later.")
        return await started[0].pipeline.handle(request)

    def readiness() -> Mapping[str, ReadinessCheck]:
        return started[0].readiness() if started else {"gateway": _not_started}

    # Every other path goes through the pipeline; TRACE, CONNECT and the like get a 405 here.
    return build_app(
        service="gateway",
        routes=[Route("/{path:path}", forward, methods=FORWARDED_METHODS)],
        lifespan=lifespan,
        readiness=readiness,
        metrics_networks=settings.metrics_networks,
    )
