"""``/users/me``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.errors import UserNotFound
from identity.routes.caller import authenticated, collaborators
from identity.schemas.users import CurrentUserView
from identity.services.users import current_user
from proximity.http.responses import one
from proximity.openapi import operation as api
from proximity.openapi.operation import documented


@documented(
    "Get the current login configuration",
    description=(
        "The caller's party id, permissions grouped by the operational group that grants them, "
        "and settings. `eUserNotFound` if the user was deleted since the token was issued; "
        "`eSessionRevoked` once the token's session has ended."
    ),
    answers=api.one(CurrentUserView),
    errors=(UserNotFound,),
    operation_id="get_current_user",
)
async def me(request: Request) -> Response:
    claims = await authenticated(request)
    return one(await current_user(collaborators(request), claims))


routes = [Route("/users/me", me, methods=["GET"])]
