"""``/health`` (the process answers), ``/ready`` (its dependencies answer), ``/metrics``."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from proximity.http.responses import JSON

ReadinessCheck = Callable[[], Awaitable[None]]


def health_routes(checks: Callable[[], Mapping[str, ReadinessCheck]]) -> list[Route]:
    """``checks`` is called per request, so checks can use what the lifespan built."""

    async def health(_: Request) -> Response:
        return JSON({"data": {"status": "ok"}, "warnings": []})

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

    async def metrics(_: Request) -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return [
        Route("/health", health, methods=["GET"]),
        Route("/ready", ready, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]
