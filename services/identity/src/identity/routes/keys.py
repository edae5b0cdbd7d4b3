"""``/.well-known/jwks.json``: the public keys access tokens are verified with."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.routes.caller import collaborators
from identity.schemas.keys import JwksView
from proximity.http.responses import JSON
from proximity.openapi import operation as api


@api.documented(
    "The keys access tokens are verified with",
    description=(
        "A JSON Web Key Set (RFC 7517): the Ed25519 public key access tokens are signed with"
        " (EdDSA, `kid` in the token's header), and any older key still verifying."
    ),
    answers=api.bare(
        JwksView,
        description="The key set.",
        headers={"Cache-Control": "`public, max-age=300`."},
    ),
    public=True,
)
async def jwks(request: Request) -> Response:
    return JSON(collaborators(request).keys.jwks(), headers={"Cache-Control": "public, max-age=300"})


routes = [Route("/.well-known/jwks.json", jwks, methods=["GET"])]
