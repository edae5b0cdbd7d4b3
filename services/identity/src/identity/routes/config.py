"""``/config`` and ``/config/theme``: read by any signed-in user, replaced by an administrator."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.routes.caller import authenticated, collaborators
from identity.schemas.config import ConfigView, ConfigWrite, ThemeEntry, ThemeWrite
from identity.services import config
from proximity.errors import PermissionDenied
from proximity.http.body import read_model
from proximity.http.responses import one
from proximity.openapi import operation as api

ADMINS_ONLY = "System administrators only (403 `ePermissionDenied` for anyone else)."
THEME_EXAMPLE = [
    {"key": "login.logo", "value": "https://via.placeholder.com/250", "domain": "login"},
    {"key": "bg.color", "value": "#fefefe", "domain": "crud-admin"},
]
# ``GET /config/theme`` answers ``{"data": [...], "warnings": []}``: a catalogue's envelope.
THEME = api.catalogue(ThemeEntry, description="The theme entries.")


@api.documented(
    "Environment config",
    description=(
        "The tenant's theme, phrasing, vocab (renames, e.g. Assets to Locations) and settings, and"
        " the caller's permissions (seed 004); any signed-in user. A section the tenant never set"
        " shows its defaults."
    ),
    answers=api.one(ConfigView, description="The configuration."),
)
async def get_config(request: Request) -> Response:
    claims = await authenticated(request)
    return one(await config.read_config(collaborators(request), claims))


@api.documented(
    "Replace config sections",
    description=(
        "Each section given takes exactly the given entries (`[]` empties it); a section left out"
        " is kept; `permissions` is read-only and ignored. At most 500 entries a section, one per"
        " key and domain (or key and locale). " + ADMINS_ONLY
    ),
    answers=api.one(ConfigView, description="The configuration, as `GET /config` shows it."),
    body=ConfigWrite,
    body_example={
        "theme": THEME_EXAMPLE,
        "vocab": [{"key": "asset", "locale": "en-CA", "singular": "Location", "plural": "Locations"}],
    },
    errors=[PermissionDenied],
)
async def put_config(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, ConfigWrite)
    return one(await config.replace_sections(collaborators(request), claims, body.sections()))


@api.documented(
    "Theme config",
    description="The tenant's theme: `{key, value, domain}` entries (seed 004); any signed-in user.",
    answers=THEME,
)
async def get_theme(request: Request) -> Response:
    claims = await authenticated(request)
    return one(await config.read_theme(collaborators(request), claims))


@api.documented(
    "Replace the theme",
    description="The theme takes exactly the given entries. " + ADMINS_ONLY,
    answers=THEME,
    body=ThemeWrite,
    body_example={"data": THEME_EXAMPLE},
    errors=[PermissionDenied],
)
async def put_theme(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, ThemeWrite)
    ctx = collaborators(request)
    await config.replace_sections(ctx, claims, {"theme": [e.model_dump() for e in body.data]})
    return one(await config.read_theme(ctx, claims))


routes = [
    Route("/config", get_config, methods=["GET"]),
    Route("/config", put_config, methods=["PUT"]),
    Route("/config/theme", get_theme, methods=["GET"]),
    Route("/config/theme", put_theme, methods=["PUT"]),
]
