"""The request path: a caller's grants, from the service's replica, with no call to iam.

One indexed query (the grant row's primary key, by the token's party id; by user id for a
token without one). A user iam has computed nothing for keeps the token's ``perms`` over the
whole tenant (the fallback every service had before territories); a system administrator
bypasses everything.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from proximity.access.grants import Grants
from proximity.access.replica import GrantRow
from proximity.auth.claims import Claims


async def caller_access(claims: Claims, session: AsyncSession, table: type[GrantRow]) -> Grants:
    if claims.system_admin:
        return Grants.everything()
    if claims.service:
        return Grants.from_token(claims.permissions)  # services are checked by scope, not grants
    query = select(col(table.entries)).where(col(table.tenant_id) == claims.tenant_id)
    if claims.party_id is not None:
        query = query.where(col(table.party_id) == claims.party_id)
    else:
        query = query.where(col(table.user_id) == claims.user_id)
    entries: list[dict[str, Any]] | None = (await session.execute(query.limit(1))).scalar_one_or_none()
    if entries is None:
        return Grants.from_token(claims.permissions)
    return Grants.from_json(entries)
