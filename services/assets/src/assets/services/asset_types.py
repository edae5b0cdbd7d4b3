"""Use cases on asset types: the tenant's catalogue, and provisioning it for a new tenant."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from assets.bootstrap import Collaborators
from assets.events.consumed import TenantCreated
from assets.repositories import asset_types
from assets.repositories.asset_types import AssetType
from assets.repositories.entity_catalogues import provision_entity_catalogues
from assets.repositories.layouts import provision_default_layouts
from proximity.auth.claims import Claims
from proximity.auth.permissions import require
from proximity.events.consumer import UnusableEvent
from proximity.events.envelope import Event


async def list_types(ctx: Collaborators, claims: Claims) -> Sequence[AssetType]:
    require(claims, "assets.view")
    async with ctx.reading() as session:
        return await asset_types.types_of(session, claims.tenant_id)


async def provision_for_tenant(session: AsyncSession, event: Event) -> None:
    """``identity.tenant.created``: the tenant's standard asset types, entity types and roles, and
    a default layout per object type, in the inbox's transaction."""
    try:
        tenant = TenantCreated.model_validate(event.data)
    except ValidationError as exc:
        raise UnusableEvent(f"identity.tenant.created breaks its contract: {exc}") from None
    await asset_types.provision_standard_types(session, tenant.id)
    await provision_entity_catalogues(session, tenant.id)
    await provision_default_layouts(session, tenant.id)
