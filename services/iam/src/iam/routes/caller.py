"""Who is calling: iam checks every user request itself (zero trust), as the gateway does: the
token's signature, a client key of the token's tenant, a session not ended.

A user's permissions are what iam itself last published for them (``user_permissions``), not
the tags the token was signed with, as every service does with its replica: a permission taken
away is refused at once. Groups, features and datazones lie in no datazone, so the tags decide."""

from __future__ import annotations

from starlette.requests import Request

from iam.bootstrap import Collaborators
from iam.repositories.user_permissions import granted_entries
from proximity.access.caller import claims_with_grants
from proximity.access.grants import Grants
from proximity.auth.caller import authenticated_user
from proximity.auth.claims import Claims
from proximity.service_app import wired

__all__ = ["authenticated", "collaborators"]


def collaborators(request: Request) -> Collaborators:
    return wired(request, Collaborators)


async def authenticated(request: Request) -> Claims:
    claims = await authenticated_user(request)
    if claims.system_admin or claims.party_id is None:
        return claims
    async with collaborators(request).reading() as session:
        entries = await granted_entries(session, claims.tenant_id, claims.party_id)
    return claims if entries is None else claims_with_grants(claims, Grants.from_json(entries))
