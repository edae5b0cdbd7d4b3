"""Who is calling: identity checks every user request itself (zero trust), as the gateway
does: the token's signature, a client key of the token's tenant, a session not ended."""

from __future__ import annotations

from starlette.requests import Request

from identity.bootstrap import Collaborators
from proximity.auth.claims import Claims


def collaborators(request: Request) -> Collaborators:
    found: Collaborators = request.app.state.identity
    return found


async def authenticated(request: Request) -> Claims:
    """The calling user. A service token names a service, not a user or a session, so it is
    no credential for the user endpoints: it is refused as if it were invalid."""
    return await collaborators(request).callers.user(request)
