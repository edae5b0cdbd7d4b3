"""Use cases on the tenant's configuration: read it (any signed-in user), replace sections
(system administrators)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from identity.bootstrap import Collaborators
from identity.domain.tenant_config import effective
from identity.events import published
from identity.repositories import tenant_config as queries
from identity.repositories.catalogue_tables import TenantConfig
from identity.repositories.tables import now
from proximity.auth.claims import Claims
from proximity.auth.permissions import require_system_admin


async def _sections(ctx: Collaborators, claims: Claims) -> dict[str, list[dict[str, Any]]]:
    async with ctx.reading() as session:
        stored = await queries.stored_sections(session, claims.tenant_id)
    return {str(section): entries for section, entries in effective(stored).items()}


def _with_permissions(sections: dict[str, list[dict[str, Any]]], claims: Claims) -> dict[str, Any]:
    # The caller's own permissions, not those their groups give (seed 004).
    return {**sections, "permissions": sorted(claims.permissions)}


async def read_config(ctx: Collaborators, claims: Claims) -> dict[str, Any]:
    return _with_permissions(await _sections(ctx, claims), claims)


async def read_theme(ctx: Collaborators, claims: Claims) -> list[dict[str, Any]]:
    return (await _sections(ctx, claims))["theme"]


async def replace_sections(
    ctx: Collaborators, claims: Claims, sections: Mapping[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    """Each given section takes exactly the given entries; the others are left as they are."""
    require_system_admin(claims)
    async with ctx.unit_of_work() as uow:
        for section, entries in sections.items():
            row = await queries.section_for_update(uow.session, claims.tenant_id, section)
            if row is None:
                row = TenantConfig(tenant_id=claims.tenant_id, section=section, entries=entries)
                uow.session.add(row)
            elif row.entries != entries:
                row.entries = entries
                row.version += 1
                row.updated_at = now()
            else:
                continue
            uow.publish(published.config_updated(row))
        await uow.commit()
    return await read_config(ctx, claims)
