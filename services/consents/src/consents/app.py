"""The consents service: ``uvicorn consents.app:create_app --factory``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from starlette.applications import Starlette

from consents.bootstrap import Collaborators
from consents.config import ConsentsSettings
from consents.hal.errors import HAL_ERRORS, exception_handlers
from consents.routes import consents, root, transitions, type_names
from proximity.http.app import build_app
from proximity.observability.health import ReadinessCheck
from proximity.observability.logging import configure_logging
from proximity.openapi.served import ApiInfo
from proximity.runtime import open_runtime


async def _starting() -> None:
    raise RuntimeError("still starting")


def create_app(settings: ConsentsSettings | None = None) -> Starlette:
    settings = settings or ConsentsSettings()
    configure_logging("consents", settings.log_level)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # The runtime's guard checks callers as the gateway does: identity's keys, client keys
        # and revoked sessions (``settings.jwks_url``, ``identity_url``, identity's events).
        async with open_runtime(settings, context="consents") as runtime:
            app.state.consents = Collaborators(settings, runtime)
            yield

    def readiness() -> Mapping[str, ReadinessCheck]:
        wired = getattr(app.state, "consents", None)
        return wired.runtime.readiness() if wired else {"startup": _starting}

    app = build_app(
        service="consents",
        routes=[*root.routes, *type_names.routes, *consents.routes, *transitions.routes],
        lifespan=lifespan,
        readiness=readiness,
        document=ApiInfo(
            title="Consents", version=root.API_VERSION, description=root.API_DESCRIPTION, errors=HAL_ERRORS
        ),
    )
    # Seed 001's ``_error`` bodies instead of the shared seed 004 envelope.
    app.exception_handlers.update(exception_handlers())
    return app
