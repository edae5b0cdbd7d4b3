"""The consents service: ``uvicorn consents.app:create_app --factory``."""

from __future__ import annotations

from starlette.applications import Starlette

from consents.bootstrap import Collaborators
from consents.config import ConsentsSettings
from consents.hal.errors import HAL_ERRORS, exception_handlers
from consents.routes import consents, root, transitions, type_names
from proximity.openapi.served import ApiInfo
from proximity.runtime import Runtime
from proximity.service_app import service_app


def create_app(settings: ConsentsSettings | None = None) -> Starlette:
    settings = settings or ConsentsSettings()

    async def wire(runtime: Runtime) -> Collaborators:
        return Collaborators(settings, runtime)

    # The runtime's guard checks callers as the gateway does: identity's keys, client keys and
    # revoked sessions (``settings.jwks_url``, ``identity_url``, identity's events).
    app = service_app(
        settings,
        context="consents",
        routes=[*root.routes, *type_names.routes, *consents.routes, *transitions.routes],
        wire=wire,
        document=ApiInfo(
            title="Consents", version=root.API_VERSION, description=root.API_DESCRIPTION, errors=HAL_ERRORS
        ),
    )
    # Seed 001's ``_error`` bodies instead of the shared seed 004 envelope.
    app.exception_handlers.update(exception_handlers())
    return app
