"""A service's whole app from its parts: ``uvicorn <context>.app:create_app --factory``.

Every service but the gateway has the same lifespan: open the runtime (database, NATS, outbox
relay, consumers, the caller guard), wire the service's collaborators from it, start its own
background tasks, serve; and /ready reports the runtime's dependencies once it is open. So a
service's ``app.py`` names its settings, routes, wiring and consumers, and nothing else.

Routes find what the lifespan built through ``wired(request, Collaborators)`` and check the
caller with ``proximity.auth.caller.authenticated_user`` / ``authenticated_caller``.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import HTTPConnection
from starlette.routing import BaseRoute

from proximity.auth.caller import CallerGuard, install_guard
from proximity.http.app import build_app
from proximity.observability.health import ReadinessCheck
from proximity.observability.logging import configure_logging
from proximity.openapi.served import ApiInfo
from proximity.runtime import CallerSetup, Runtime, StartConsumers, open_runtime, remote_callers
from proximity.settings import ServiceSettings

C = TypeVar("C")

Wire = Callable[[Runtime], Awaitable[C]]
# Started once the collaborators are wired; what it returns is kept at ``app.state.<name>``.
# It puts its task on ``runtime.tasks``, so the runtime stops it with the relay and consumers.
StartBackground = Callable[[Runtime], object]


async def _starting() -> None:
    raise RuntimeError("still starting")


def service_app(
    settings: ServiceSettings,
    *,
    context: str,
    routes: Sequence[BaseRoute],
    wire: Wire[C],
    document: ApiInfo,
    start_consumers: StartConsumers | None = None,
    callers: CallerSetup | None = remote_callers,
    own_callers: Callable[[C], CallerGuard] | None = None,
    background: Mapping[str, StartBackground] | None = None,
    middleware: Sequence[Middleware] = (),
) -> Starlette:
    """``callers``: how the runtime builds the guard (identity's JWKS, keys and events by
    default). A service that owns keys and sessions (identity) passes ``callers=None`` and
    ``own_callers``, the guard its collaborators built."""
    configure_logging(context, settings.log_level)
    opened: list[Runtime] = []

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with open_runtime(
            settings, context=context, start_consumers=start_consumers, callers=callers
        ) as runtime:
            collaborators = await wire(runtime)
            install_guard(app, own_callers(collaborators) if own_callers else runtime.callers)
            app.state.collaborators = collaborators
            # Also under the context's name: tests and tools read ``app.state.identity``.
            setattr(app.state, context, collaborators)
            for name, start in (background or {}).items():
                setattr(app.state, name, start(runtime))
            opened.append(runtime)
            try:
                yield
            finally:
                opened.remove(runtime)

    def readiness() -> Mapping[str, ReadinessCheck]:
        return opened[0].readiness() if opened else {"startup": _starting}

    return build_app(
        service=context,
        routes=routes,
        lifespan=lifespan,
        readiness=readiness,
        document=document,
        middleware=middleware,
        trusted_proxies=settings.trusted_proxies,
    )


def wired(request: HTTPConnection, kind: type[C]) -> C:
    """What the lifespan wired, as the service's own collaborators type."""
    found: Any = getattr(request.app.state, "collaborators", None)
    if not isinstance(found, kind):
        raise RuntimeError(f"the app has no {kind.__name__} (is its lifespan running?)")
    return found
