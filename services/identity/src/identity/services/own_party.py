""" "Current user only" endpoints (settings, favorites): the path must name the caller's party."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from identity.errors import PartyNotFound
from identity.repositories.party_users import party_exists
from proximity.auth.claims import Claims
from proximity.errors import PermissionDenied


def party_id_from_path(raw: str) -> uuid.UUID:
    """A path id that is not a UUID names no party: the documented 400, not a 404."""
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise PartyNotFound() from None


async def require_own_party(session: AsyncSession, claims: Claims, raw: str) -> uuid.UUID:
    """The caller's own party id; another party of the tenant is 403 (even for a system admin:
    the seed allows these only for the logged-in user), any other id ``ePartyNotFound``."""
    party_id = party_id_from_path(raw)
    if party_id == claims.party_id:
        return party_id
    if await party_exists(session, claims.tenant_id, party_id):
        raise PermissionDenied("Only the current user's own party may be used here.")
    raise PartyNotFound()
