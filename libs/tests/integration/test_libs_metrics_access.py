"""/metrics can be limited to the operator's networks (the gateway is reachable from outside)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from ipaddress import ip_network

import httpx
from starlette.applications import Starlette

from proximity.http.app import build_app


@contextlib.asynccontextmanager
async def nothing(_: Starlette) -> AsyncIterator[None]:
    yield


async def metrics_status(networks: list[str] | None) -> tuple[int, dict[str, object] | None]:
    app = build_app(
        service="metrics-test",
        routes=[],
        lifespan=nothing,
        readiness=dict,
        metrics_networks=[ip_network(n) for n in networks] if networks is not None else None,
    )
    # httpx's ASGI transport presents the caller as 127.0.0.1.
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc") as http:
        response = await http.get("/metrics")
    return response.status_code, response.json() if response.status_code != 200 else None


async def test_metrics_open_without_a_limit() -> None:
    assert (await metrics_status(None))[0] == 200


async def test_metrics_answer_a_caller_from_an_allowed_network() -> None:
    assert (await metrics_status(["127.0.0.0/8"]))[0] == 200


async def test_metrics_are_not_found_from_elsewhere() -> None:
    status, body = await metrics_status(["10.0.0.0/8"])
    assert status == 404
    assert body == {
        "errors": [{"code": "eRouteNotFound", "message": "The specified URL could not be found."}]
    }
