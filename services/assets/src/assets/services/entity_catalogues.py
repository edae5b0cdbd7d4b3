"""Use cases on the entity catalogues: the tenant's entity types and roles."""

from __future__ import annotations

from collections.abc import Sequence

from assets.bootstrap import Collaborators
from assets.repositories import entity_catalogues
from assets.repositories.entity_catalogues import EntityRole, EntityType
from proximity.auth.claims import Claims
from proximity.auth.permissions import require


async def list_entity_types(ctx: Collaborators, claims: Claims) -> Sequence[EntityType]:
    require(claims, "entities.view")
    async with ctx.reading() as session:
        return await entity_catalogues.entity_types_of(session, claims.tenant_id)


async def list_entity_roles(
    ctx: Collaborators, claims: Claims, role_type: str | None
) -> Sequence[EntityRole]:
    require(claims, "entities.view")
    async with ctx.reading() as session:
        return await entity_catalogues.entity_roles_of(session, claims.tenant_id, role_type)
