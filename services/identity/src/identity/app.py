"""The identity service: ``uvicorn identity.app:create_app --factory``."""

from __future__ import annotations

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
from proximity.openapi.served import ApiInfo
from proximity.service_app import service_app

API_VERSION = "0.1.0"
API_DESCRIPTION = (
    "Tenants and their client keys, parties (people), users and their identities, sign-in with "
    "second factors, password reset, guest links, skillsets, favorites, settings, config and "
    "templates (seed 004, with seed 000's account and client credentials and seed 002's flows)."
)


def create_app(settings: IdentitySettings | None = None) -> Starlette:
    settings = settings or IdentitySettings()
    return service_app(
        settings,
        context="identity",
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
        wire=lambda runtime: wire(settings, runtime),
        start_consumers=start_consumers,
        # identity owns keys and sessions, so its guard reads them itself (``wire``).
        callers=None,
        own_callers=lambda collaborators: collaborators.callers,
        background={"mail": lambda runtime: start_mail_delivery(settings, runtime)},
        document=ApiInfo(title="Identity", version=API_VERSION, description=API_DESCRIPTION),
    )
