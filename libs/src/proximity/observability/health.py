"""``/health`` (the process answers), ``/ready`` (its dependencies answer), ``/metrics``."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from ipaddress import IPv4Network, IPv6Network, ip_address

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from proximity.errors import RouteNotFound, ServiceUnavailable
from proximity.http.responses import JSON
from proximity.openapi.operation import bare, documented

ReadinessCheck = Callable[[], Awaitable[None]]
_STATUS = {
    "type": "object",
    "required": ["data", "warnings"],
    "properties": {"data": {"type": "object"}, "warnings": {"type": "array", "items": {"type": "string"}}},
}


def _from(request: Request, networks: Sequence[IPv4Network | IPv6Network]) -> bool:
    try:
        address = ip_address(request.client.host) if request.client else None
    except ValueError:
        return False
    return address is not None and any(address in network for network in networks)


def health_routes(
    checks: Callable[[], Mapping[str, ReadinessCheck]],
    *,
    metrics_networks: Sequence[IPv4Network | IPv6Network] | None = None,
) -> list[Route]:
    """``checks`` is called per request, so checks can use what the lifespan built.

    With ``metrics_networks`` (the gateway: the only process reachable from outside),
    ``/metrics`` answers only callers from those networks; everyone else gets a 404.
    """

    @documented("The process answers", answers=bare(_STATUS), public=True, internal=True)
    async def health(_: Request) -> Response:
        return JSON({"data": {"status": "ok"}, "warnings": []})

    @documented(
        "Its database and broker answer",
        answers=bare(_STATUS),
        errors=[ServiceUnavailable],
        public=True,
        internal=True,
    )
    async def ready(_: Request) -> Response:
        named = dict(checks())
        results = await asyncio.gather(
            *(asyncio.wait_for(check(), timeout=2) for check in named.values()), return_exceptions=True
        )
        status = {
            name: ("ok" if not isinstance(r, BaseException) else "unavailable")
            for name, r in zip(named, results, strict=True)
        }
        ok = all(v == "ok" for v in status.values())
        if ok:
            return JSON({"data": {"status": "ok", "checks": status}, "warnings": []})
        return JSON(
            {"errors": [{"code": "eServiceUnavailable", "message": "Not ready.", "checks": status}]},
            status_code=503,
        )

    @documented(
        "Prometheus metrics",
        answers=bare({"type": "string"}, media_type=CONTENT_TYPE_LATEST.split(";")[0]),
        errors=[RouteNotFound],
        public=True,
        internal=True,
    )
    async def metrics(request: Request) -> Response:
        if metrics_networks is not None and not _from(request, metrics_networks):
            raise RouteNotFound()
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return [
        Route("/health", health, methods=["GET"]),
        Route("/ready", ready, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]
