"""``/config`` and ``/config/theme``: read by any signed-in user, replaced by an administrator."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.routes.caller import authenticated, collaborators
from identity.schemas.config import ConfigWrite, ThemeWrite
from identity.services import config
from proximity.http.body import read_model
from proximity.http.responses import one


async def get_config(request: Request) -> Response:
    claims = await authenticated(request)
    return one(await config.read_config(collaborators(request), claims))


async def put_config(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, ConfigWrite)
    return one(await config.replace_sections(collaborators(request), claims, body.sections()))


async def get_theme(request: Request) -> Response:
    claims = await authenticated(request)
    return one(await config.read_theme(collaborators(request), claims))


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
