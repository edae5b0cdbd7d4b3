"""Use cases on the account (seed 000): the caller's tenant itself."""

from __future__ import annotations

from typing import Any

from identity.bootstrap import Collaborators
from identity.errors import TenantNotFound
from identity.events import published
from identity.repositories.tables import Tenant, now
from proximity.auth.claims import Claims
from proximity.auth.permissions import require_system_admin


def render(tenant: Tenant) -> dict[str, Any]:
    return {
        "id": tenant.id,
        "type": "account",
        "name": tenant.name,
        "created_at": tenant.created_at,
        "updated_at": tenant.updated_at,
    }


async def read_account(ctx: Collaborators, claims: Claims) -> dict[str, Any]:
    async with ctx.reading() as session:
        tenant = await session.get(Tenant, claims.tenant_id)
    if tenant is None:
        raise TenantNotFound()
    return render(tenant)


async def rename_account(ctx: Collaborators, claims: Claims, name: str) -> dict[str, Any]:
    require_system_admin(claims)
    async with ctx.unit_of_work() as uow:
        tenant = await uow.session.get(Tenant, claims.tenant_id, with_for_update=True, populate_existing=True)
        if tenant is None:
            raise TenantNotFound()
        if tenant.name != name:
            tenant.name = name
            tenant.version += 1
            tenant.updated_at = now()
            uow.publish(published.tenant_updated(tenant))
            await uow.commit()
    return render(tenant)
