"""Use cases on groups (seed 004 "Groups"): list, read, create, replace, delete. Every write
that changes a group's row, state or links is a new version of the group, announced
(``iam.group.*``) and recorded as a permission change, in one transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from iam.bootstrap import Collaborators
from iam.errors import GroupNotFound, GroupTypeChange, SystemGroupChange
from iam.events import group_events
from iam.repositories import group_queries
from iam.repositories.group_queries import GroupFilter, GroupLinks, GroupStats
from iam.repositories.groups import IamGroup
from iam.repositories.permission_changes import record_change
from iam.schemas.groups import GroupIn
from iam.services.group_checks import checked_links
from proximity.auth.claims import Claims
from proximity.auth.permissions import require
from proximity.db.columns import now
from proximity.http.list_query import KeysetPage, ListQuery


@dataclass(frozen=True, slots=True)
class GroupRead:
    group: IamGroup
    links: GroupLinks
    stats: GroupStats | None = None


async def list_groups(
    ctx: Collaborators, claims: Claims, filters: GroupFilter, query: ListQuery, *, counts: bool
) -> tuple[list[IamGroup], KeysetPage, dict[uuid.UUID, GroupStats] | None]:
    require(claims, "groups.view")
    async with ctx.snapshot() as session:  # the page, its total and its counts agree
        found, page = await group_queries.list_page(session, claims.tenant_id, filters, query)
        stats = (
            await group_queries.stats_of(session, claims.tenant_id, [g.id for g in found]) if counts else None
        )
    return found, page, stats


async def _read(session: AsyncSession, found: IamGroup, *, counts: bool) -> GroupRead:
    links = (await group_queries.links_of(session, [found.id]))[found.id]
    stats = (await group_queries.stats_of(session, found.tenant_id, [found.id]))[found.id] if counts else None
    return GroupRead(found, links, stats)


async def get_group(ctx: Collaborators, claims: Claims, group_id: uuid.UUID, *, counts: bool) -> GroupRead:
    """A deleted group too, with its ``deleted_at``."""
    require(claims, "groups.view")
    async with ctx.snapshot() as session:
        found = await group_queries.group(session, claims.tenant_id, group_id)
        if found is None:
            raise GroupNotFound()
        return await _read(session, found, counts=counts)


def _apply(found: IamGroup, fields: GroupIn) -> None:
    found.name = fields.name
    found.description = fields.description
    found.meta = dict(fields.meta or {})
    # Seed 004: a non-null date suspends at the server's time; one already suspended keeps its.
    if fields.suspended_at is None:
        found.suspended_at = None
    elif found.suspended_at is None:
        found.suspended_at = now()


def _state(found: IamGroup) -> tuple[Any, ...]:
    return (found.name, found.description, found.meta, found.suspended_at)


async def create_group(ctx: Collaborators, claims: Claims, fields: GroupIn) -> GroupRead:
    require(claims, "groups.create")
    async with ctx.unit_of_work() as uow:
        session = uow.session
        if fields.inherit_ids:
            await group_queries.lock_inheritance(session, claims.tenant_id)
        found = IamGroup(
            tenant_id=claims.tenant_id, name=fields.name, description=fields.description, type=fields.type
        )
        links = await checked_links(
            session,
            claims.tenant_id,
            found.id,
            fields.type,
            items=fields.items,
            owner_ids=fields.owner_ids,
            inherit_ids=fields.inherit_ids,
        )
        _apply(found, fields)
        session.add(found)
        await session.flush()
        await group_queries.replace_links(session, found, links)
        uow.publish(group_events.group_created(found))
        await record_change(session, claims.tenant_id, group_ids=[found.id])
        await uow.commit()
    return GroupRead(found, links)


def writable(found: IamGroup | None) -> IamGroup:
    """A live group a write may change: a system group is provisioned and fixed."""
    if found is None or found.deleted_at is not None:
        raise GroupNotFound()
    if found.is_system:
        raise SystemGroupChange()
    return found


async def replace_group(
    ctx: Collaborators, claims: Claims, group_id: uuid.UUID, fields: GroupIn
) -> GroupRead:
    """A PUT that changes nothing is not a new version and announces nothing."""
    require(claims, "groups.update")
    async with ctx.unit_of_work() as uow:
        session = uow.session
        await group_queries.lock_inheritance(session, claims.tenant_id)
        found = writable(await group_queries.group(session, claims.tenant_id, group_id, for_update=True))
        if fields.type != found.type:
            raise GroupTypeChange()
        links = await checked_links(
            session,
            claims.tenant_id,
            found.id,
            found.type,
            items=fields.items,
            owner_ids=fields.owner_ids,
            inherit_ids=fields.inherit_ids,
        )
        before = _state(found)
        _apply(found, fields)
        relinked = await group_queries.replace_links(session, found, links)
        if relinked or _state(found) != before:
            found.version += 1
            found.updated_at = now()
            await session.flush()
            uow.publish(group_events.group_updated(found))
            await record_change(session, claims.tenant_id, group_ids=[found.id])
        await uow.commit()
    return GroupRead(found, links)


async def delete_group(ctx: Collaborators, claims: Claims, group_id: uuid.UUID) -> None:
    """Soft: the groups inheriting it keep their edge but lose what it gave them (seed 004);
    deleting again changes nothing."""
    require(claims, "groups.delete")
    async with ctx.unit_of_work() as uow:
        found = await group_queries.group(uow.session, claims.tenant_id, group_id, for_update=True)
        if found is None:
            raise GroupNotFound()
        if found.is_system:
            raise SystemGroupChange()
        if found.deleted_at is None:
            found.deleted_at = found.updated_at = now()
            found.version += 1
            await uow.session.flush()
            uow.publish(group_events.group_deleted(found))
            await record_change(uow.session, claims.tenant_id, group_ids=[found.id])
        await uow.commit()
