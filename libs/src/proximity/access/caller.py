"""The request path: a caller's grants, from the service's replica, with no call to iam.

One indexed query (the grant row's primary key, by the token's party id; by user id for a
token without one). The row's ``Grants`` are kept per process by party and version (a new
event is a new version), so a caller's grants are parsed once, not on every request. A user
iam has computed nothing for keeps the token's ``perms`` over the whole tenant (the fallback
every service had before territories); a system administrator bypasses everything.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections import OrderedDict
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from proximity.access.grants import Grants
from proximity.access.replica import GrantRow
from proximity.auth.claims import Claims

CACHED_GRANTS = 4096
_parsed: OrderedDict[tuple[uuid.UUID, uuid.UUID, int], Grants] = OrderedDict()


def _grants_of(
    tenant_id: uuid.UUID, party_id: uuid.UUID, version: int, entries: list[dict[str, Any]]
) -> Grants:
    key = (tenant_id, party_id, version)
    found = _parsed.get(key)
    if found is None:
        found = _parsed[key] = Grants.from_json(entries)
        if len(_parsed) > CACHED_GRANTS:
            _parsed.popitem(last=False)
    else:
        _parsed.move_to_end(key)
    return found


async def caller_access(claims: Claims, session: AsyncSession, table: type[GrantRow]) -> Grants:
    if claims.system_admin:
        return Grants.everything()
    if claims.service:
        return Grants.from_token(claims.permissions)  # services are checked by scope, not grants
    query = select(col(table.party_id), col(table.version), col(table.entries)).where(
        col(table.tenant_id) == claims.tenant_id
    )
    if claims.party_id is not None:
        query = query.where(col(table.party_id) == claims.party_id)
    else:
        query = query.where(col(table.user_id) == claims.user_id)
    row = (await session.execute(query.limit(1))).first()
    if row is None:
        return Grants.from_token(claims.permissions)
    party_id, version, entries = row
    return _grants_of(claims.tenant_id, party_id, version, entries)


def claims_with_grants(claims: Claims, grants: Grants) -> Claims:
    """The claims with the tags the grants give somewhere (whatever their territory) as its
    permissions: what a check of something that lies in no datazone (a party, a group, a
    service, a catalogue, a batch's delete before its rows are read) holds against. A user iam
    computed nothing for keeps the token's; a system administrator bypasses every check anyway."""
    if grants.system_admin or grants.source == "token":
        return claims
    tags = frozenset(tag for entry in grants.entries for tag in entry.tags)
    return dataclasses.replace(claims, permissions=tags)
