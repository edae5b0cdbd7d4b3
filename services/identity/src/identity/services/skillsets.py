"""Use cases on skillsets: list, read, create, replace, delete (soft)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from identity.bootstrap import Collaborators
from identity.domain.stamps import stamp
from identity.errors import SkillSetCategoryNotFound, SkillSetNotFound, SkillSetTypeNotFound
from identity.events import published
from identity.repositories import skillsets as queries
from identity.repositories.catalogue_tables import SkillSet
from identity.repositories.tables import now
from identity.schemas.skillsets import SkillSetWrite
from proximity.auth.claims import Claims
from proximity.auth.permissions import require, with_permissions
from proximity.http.list_query import ListQuery

RESOURCE = "skillsets"


def render(skillset: SkillSet, claims: Claims) -> dict[str, Any]:
    item = {
        "id": skillset.id,
        "name": skillset.name,
        "description": skillset.description,
        "type_id": skillset.type_id,
        "category_id": skillset.category_id,
        "suspended_at": skillset.suspended_at,
        "created_at": skillset.created_at,
        "updated_at": skillset.updated_at,
        "deleted_at": skillset.deleted_at,
    }
    return with_permissions(item, claims, RESOURCE)


async def list_skillsets(
    ctx: Collaborators, claims: Claims, listing: ListQuery
) -> tuple[list[dict[str, Any]], int]:
    require(claims, f"{RESOURCE}.view")
    async with ctx.snapshot() as session:  # the page and its total agree
        rows, total = await queries.list_skillsets(session, claims.tenant_id, listing)
    return [render(row, claims) for row in rows], total


async def get_skillset(ctx: Collaborators, claims: Claims, skillset_id: uuid.UUID) -> dict[str, Any]:
    require(claims, f"{RESOURCE}.view")
    async with ctx.reading() as session:
        skillset = await queries.live_skillset(session, claims.tenant_id, skillset_id)
    if skillset is None:
        raise SkillSetNotFound()
    return render(skillset, claims)


async def _check_references(session: AsyncSession, tenant_id: uuid.UUID, body: SkillSetWrite) -> None:
    if body.type_id is not None and not await queries.skillset_type_exists(session, tenant_id, body.type_id):
        raise SkillSetTypeNotFound()
    if body.category_id is not None and not await queries.skillset_category_exists(
        session, tenant_id, body.category_id
    ):
        raise SkillSetCategoryNotFound()


def _apply(skillset: SkillSet, body: SkillSetWrite) -> None:
    skillset.name = body.name
    skillset.description = body.description
    skillset.type_id = body.type_id
    skillset.category_id = body.category_id
    skillset.suspended_at = stamp(skillset.suspended_at, body.suspended_at, now())


async def create_skillset(ctx: Collaborators, claims: Claims, body: SkillSetWrite) -> dict[str, Any]:
    require(claims, f"{RESOURCE}.create")
    async with ctx.unit_of_work() as uow:
        await _check_references(uow.session, claims.tenant_id, body)
        skillset = SkillSet(tenant_id=claims.tenant_id, name=body.name, description=body.description)
        _apply(skillset, body)
        uow.session.add(skillset)
        await uow.session.flush()
        uow.publish(published.skillset_created(skillset))
        await uow.commit()
    return render(skillset, claims)


async def _live_for_update(session: AsyncSession, tenant_id: uuid.UUID, skillset_id: uuid.UUID) -> SkillSet:
    skillset = await queries.live_skillset(session, tenant_id, skillset_id)
    if skillset is None:
        raise SkillSetNotFound()
    return skillset


async def replace_skillset(
    ctx: Collaborators, claims: Claims, skillset_id: uuid.UUID, body: SkillSetWrite
) -> dict[str, Any]:
    require(claims, f"{RESOURCE}.update")
    async with ctx.unit_of_work() as uow:
        skillset = await _live_for_update(uow.session, claims.tenant_id, skillset_id)
        await _check_references(uow.session, claims.tenant_id, body)
        _apply(skillset, body)
        skillset.updated_at = now()
        skillset.version += 1
        uow.publish(published.skillset_updated(skillset))
        await uow.commit()
    return render(skillset, claims)


async def delete_skillset(ctx: Collaborators, claims: Claims, skillset_id: uuid.UUID) -> None:
    require(claims, f"{RESOURCE}.delete")
    async with ctx.unit_of_work() as uow:
        skillset = await _live_for_update(uow.session, claims.tenant_id, skillset_id)
        skillset.deleted_at = now()
        skillset.version += 1
        uow.publish(published.skillset_deleted(skillset))
        await uow.commit()
