"""Forwarding a request to the service that owns it, streaming both bodies.

Each context has a pool of keep-alive connections of its own (``gateway.clients``), so one
slow service cannot take the connections the others need, and its own timeout. An upstream
that is not configured, refuses the connection or does not answer in time becomes a 503
envelope, never a hang.

A pooled connection can die unnoticed: the upstream closes it just as it is taken from the
pool (after a crash, or at its keep-alive timeout), and the request sent on it gets no
answer. Such a request is sent once more, on a new connection, when that cannot do anything
twice: its method is idempotent and none of its body has been read yet. A failure on a new
connection is the upstream's own and is not retried.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

import httpx
from prometheus_client import Counter, Histogram
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from gateway.body_limit import declared_length, limited
from gateway.error_shapes import render_error
from gateway.forwarded_body import ForwardedBody
from gateway.headers import client_response_headers, upstream_request_headers
from gateway.routing import Match
from proximity.errors import ProximityError, RequestTimeout, ServiceUnavailable

log = logging.getLogger(__name__)

UPSTREAM_LATENCY = Histogram(
    "gateway_upstream_seconds",
    "Time until the upstream's response headers arrived",
    ["context", "outcome"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)

UPSTREAM_RETRIES = Counter(
    "gateway_upstream_retries_total",
    "Requests sent again on a new connection after a pooled one turned out closed",
    ["context"],
)

# Methods whose repetition has the effect of one request (RFC 9110 §9.2.2); POST and PATCH
# are never sent twice.
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# How a pooled connection the upstream has closed fails when it is used, before any answer.
# (A ConnectError comes only from opening a new connection: the upstream is down, and
# trying again at once would not change that.)
BROKEN_CONNECTION = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)


class ConnectionUse:
    """httpcore's trace of one attempt: whether it opened a new connection or took a pooled one."""

    def __init__(self) -> None:
        self.opened = False

    async def trace(self, event: str, info: dict[str, Any]) -> None:
        if event.startswith("connection.connect_"):
            self.opened = True


def may_resend(method: str, body: ForwardedBody | None, use: ConnectionUse) -> bool:
    """After a broken connection: whether sending again can neither do anything twice nor
    hide a failure of the upstream's own (one on a connection it had just accepted)."""
    return method in IDEMPOTENT and (body is None or not body.started) and not use.opened


def upstream_timeout(seconds: float) -> httpx.Timeout:
    # Waiting long for a connection, from the pool or the network, helps nobody.
    quick = min(seconds, 5.0)
    return httpx.Timeout(seconds, connect=quick, pool=quick)


class Proxy:
    def __init__(
        self,
        pools: Mapping[str, httpx.AsyncClient],
        *,
        upstreams: dict[str, str],
        timeouts: dict[str, float],
        default_timeout: float,
        max_body_bytes: int,
        body_idle_seconds: float = 10.0,
        body_seconds: float = 120.0,
    ) -> None:
        self._pools = dict(pools)
        # Keep no connection, so a retry always gets a new one rather than another pooled
        # connection that may be as dead as the first. One per context, as the pools.
        self._fresh = {
            context: httpx.AsyncHTTPTransport(
                limits=httpx.Limits(max_keepalive_connections=0), trust_env=False
            )
            for context in upstreams
        }
        self._upstreams = {context: httpx.URL(url) for context, url in upstreams.items()}
        self._timeouts = {context: upstream_timeout(t) for context, t in timeouts.items()}
        self._default_timeout = upstream_timeout(default_timeout)
        self._max_body_bytes = max_body_bytes
        self._body_idle_seconds = body_idle_seconds
        self._body_seconds = body_seconds

    async def aclose(self) -> None:
        for transport in self._fresh.values():
            await transport.aclose()

    async def forward(self, request: Request, match: Match) -> Response:
        base = self._upstreams.get(match.context)
        pool = self._pools.get(match.context)
        if base is None or pool is None:
            raise ServiceUnavailable(f"The {match.context} service is not available.")
        limit = match.max_body_bytes if match.max_body_bytes is not None else self._max_body_bytes
        length = declared_length(request.headers.get("content-length"), limit)
        has_body = bool(length) or "transfer-encoding" in request.headers
        body = (
            ForwardedBody(
                limited(request.stream(), limit),
                idle_seconds=self._body_idle_seconds,
                total_seconds=self._body_seconds,
            )
            if has_body
            else None
        )
        timeout = self._timeouts.get(match.context, self._default_timeout)
        use = ConnectionUse()
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
            content=body,
            extensions={"timeout": timeout.as_dict(), "trace": use.trace},
        )
        started = time.perf_counter()
        outcome = "error"
        try:
            try:
                upstream = await pool.send(upstream_request, stream=True)
            except BROKEN_CONNECTION:
                if not may_resend(request.method, body, use):
                    raise
                log.info("pooled upstream connection was closed; retrying", extra={"context": match.context})
                UPSTREAM_RETRIES.labels(match.context).inc()
                upstream = await self._fresh[match.context].handle_async_request(upstream_request)
            outcome = str(upstream.status_code)
        except httpx.TransportError as exc:  # connect errors, timeouts, broken connections
            outcome = type(exc).__name__
            log.warning("upstream unavailable", extra={"context": match.context, "error": outcome})
            raise ServiceUnavailable(f"The {match.context} service is not available.") from exc
        except ClientDisconnect:
            raise ProximityError("The client went away.", code="eClientDisconnected") from None
        except RequestTimeout as exc:
            # httpx has closed the upstream connection (the upstream request is abandoned). The
            # client's stays open for the rest of its body unless it is closed too; closing is
            # safe only here, where the client has stopped sending (while it still sends, a
            # close can reset the connection before the client reads the answer: a 413 keeps it).
            outcome = type(exc).__name__
            return render_error(request, exc, headers={"Connection": "close"})
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
