"""Assembling a service's Starlette app the same way everywhere."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from ipaddress import IPv4Network, IPv6Network
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from proximity.http.errors import exception_handlers
from proximity.http.forwarded import LOOPBACK, ForwardedByTrustedProxies
from proximity.http.request_target import StorableTarget
from proximity.observability.health import Readiness, ReadinessCheck, health_routes
from proximity.observability.request_context import RequestContext
from proximity.openapi.served import ApiInfo, attach_document, document_route


def build_app(
    *,
    service: str,
    routes: Sequence[BaseRoute],
    lifespan: Callable[[Starlette], AbstractAsyncContextManager[Any]],
    readiness: Callable[[], Mapping[str, ReadinessCheck]],
    metrics_networks: Sequence[IPv4Network | IPv6Network] | None = None,
    document: ApiInfo | None = None,
    middleware: Sequence[Middleware] = (),
    trusted_proxies: Sequence[IPv4Network | IPv6Network] = LOOPBACK,
) -> Starlette:
    """With ``document``, the app serves its OpenAPI document at ``/openapi.json``, and building
    the app fails while any of its routes is undeclared (``UndocumentedRoutes``).

    ``middleware`` wraps the app just inside the request context: what it answers itself (a
    CORS preflight, say) still carries a request id and is logged.

    ``trusted_proxies``: the peers whose ``X-Forwarded-*`` say what the client called
    (``settings.trusted_proxies``); the scope is rewritten before anything else sees it."""
    # /ready follows the lifespan; ``readiness`` names the dependencies it watches and reports.
    watched = Readiness(service, readiness)
    all_routes = [*health_routes(watched, metrics_networks=metrics_networks), *routes]
    if document is not None:
        all_routes.append(document_route())
    app = Starlette(
        routes=all_routes,
        middleware=[
            Middleware(ForwardedByTrustedProxies, proxies=trusted_proxies),
            Middleware(RequestContext, service=service),
            *middleware,
            Middleware(StorableTarget),
        ],
        exception_handlers=exception_handlers(),
        lifespan=watched.around(lifespan),
    )
    if document is not None:
        attach_document(app, all_routes, document)
    app.state.readiness = watched
    return app
