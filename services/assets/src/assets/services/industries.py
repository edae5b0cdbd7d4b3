"""Use cases on industries: the catalogue, one, create, replace, delete (seed 004 "Industries")."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from assets.bootstrap import Collaborators
from assets.errors import IndustryNotFound
from assets.events import published
from assets.repositories import industries
from assets.repositories.industries import Industry
from assets.schemas.industries import IndustryIn
from proximity.auth.claims import Claims
from proximity.auth.permissions import require
from proximity.db.columns import now


async def list_industries(ctx: Collaborators, claims: Claims) -> Sequence[Industry]:
    require(claims, "industries.view")
    async with ctx.reading() as session:
        return await industries.industries_of(session, claims.tenant_id)


async def get_industry(ctx: Collaborators, claims: Claims, industry_id: uuid.UUID) -> Industry:
    require(claims, "industries.view")
    async with ctx.reading() as session:
        found = await industries.live_industry(session, claims.tenant_id, industry_id)
    if found is None:
        raise IndustryNotFound()
    return found


def _apply(found: Industry, fields: IndustryIn) -> None:
    found.name = fields.name
    # A non-null date archives at the server's time; an industry already archived keeps its date.
    if fields.archived_at is None:
        found.archived_at = None
    elif found.archived_at is None:
        found.archived_at = now()


async def create_industry(ctx: Collaborators, claims: Claims, fields: IndustryIn) -> Industry:
    require(claims, "industries.create")
    async with ctx.unit_of_work() as uow:
        found = Industry(tenant_id=claims.tenant_id, name=fields.name)
        _apply(found, fields)
        uow.session.add(found)
        await uow.session.flush()
        uow.publish(published.industry_created(found))
        await uow.commit()
    return found


async def replace_industry(
    ctx: Collaborators, claims: Claims, industry_id: uuid.UUID, fields: IndustryIn
) -> Industry:
    """A PUT that changes nothing is not a new version and publishes nothing."""
    require(claims, "industries.update")
    async with ctx.unit_of_work() as uow:
        found = await industries.live_industry(uow.session, claims.tenant_id, industry_id, for_update=True)
        if found is None:
            raise IndustryNotFound()
        before = (found.name, found.archived_at)
        _apply(found, fields)
        if (found.name, found.archived_at) != before:
            found.version += 1
            found.updated_at = now()
            uow.publish(published.industry_updated(found))
        await uow.commit()
    return found


async def delete_industry(ctx: Collaborators, claims: Claims, industry_id: uuid.UUID) -> None:
    """Soft: entities that name it keep a valid reference; it is no longer listed or found."""
    require(claims, "industries.delete")
    async with ctx.unit_of_work() as uow:
        found = await industries.live_industry(uow.session, claims.tenant_id, industry_id, for_update=True)
        if found is None:
            raise IndustryNotFound()
        found.deleted_at = found.updated_at = now()
        found.version += 1
        uow.publish(published.industry_deleted(found))
        await uow.commit()
