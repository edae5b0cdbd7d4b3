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
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        raise InvalidToken()
    return await collaborators(request).verifier.verify(token)
