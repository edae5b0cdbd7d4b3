"""``Link`` headers behind proxies: they keep the scheme and host the client called when a
trusted proxy (the gateway, behind a TLS ingress) says so, and nobody else can change them."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from ipaddress import ip_network

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from proximity.http.app import build_app
from proximity.http.list_query import parse_list_query
from proximity.http.responses import many, public_url

GATEWAY = "10.0.0.7"
STRANGER = "198.51.100.4"


async def list_rows(request: Request) -> Response:
    query = parse_list_query(request.query_params, sortable=("name",))
    return many([], query=query, total=100, url=public_url(request))


async def seen(request: Request) -> Response:
    return Response(f"{request.url.scheme} {request.client.host if request.client else ''}")


@pytest.fixture
def app() -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield

    return build_app(
        service="links-test",
        routes=[Route("/rows", list_rows, methods=["GET"]), Route("/seen", seen, methods=["GET"])],
        lifespan=lifespan,
        readiness=dict,
        trusted_proxies=[ip_network("10.0.0.0/8")],
    )


@contextlib.asynccontextmanager
async def calling_from(app: Starlette, peer: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=(peer, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://identity:8001") as http:
        yield http


def links(response: httpx.Response) -> list[str]:
    return re.findall(r"<([^>]+)>", response.headers["link"])


FORWARDED = {
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "api.example.com",
    "X-Forwarded-For": "203.0.113.9",
}


async def test_links_keep_https_and_the_public_host_behind_the_trusted_gateway(app: Starlette) -> None:
    async with calling_from(app, GATEWAY) as http:
        response = await http.get("/rows?page=1&per_page=10", headers=FORWARDED)
        who = await http.get("/seen", headers=FORWARDED)

    assert response.status_code == 200
    assert all(link.startswith("https://api.example.com/rows?") for link in links(response))
    assert who.text == "https 203.0.113.9"


async def test_a_stranger_cannot_change_the_links(app: Starlette) -> None:
    async with calling_from(app, STRANGER) as http:
        response = await http.get(
            "/rows?page=1&per_page=10", headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil"}
        )
        who = await http.get("/seen", headers=FORWARDED)

    assert all(link.startswith("http://identity:8001/rows?") for link in links(response))
    assert who.text == f"http {STRANGER}"
