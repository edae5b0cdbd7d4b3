"""Who is calling: the forwarded access token, re-verified here (zero trust)."""

from __future__ import annotations

from starlette.requests import Request

from consents.bootstrap import Collaborators
from consents.services.access import Caller
from proximity.auth.verifier import InvalidToken, bearer_token


def collaborators(request: Request) -> Collaborators:
    found: Collaborators = request.app.state.consents
    return found


async def authenticated(request: Request) -> Caller:
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        raise InvalidToken()
    return Caller.of(await collaborators(request).verifier.verify(token))
