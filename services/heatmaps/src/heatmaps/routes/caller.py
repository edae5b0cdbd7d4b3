"""Who is calling: heatmaps checks every user request itself (zero trust), as the gateway does:
the token's signature, a client key of the token's tenant, a session not ended."""

from __future__ import annotations

from starlette.requests import Request

from heatmaps.bootstrap import Collaborators
from heatmaps.services.grants import granted_claims
from proximity.auth.caller import authenticated_user as authenticated
from proximity.auth.claims import Claims
from proximity.service_app import wired

__all__ = ["authenticated", "collaborators", "granted"]


def collaborators(request: Request) -> Collaborators:
    return wired(request, Collaborators)


async def granted(request: Request) -> Claims:
    """The authenticated caller with the tags iam's grants give them (the replica's; a user iam
    computed nothing for keeps the token's)."""
    claims = await authenticated(request)
    async with collaborators(request).reading() as session:
        return await granted_claims(session, claims)
