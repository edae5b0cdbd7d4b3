"""ASGI middleware: request id, access log line and Prometheus metrics for every request."""

from __future__ import annotations

import re
import time
import uuid

import structlog
from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = b"x-request-id"
# A client's own id is kept if it is a sane token; anything else is replaced.
_VALID_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:\-]{8,128}")

REQUESTS = Counter("http_requests_total", "HTTP requests", ["service", "method", "route", "status"])
LATENCY = Histogram(
    "http_request_duration_seconds",
    "HTTP request latency",
    ["service", "method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

log = structlog.get_logger("access")


def request_id_of(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == REQUEST_ID_HEADER and _VALID_REQUEST_ID.fullmatch(value):
            return str(value.decode("ascii"))
    return str(uuid.uuid4())


def _route_label(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"


class RequestContext:
    def __init__(self, app: ASGIApp, *, service: str, quiet_paths: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.service = service
        self.quiet_paths = quiet_paths or frozenset({"/health", "/ready", "/metrics"})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        # Downstream code (and the gateway's forwarding) reads the id from the headers.
        scope["headers"] = [(k, v) for k, v in scope["headers"] if k != REQUEST_ID_HEADER]
        scope["headers"].append((REQUEST_ID_HEADER, request_id.encode()))
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        logged = False
        started = time.perf_counter()
        quiet = scope["path"] in self.quiet_paths

        def access_log() -> None:
            nonlocal logged
            logged = True
            if not quiet:
                log.info(
                    "request",
                    method=scope["method"],
                    path=scope["path"],
                    status=status,
                    duration_ms=round((time.perf_counter() - started) * 1000, 2),
                )

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != REQUEST_ID_HEADER]
                headers.append((REQUEST_ID_HEADER, request_id.encode()))
                message["headers"] = headers
                # Logged as the answer starts (time to first byte), so the line is written
                # before the caller can see the response: logs and responses never race.
                access_log()
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                elapsed = time.perf_counter() - started
                route = _route_label(scope)
                method = scope["method"]
                REQUESTS.labels(self.service, method, route, str(status)).inc()
                LATENCY.labels(self.service, method, route).observe(elapsed)
                if not logged:  # no answer started: the app crashed
                    access_log()
