"""Use cases on the calling user."""

from __future__ import annotations

from typing import Any

from identity.bootstrap import Collaborators
from identity.errors import UserNotFound
from identity.repositories.sessions import caller_state
from proximity.auth.claims import Claims
from proximity.errors import SessionRevoked


async def current_user(ctx: Collaborators, claims: Claims) -> dict[str, Any]:
    """``GET /users/me`` (seed 004): party id, permissions grouped by operational group, settings."""
    if claims.session_id is None:
        raise SessionRevoked()
    async with ctx.reading() as session:
        state = await caller_state(session, claims.tenant_id, claims.session_id, claims.user_id)
    if not state.session_live:
        raise SessionRevoked()
    if state.party_id is None:
        raise UserNotFound()
    # Until iam publishes effective permissions, the token's own (direct) permissions are all.
    permissions = (
        [{"op_group_id": None, "permissions": sorted(claims.permissions)}] if claims.permissions else []
    )
    return {"party_id": str(state.party_id), "permissions": permissions, "settings": []}
