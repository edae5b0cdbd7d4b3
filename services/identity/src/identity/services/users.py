"""Use cases on the calling user."""

from __future__ import annotations

from typing import Any

from identity.bootstrap import Collaborators
from identity.errors import UserNotFound
from identity.repositories.people import user_with_party
from identity.services.sessions import session_is_active
from proximity.auth.claims import Claims
from proximity.errors import SessionRevoked


async def current_user(ctx: Collaborators, claims: Claims) -> dict[str, Any]:
    """``GET /users/me`` (seed 004): party id, permissions grouped by operational group, settings."""
    if not await session_is_active(ctx, claims.tenant_id, claims.session_id):
        raise SessionRevoked()
    async with ctx.unit_of_work() as uow:
        found = await user_with_party(uow.session, claims.tenant_id, claims.user_id)
    if found is None or found[0].deleted_at is not None:
        raise UserNotFound()
    party = found[1]
    # Until iam publishes effective permissions, the token's own (direct) permissions are all.
    permissions = (
        [{"op_group_id": None, "permissions": sorted(claims.permissions)}] if claims.permissions else []
    )
    return {"party_id": str(party.id), "permissions": permissions, "settings": []}
