"""The gateway's app factory: ``uvicorn gateway.app:create_app --factory``."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway import docs_routes
from gateway.api_document import ApiDocuments
from gateway.config import GatewaySettings
from gateway.cors import cors_middleware
from gateway.error_shapes import exception_handlers
from gateway.routing import CONTEXTS
from gateway.runtime import GatewayRuntime, open_runtime
from proximity.errors import ServiceUnavailable
from proximity.http.app import build_app
from proximity.observability.health import ReadinessCheck
from proximity.observability.logging import configure_logging
from proximity.openapi.document import openapi_document
from proximity.openapi.operation import bare, documented

API_VERSION = "0.1.0"
FORWARDED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


async def _not_started() -> None:
    raise ConnectionError("the gateway has not started")


def create_app(settings: GatewaySettings | None = None) -> Starlette:
    settings = settings or GatewaySettings()
    configure_logging("gateway", settings.log_level)
    started: list[GatewayRuntime] = []

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with open_runtime(settings) as runtime:
            upstreams = {c: url for c in CONTEXTS if (url := settings.upstream_url(c)) is not None}
            app.state.api_documents = ApiDocuments(runtime.clients.documents, upstreams, own_document)
            started.append(runtime)
            try:
                yield
            finally:
                started.remove(runtime)
                await runtime.pipeline.proxy.aclose()

    @documented(
        "Forward to the service that owns the path",
        answers=bare({}, description="The owning service's answer."),
        internal=True,
    )
    async def forward(request: Request) -> Response:
        if not started:
            raise ServiceUnavailable("The gateway is starting; try again later.")
        return await started[0].pipeline.handle(request)

    def readiness() -> Mapping[str, ReadinessCheck]:
        return started[0].readiness() if started else {"gateway": _not_started}

    # Every other path goes through the pipeline; TRACE, CONNECT and the like get a 405 here.
    routes = [*docs_routes.routes, Route("/{path:path}", forward, methods=FORWARDED_METHODS)]
    own_document = openapi_document(routes, title="Proximity gateway", version=API_VERSION)
    app = build_app(
        service="gateway",
        routes=routes,
        lifespan=lifespan,
        readiness=readiness,
        metrics_networks=settings.metrics_networks,
        middleware=cors_middleware(settings, FORWARDED_METHODS),
        # The TLS ingress in front: its X-Forwarded-Proto/-Host/-For are what the gateway
        # forwards on, so services' links keep https.
        trusted_proxies=settings.trusted_proxies,
    )
    # The gateway's own errors in the shape of the API asked for (seed 001's under /consents).
    app.exception_handlers.update(exception_handlers())
    app.state.gateway_document = own_document
    return app
