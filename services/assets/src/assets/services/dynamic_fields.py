"""Use cases on dynamic fields: list, create, replace, delete (seed 004 "Dynamic Fields")."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass

from assets.bootstrap import Collaborators
from assets.errors import FieldNotFound
from assets.events import field_events
from assets.repositories import dynamic_fields
from assets.repositories.dynamic_fields import DynamicField, FieldCounts
from assets.schemas.dynamic_fields import FieldIn
from proximity.auth.claims import Claims
from proximity.auth.permissions import require
from proximity.db.columns import now
from proximity.http.list_query import KeysetPage, ListQuery


@dataclass(frozen=True, slots=True)
class ListedFields:
    shown: list[DynamicField]
    page: KeysetPage
    counts: dict[uuid.UUID, FieldCounts] | None  # with include[]=counts only


async def list_fields(
    ctx: Collaborators, claims: Claims, object_type: str, query: ListQuery, field_types: Collection[str]
) -> ListedFields:
    """A page and its counts, read in one snapshot so they agree."""
    require(claims, "dynamicfields.view")
    async with ctx.snapshot() as session:
        shown, page = await dynamic_fields.list_page(
            session, claims.tenant_id, object_type, query, field_types
        )
        counts = None
        if "counts" in query.include:
            counts = await dynamic_fields.counts_of(session, claims.tenant_id, [f.id for f in shown])
    return ListedFields(shown, page, counts)


def _apply(found: DynamicField, fields: FieldIn) -> None:
    found.object_type = fields.object_type
    found.label = fields.label
    found.description = fields.description
    found.field_type = fields.field_type
    found.config = fields.config
    if fields.archived_at is None:
        found.archived_at = None
    elif found.archived_at is None:
        found.archived_at = now()


async def create_field(ctx: Collaborators, claims: Claims, fields: FieldIn) -> DynamicField:
    require(claims, "dynamicfields.create")
    async with ctx.unit_of_work() as uow:
        found = DynamicField(
            tenant_id=claims.tenant_id,
            object_type=fields.object_type,
            label=fields.label,
            field_type=fields.field_type,
        )
        _apply(found, fields)
        uow.session.add(found)
        await uow.session.flush()
        uow.publish(field_events.field_created(found))
        await uow.commit()
    return found


def _state(found: DynamicField) -> tuple[object, ...]:
    return (
        found.object_type,
        found.label,
        found.description,
        found.field_type,
        found.config,
        found.archived_at,
    )


async def replace_field(
    ctx: Collaborators, claims: Claims, field_id: uuid.UUID, fields: FieldIn
) -> DynamicField:
    """Values already saved are kept as they are when the type or config changes (they were
    valid when saved); a PUT that changes nothing publishes nothing."""
    require(claims, "dynamicfields.update")
    async with ctx.unit_of_work() as uow:
        found = await dynamic_fields.live_field(uow.session, claims.tenant_id, field_id, for_update=True)
        if found is None:
            raise FieldNotFound()
        before = _state(found)
        _apply(found, fields)
        if _state(found) != before:
            found.version += 1
            found.updated_at = now()
            uow.publish(field_events.field_updated(found))
        await uow.commit()
    return found


async def delete_field(ctx: Collaborators, claims: Claims, field_id: uuid.UUID) -> None:
    """Soft: its values stay as history, no longer listed; the field is no longer found."""
    require(claims, "dynamicfields.delete")
    async with ctx.unit_of_work() as uow:
        found = await dynamic_fields.live_field(uow.session, claims.tenant_id, field_id, for_update=True)
        if found is None:
            raise FieldNotFound()
        found.deleted_at = found.updated_at = now()
        found.version += 1
        uow.publish(field_events.field_deleted(found))
        await uow.commit()
