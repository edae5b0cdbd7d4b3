"""``/health`` (the process answers), ``/ready`` (the process can serve), ``/metrics``.

Ready means the app's lifespan has finished starting (migrations ran, routes are wired) and
has not begun shutting down: nothing else. Dependencies (the database, NATS, identity for
the gateway) are watched in the background instead: ``dependency_up`` per dependency, a
warning logged when one goes down and when it comes back, and their last observed state in
``/ready``'s body for a human. A dependency is not part of readiness because it is shared:
one blip of it would take every replica out of its Service at once, and callers would get
connection errors instead of the 503 envelope each request answers while it lasts (writes
keep working through a NATS outage: the outbox holds their events).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from ipaddress import IPv4Network, IPv6Network, ip_address
from typing import Any, Literal

from prometheus_client import CONTENT_TYPE_LATEST, Gauge, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from proximity.errors import RouteNotFound, ServiceUnavailable
from proximity.http.responses import JSON
from proximity.openapi.operation import bare, documented

log = logging.getLogger(__name__)

ReadinessCheck = Callable[[], Awaitable[None]]
DependencyChecks = Callable[[], Mapping[str, ReadinessCheck]]
State = Literal["ok", "unavailable", "unknown"]

DEPENDENCY_UP = Gauge(
    "dependency_up",
    "1 while the dependency answered its last check, 0 while it did not",
    ["service", "dependency"],
)

CHECK_TIMEOUT_SECONDS = 2.0
CHECK_INTERVAL_SECONDS = 5.0

_STATES = {"type": "string", "enum": ["ok", "unavailable", "unknown"]}
_STATUS = {
    "type": "object",
    "required": ["data", "warnings"],
    "properties": {"data": {"type": "object"}, "warnings": {"type": "array", "items": {"type": "string"}}},
}
_READY = {
    "type": "object",
    "required": ["data", "warnings"],
    "properties": {
        "data": {
            "type": "object",
            "required": ["status", "checks"],
            "properties": {
                "status": {"type": "string", "enum": ["ok"]},
                "checks": {
                    "type": "object",
                    "description": "Each dependency's last observed state; none of them decides readiness.",
                    "additionalProperties": _STATES,
                },
            },
        },
        "warnings": {
            "type": "array",
            "items": {"type": "string"},
            "description": "One line per dependency that did not answer its last check.",
        },
    },
}


class Readiness:
    """Whether the process serves, and what its dependencies answered when last checked.

    ``around`` wraps the app's lifespan: serving from the end of its start-up to the start of
    its shutdown, the dependencies checked every ``interval`` seconds in between. ``checks``
    is called at each round, so the checks can use what the lifespan built.
    """

    def __init__(
        self,
        service: str,
        checks: DependencyChecks,
        *,
        interval: float = CHECK_INTERVAL_SECONDS,
        timeout: float = CHECK_TIMEOUT_SECONDS,
    ) -> None:
        self.service = service
        self.serving = False
        self._checks = checks
        self._interval = interval
        self._timeout = timeout
        self._states: dict[str, State] = {}

    @property
    def states(self) -> dict[str, State]:
        return dict(self._states)

    def around(
        self, lifespan: Callable[[Any], AbstractAsyncContextManager[Any]]
    ) -> Callable[[Any], AbstractAsyncContextManager[Any]]:
        @contextlib.asynccontextmanager
        async def serving(app: Any) -> AsyncIterator[Any]:
            async with lifespan(app) as state:
                # One round first, so the first /ready after start-up already knows.
                await self.observe()
                watch = asyncio.create_task(self._watch(), name=f"{self.service}-dependency-watch")
                self.serving = True
                try:
                    yield state
                finally:
                    self.serving = False
                    watch.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await watch

        return serving

    async def observe(self) -> dict[str, State]:
        """One round of checks: the gauge set, and a line logged for each change of state."""
        named = dict(self._checks())
        results = await asyncio.gather(
            *(asyncio.wait_for(check(), timeout=self._timeout) for check in named.values()),
            return_exceptions=True,
        )
        for name, result in zip(named, results, strict=True):
            failure = result if isinstance(result, BaseException) else None
            self._record(name, "ok" if failure is None else "unavailable", failure)
        return self.states

    def _record(self, name: str, state: State, failure: BaseException | None) -> None:
        before = self._states.get(name, "unknown")
        self._states[name] = state
        DEPENDENCY_UP.labels(self.service, name).set(1 if state == "ok" else 0)
        if state == before:
            return
        if state == "unavailable":
            # The exception's type only: its text can carry a URL with credentials.
            error = type(failure).__name__ if failure is not None else None
            log.warning("dependency unavailable", extra={"dependency": name, "error": error})
        elif before == "unavailable":
            log.warning("dependency available again", extra={"dependency": name})

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.observe()
            except Exception:  # a check list that cannot be built must not end the watch
                log.exception("dependency checks failed to run")


def _from(request: Request, networks: Sequence[IPv4Network | IPv6Network]) -> bool:
    try:
        address = ip_address(request.client.host) if request.client else None
    except ValueError:
        return False
    return address is not None and any(address in network for network in networks)


def health_routes(
    readiness: Readiness,
    *,
    metrics_networks: Sequence[IPv4Network | IPv6Network] | None = None,
) -> list[Route]:
    """With ``metrics_networks`` (the gateway: the only process reachable from outside),
    ``/metrics`` answers only callers from those networks; everyone else gets a 404.
    """

    @documented("The process answers", answers=bare(_STATUS), public=True, internal=True)
    async def health(_: Request) -> Response:
        return JSON({"data": {"status": "ok"}, "warnings": []})

    @documented(
        "The process has started and is not shutting down",
        description=(
            "200 from the end of start-up (migrations ran, routes are wired) until shutdown "
            "begins; 503 before and after. A dependency that does not answer (database, NATS, "
            "identity) does not make it 503: `checks` and `warnings` show what each answered "
            "when last checked, and the `dependency_up` metric follows them."
        ),
        answers=bare(_READY),
        errors=[ServiceUnavailable],
        public=True,
        internal=True,
    )
    async def ready(_: Request) -> Response:
        checks = readiness.states
        if not readiness.serving:
            return JSON(
                {"errors": [{"code": "eServiceUnavailable", "message": "Not ready.", "checks": checks}]},
                status_code=503,
            )
        warnings = [f"{name} is unavailable." for name, state in checks.items() if state == "unavailable"]
        return JSON({"data": {"status": "ok", "checks": checks}, "warnings": warnings})

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
