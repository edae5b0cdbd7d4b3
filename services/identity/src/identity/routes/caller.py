"""Who is calling: identity checks every user request itself (zero trust), as the gateway
does: the token's signature, a client key of the token's tenant, a session not ended. A
service token names a service, not a user or a session, so the user endpoints refuse it.

A user's permissions are iam's latest grants (identity's own replica of
``iam.permissions.updated``), not the ones the token was signed with: a permission taken away
is refused here within a second or so, not when the token expires, as assets and contracts do
(``proximity.access``). Identity's objects lie in no datazone, so the tags alone decide."""

from __future__ import annotations

from starlette.requests import Request

from identity.bootstrap import Collaborators
from identity.services.permissions_replica import granted
from proximity.auth.caller import authenticated_user
from proximity.auth.claims import Claims
from proximity.service_app import wired

__all__ = ["authenticated", "collaborators"]


def collaborators(request: Request) -> Collaborators:
    return wired(request, Collaborators)


async def authenticated(request: Request) -> Claims:
    claims = await authenticated_user(request)
    if claims.system_admin:
        return claims
    async with collaborators(request).reading() as session:
        return await granted(session, claims)
