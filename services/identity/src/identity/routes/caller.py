"""Who is calling: identity re-verifies the forwarded access token itself (zero trust)."""

from __future__ import annotations

from starlette.requests import Request

from identity.bootstrap import Collaborators
from proximity.auth.claims import Claims
from proximity.auth.verifier import InvalidToken, bearer_token


def collaborators(request: Request) -> Collaborators:
    found: Collaborators = request.app.state.identity
    return found


async def authenticated(request: Request) -> Claims:
    """The calling user. A service token names a service, not a user or a session, so it is
    no credential for the user endpoints: it is refused as if it were invalid."""
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        raise InvalidToken()
    claims = await collaborators(request).verifier.verify(token)
    if claims.service:
        raise InvalidToken()
    return claims
