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
from proximity.observability.health import ReadinessCheck, health_routes
from proximity.observability.request_context import RequestContext


def build_app(
    *,
    service: str,
    routes: Sequence[BaseRoute],
    lifespan: Callable[[Starlette], AbstractAsyncContextManager[Any]],
    readiness: Callable[[], Mapping[str, ReadinessCheck]],
    metrics_networks: Sequence[IPv4Network | IPv6Network] | None = None,
) -> Starlette:
    return Starlette(
        routes=[*health_routes(readiness, metrics_networks=metrics_networks), *routes],
        middleware=[Middleware(RequestContext, service=service)],
        exception_handlers=exception_handlers(),
        lifespan=lifespan,
    )
