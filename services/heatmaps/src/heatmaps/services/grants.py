"""The tags a caller holds here: the token's, replaced by iam's latest grants for them (the
replica's, ``proximity.access``), so a permission iam takes away is gone before the token
expires. Heatmaps lie in no datazone: their checks are tag checks."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from heatmaps.repositories.access_replica import HeatmapsGrant
from proximity.access.caller import caller_access, claims_with_grants
from proximity.auth.claims import Claims


async def granted_claims(session: AsyncSession, claims: Claims) -> Claims:
    return claims_with_grants(claims, await caller_access(claims, session, HeatmapsGrant))
