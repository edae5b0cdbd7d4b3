"""Forwarding a request to the service that owns it, streaming both bodies.

One shared ``httpx.AsyncClient`` keeps a pool of keep-alive connections; each context has
its own timeout. An upstream that is not configured, refuses the connection or does not
answer in time becomes a 503 envelope, never a hang.
"""

from __future__ import annotations

import logging
import time

import httpx
from prometheus_client import Histogram
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from gateway.body_limit import declared_length, limited
from gateway.headers import client_response_headers, upstream_request_headers
from gateway.routing import Match
from proximity.errors import ProximityError, ServiceUnavailable

log = logging.getLogger(__name__)

UPSTREAM_LATENCY = Histogram(
    "gateway_upstream_seconds",
    "Time until the upstream's response headers arrived",
    ["context", "outcome"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


def upstream_timeout(seconds: float) -> httpx.Timeout:
    # Waiting long for a connection, from the pool or the network, helps nobody.
    quick = min(seconds, 5.0)
    return httpx.Timeout(seconds, connect=quick, pool=quick)


class Proxy:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        upstreams: dict[str, str],
        timeouts: dict[str, float],
        default_timeout: float,
        max_body_bytes: int,
    ) -> None:
        self._http = http
        self._upstreams = {context: httpx.URL(url) for context, url in upstreams.items()}
        self._timeouts = {context: upstream_timeout(t) for context, t in timeouts.items()}
        self._default_timeout = upstream_timeout(default_timeout)
        self._max_body_bytes = max_body_bytes

    async def forward(self, request: Request, match: Match) -> Response:
        base = self._upstreams.get(match.context)
        if base is None:
            raise ServiceUnavailable(f"The {match.context} service is not available.")
        limit = match.max_body_bytes if match.max_body_bytes is not None else self._max_body_bytes
        length = declared_length(request.headers.get("content-length"), limit)
        has_body = bool(length) or "transfer-encoding" in request.headers
        timeout = self._timeouts.get(match.context, self._default_timeout)
        # Built directly, not with ``build_request``: the client's default headers (its own
        # Accept-Encoding above all) must not be added to what the caller sent.
        upstream_request = httpx.Request(
            request.method,
            base.copy_with(raw_path=base.raw_path.rstrip(b"/") + _raw_target(request)),
            headers=upstream_request_headers(
                request.scope["headers"],
                client_host=request.client.host if request.client else None,
                scheme=request.url.scheme,
            ),
            content=limited(request.stream(), limit) if has_body else None,
            extensions={"timeout": timeout.as_dict()},
        )
        started = time.perf_counter()
        outcome = "error"
        try:
            upstream = await self._http.send(upstream_request, stream=True)
            outcome = str(upstream.status_code)
        except httpx.TransportError as exc:  # connect errors, timeouts, broken connections
            outcome = type(exc).__name__
            log.warning("upstream unavailable", extra={"context": match.context, "error": outcome})
            raise ServiceUnavailable(f"The {match.context} service is not available.") from exc
        except ClientDisconnect:
            raise ProximityError("The client went away.", code="eClientDisconnected") from None
        finally:
            UPSTREAM_LATENCY.labels(match.context, outcome).observe(time.perf_counter() - started)
        return UpstreamResponse(upstream)


class UpstreamResponse(StreamingResponse):
    """The upstream's status, headers and body, passed on as they arrive (still encoded).

    The upstream response is closed however streaming ends, so a client that goes away
    mid-body does not leave a pooled connection behind.
    """

    def __init__(self, upstream: httpx.Response) -> None:
        super().__init__(upstream.aiter_raw(), status_code=upstream.status_code)
        self.raw_headers = client_response_headers(upstream.headers.raw)
        self._upstream = upstream

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except ClientDisconnect:
            pass  # nobody is left to answer
        finally:
            await self._upstream.aclose()


def _raw_target(request: Request) -> bytes:
    """Path and query exactly as the client sent them (no re-encoding)."""
    raw_path = request.scope.get("raw_path") or request.scope["path"].encode()
    query: bytes = request.scope.get("query_string", b"")
    return bytes(raw_path) + (b"?" + query if query else b"")
