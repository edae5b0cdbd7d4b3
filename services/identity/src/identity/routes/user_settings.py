"""``/parties/{id}/users/settings``: the current user's own settings (seed 004)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.errors import PartyNotFound, SettingKeyNotFound, UserNotFound
from identity.routes.caller import authenticated, collaborators
from identity.schemas.party_users import UserSettingsBody
from identity.schemas.user_settings import UserSettingsView
from identity.services import user_settings
from proximity.errors import PermissionDenied
from proximity.http.body import read_model
from proximity.http.responses import one
from proximity.openapi import operation as api
from proximity.openapi.operation import documented

_OWN = (
    "Only for the current user: the path must be the caller's own party id. Another party of "
    "the tenant is `ePermissionDenied` (for a system administrator too), any other id "
    "`ePartyNotFound`; `eUserNotFound` if the caller's user was deleted since the token was issued."
)
_ERRORS = (PartyNotFound, PermissionDenied, UserNotFound)


@documented(
    "Get the current user's settings",
    description=_OWN + " `application_state` is the legacy store, being replaced by `settings`.",
    answers=api.one(UserSettingsView),
    errors=_ERRORS,
    operation_id="get_user_settings",
)
async def get_settings(request: Request) -> Response:
    claims = await authenticated(request)
    return one(await user_settings.get_settings(collaborators(request), claims, request.path_params["id"]))


@documented(
    "Replace the current user's settings",
    description=(
        _OWN + " `settings` replaces every setting (empty: none); the only key is "
        "`welcome_template_id`, a UUID, each key at most once. `application_state` is replaced "
        "only when given. `id` must be the path's party id. The object may also be sent bare, "
        "without `data`; `suspended_at` is accepted and has no effect."
    ),
    answers=api.one(UserSettingsView),
    body=UserSettingsBody,
    body_example={
        "data": {
            "id": "8d2c4dff-8055-4d5d-ab53-bfe10ba6bde7",
            "settings": [{"key": "welcome_template_id", "val": "deadc0de-732b-4b7a-a990-c911ed4a56ad"}],
            "application_state": {"some_state": 123},
        }
    },
    errors=(*_ERRORS, SettingKeyNotFound),
    operation_id="patch_user_settings",
)
async def patch_settings(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, UserSettingsBody)
    party_id = request.path_params["id"]
    return one(await user_settings.patch_settings(collaborators(request), claims, party_id, body.data))


routes = [
    Route("/parties/{id}/users/settings", get_settings, methods=["GET"]),
    Route("/parties/{id}/users/settings", patch_settings, methods=["PATCH"]),
]
