"""What a new tenant is given in contracts (``identity.tenant.created``): its contract roles,
and its service types and categories."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.repositories.contract_roles import provision_contract_roles
from contracts.repositories.service_catalogues import provision_service_catalogues


async def provision_tenant(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Everything a tenant starts with, in the caller's transaction; twice adds nothing."""
    await provision_contract_roles(session, tenant_id)
    await provision_service_catalogues(session, tenant_id)
