"""The identity service: ``uvicorn identity.app:create_app --factory``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from starlette.applications import Starlette

from identity.bootstrap import wire
from identity.config import IdentitySettings
from identity.events.consumers import start_consumers
from identity.routes import (
    account,
    auth,
    client_credentials,
    clients,
    favorites,
    guest_login,
    internal,
    keys,
    parties,
    party_skillsets,
    party_types,
    party_users,
    password_reset,
    second_factors,
    skillsets,
    templates,
    user_settings,
    users,
)
from identity.routes import config as config_routes
from identity.services.mail import start_mail_delivery
from proximity.http.app import build_app
from proximity.observability.health import ReadinessCheck
from proximity.observability.logging import configure_logging
from proximity.openapi.served import ApiInfo
from proximity.runtime import open_runtime

API_VERSION = "0.1.0"
API_DESCRIPTION = (
    "Tenants and their client keys, parties (people), users and their identities, sign-in with "
    "second factors, password reset, guest links, skillsets, favorites, settings, config and "
    "templates (seed 004, with seed 000's account and client credentials and seed 002's flows)."
)


async def _starting() -> None:
    raise RuntimeError("still starting")


def create_app(settings: IdentitySettings | None = None) -> Starlette:
    settings = settings or IdentitySettings()
    configure_logging("identity", settings.log_level)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # callers=None: identity owns keys and sessions, so its guard reads them itself (wire).
        async with open_runtime(
            settings, context="identity", start_consumers=start_consumers, callers=None
        ) as runtime:
            app.state.identity = await wire(settings, runtime)
            app.state.mail = start_mail_delivery(settings, runtime)
            yield

    def readiness() -> Mapping[str, ReadinessCheck]:
        wired = getattr(app.state, "identity", None)
        return wired.runtime.readiness() if wired else {"startup": _starting}

    app = build_app(
        service="identity",
        routes=[
            # First: /parties/~/skillsets must match before any /parties/{id}... route.
            *party_skillsets.routes,
            *party_users.routes,  # /parties/~/users before /parties/{id}/users
            *user_settings.routes,
            *favorites.routes,
            *auth.routes,
            *users.routes,
            *keys.routes,
            *internal.routes,
            *party_types.routes,
            *parties.routes,
            *skillsets.routes,
            *config_routes.routes,
            *templates.routes,
            *account.routes,
            *clients.routes,
            *client_credentials.routes,
            *password_reset.routes,
            *guest_login.routes,
            *second_factors.routes,
        ],
        lifespan=lifespan,
        readiness=readiness,
        document=ApiInfo(title="Identity", version=API_VERSION, description=API_DESCRIPTION),
    )
    return app
