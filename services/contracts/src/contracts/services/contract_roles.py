"""The tenant's contract role catalogue (``GET /contracts/~/roles``)."""

from __future__ import annotations

from collections.abc import Sequence

from contracts.bootstrap import Collaborators
from contracts.repositories.contract_roles import ContractRole, contract_roles_of
from proximity.auth.claims import Claims
from proximity.auth.permissions import require


async def list_contract_roles(ctx: Collaborators, claims: Claims) -> Sequence[ContractRole]:
    require(claims, "contracts.view")
    async with ctx.reading() as session:
        return await contract_roles_of(session, claims.tenant_id)
