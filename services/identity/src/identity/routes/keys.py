"""``/.well-known/jwks.json``: the public keys access tokens are verified with."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.routes.caller import collaborators
from proximity.http.responses import JSON


async def jwks(request: Request) -> Response:
    return JSON(collaborators(request).keys.jwks(), headers={"Cache-Control": "public, max-age=300"})


routes = [Route("/.well-known/jwks.json", jwks, methods=["GET"])]
