"""The identity service: ``uvicorn identity.app:create_app --factory``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from starlette.applications import Starlette

from identity.bootstrap import wire
from identity.config import IdentitySettings
from identity.routes import auth, internal, keys, users
from proximity.http.app import build_app
from proximity.observability.health import ReadinessCheck
from proximity.observability.logging import configure_logging
from proximity.runtime import open_runtime


async def _starting() -> None:
    raise RuntimeError("still starting")


def create_app(settings: IdentitySettings | None = None) -> Starlette:
    settings = settings or IdentitySettings()
    configure_logging("identity", settings.log_level)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with open_runtime(settings, context="identity") as runtime:
            app.state.identity = await wire(settings, runtime)
            yield

    def readiness() -> Mapping[str, ReadinessCheck]:
        wired = getattr(app.state, "identity", None)
        return wired.runtime.readiness() if wired else {"startup": _starting}

    app = build_app(
        service="identity",
        routes=[*auth.routes, *users.routes, *keys.routes, *internal.routes],
        lifespan=lifespan,
        readiness=readiness,
    )
    return app
