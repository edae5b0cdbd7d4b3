"""``/users/me``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.routes.caller import authenticated, collaborators
from identity.services.users import current_user
from proximity.http.responses import one


async def me(request: Request) -> Response:
    claims = await authenticated(request)
    return one(await current_user(collaborators(request), claims))


routes = [Route("/users/me", me, methods=["GET"])]
