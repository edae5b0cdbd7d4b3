"""``/parties/{id}/users/settings``: the current user's own settings (seed 004)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.routes.caller import authenticated, collaborators
from identity.schemas.party_users import UserSettingsBody
from identity.services import user_settings
from proximity.http.body import read_model
from proximity.http.responses import one


async def get_settings(request: Request) -> Response:
    claims = await authenticated(request)
    return one(await user_settings.get_settings(collaborators(request), claims, request.path_params["id"]))


async def patch_settings(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, UserSettingsBody)
    party_id = request.path_params["id"]
    return one(await user_settings.patch_settings(collaborators(request), claims, party_id, body.data))


routes = [
    Route("/parties/{id}/users/settings", get_settings, methods=["GET"]),
    Route("/parties/{id}/users/settings", patch_settings, methods=["PATCH"]),
]
