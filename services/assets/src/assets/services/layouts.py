"""Use cases on layouts: list (or the one an asset shows), create, replace, delete. Each change
publishes ``assets.layout.*`` with the layout's version; a replace that changes nothing is not
a new version and publishes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from assets.bootstrap import Collaborators
from assets.errors import (
    AssetNotFound,
    DefaultLayoutProtected,
    FieldNotFound,
    FieldObjectTypeMismatch,
    IndustriesAlreadyAssigned,
    LayoutNotFound,
    MissingIndustries,
)
from assets.events import layout_events
from assets.repositories import asset_queries, dynamic_fields, entity_queries, industries, layouts
from assets.repositories.dynamic_fields import DynamicField
from assets.repositories.layouts import Layout
from assets.schemas.layouts import LayoutIn
from proximity.auth.claims import Claims
from proximity.auth.permissions import require
from proximity.db.columns import now
from proximity.errors import ValidationFailed


@dataclass(frozen=True, slots=True)
class ShownLayout:
    layout: Layout
    industry_ids: list[uuid.UUID]
    fields: list[DynamicField] | None = None  # with for_asset_id only


async def list_layouts(
    ctx: Collaborators,
    claims: Claims,
    object_type: str,
    ids: Sequence[uuid.UUID],
    for_asset_id: uuid.UUID | None,
) -> list[ShownLayout]:
    require(claims, "dynamicfields.view")
    async with ctx.snapshot() as session:
        if for_asset_id is not None:
            return [await _layout_of_asset(session, claims.tenant_id, object_type, for_asset_id)]
        found = await layouts.layouts_of(session, claims.tenant_id, object_type, ids)
        held = await layouts.industries_of(session, [item.id for item in found])
    return [ShownLayout(item, held[item.id]) for item in found]


async def _layout_of_asset(
    session: AsyncSession, tenant_id: uuid.UUID, object_type: str, asset_id: uuid.UUID
) -> ShownLayout:
    """The layout of the industry of the asset's entity, else the object type's default."""
    asset = await asset_queries.asset(session, tenant_id, asset_id)
    if asset is None:
        raise AssetNotFound()
    industry_id = None
    if asset.entity_id is not None:
        entity = await entity_queries.entity(session, tenant_id, asset.entity_id)
        industry_id = entity.industry_id if entity is not None else None
    chosen = await layouts.layout_for_industry(session, tenant_id, object_type, industry_id)
    if chosen is None:
        defaults = [
            item for item in await layouts.layouts_of(session, tenant_id, object_type, ()) if item.is_default
        ]
        if not defaults:  # a tenant provisioned before layouts existed
            raise LayoutNotFound("The object type has no default layout for this tenant.")
        chosen = defaults[0]
    named = {
        uuid.UUID(str(item["field_id"]))
        for card in chosen.cards
        for item in card["items"]
        if item["field_id"]
    }
    fields = await dynamic_fields.live_fields(session, tenant_id, named)
    held = await layouts.industries_of(session, [chosen.id])
    return ShownLayout(chosen, held[chosen.id], sorted(fields.values(), key=lambda f: f.label))


async def _check(session: AsyncSession, tenant_id: uuid.UUID, fields: LayoutIn, layout_id: uuid.UUID) -> None:
    named = {item.field_id for card in fields.cards for item in card.items if item.field_id is not None}
    found = await dynamic_fields.live_fields(session, tenant_id, named)
    if named - set(found):
        raise FieldNotFound("One of the field IDs given does not exist.")
    if any(field.object_type != fields.object_id for field in found.values()):
        raise FieldObjectTypeMismatch()
    for industry_id in set(fields.industry_ids):
        if await industries.live_industry(session, tenant_id, industry_id) is None:
            raise MissingIndustries()
    if await layouts.industries_taken(session, tenant_id, fields.object_id, fields.industry_ids, layout_id):
        raise IndustriesAlreadyAssigned()


def _apply(found: Layout, fields: LayoutIn) -> None:
    found.name = fields.name
    found.description = fields.description
    found.subject_type = fields.subject_id
    found.object_type = fields.object_id
    found.cards = [card.model_dump(mode="json") for card in fields.cards]


async def _saved(
    ctx: Collaborators, found: Layout, fields: LayoutIn, claims: Claims, *, new: bool
) -> ShownLayout:
    industry_ids = sorted(set(fields.industry_ids))
    try:
        async with ctx.unit_of_work() as uow:
            before = None
            if new:
                uow.session.add(found)
            else:
                current = await layouts.live_layout(uow.session, claims.tenant_id, found.id, for_update=True)
                if current is None:
                    raise LayoutNotFound()
                _check_default_kept(current, fields)
                if current.object_type != fields.object_id and current.is_default:
                    raise DefaultLayoutProtected("A default layout keeps its object type.")
                found = current
                held = await layouts.industries_of(uow.session, [found.id])
                before = (_state(found), held[found.id])
            await _check(uow.session, claims.tenant_id, fields, found.id)
            _apply(found, fields)
            if new:
                await uow.session.flush()
                await layouts.replace_industries(uow.session, found, industry_ids)
                uow.publish(layout_events.layout_created(found, industry_ids))
            elif (_state(found), industry_ids) != before:
                found.updated_at = now()
                found.version += 1
                await uow.session.flush()
                await layouts.replace_industries(uow.session, found, industry_ids)
                uow.publish(layout_events.layout_updated(found, industry_ids))
            await uow.commit()
    except IntegrityError:
        # Another save took one of the industries between the check and the commit.
        raise IndustriesAlreadyAssigned() from None
    return ShownLayout(found, industry_ids)


def _state(found: Layout) -> tuple[object, ...]:
    return (found.name, found.description, found.subject_type, found.object_type, found.cards)


def _check_default_kept(current: Layout, fields: LayoutIn) -> None:
    if current.is_default and not fields.is_default:
        raise DefaultLayoutProtected()
    if not current.is_default and fields.is_default:
        raise ValidationFailed(
            "'is_default' cannot be set: default layouts are the system's.", fields={"is_default": "fixed"}
        )


async def create_layout(ctx: Collaborators, claims: Claims, fields: LayoutIn) -> ShownLayout:
    require(claims, "dynamicfields.create")
    if fields.is_default:
        raise ValidationFailed(
            "'is_default' must be false: default layouts are the system's.", fields={"is_default": "fixed"}
        )
    found = Layout(
        tenant_id=claims.tenant_id, name=fields.name, subject_type="asset", object_type=fields.object_id
    )
    return await _saved(ctx, found, fields, claims, new=True)


async def replace_layout(
    ctx: Collaborators, claims: Claims, layout_id: uuid.UUID, fields: LayoutIn
) -> ShownLayout:
    require(claims, "dynamicfields.update")
    stub = Layout(
        id=layout_id,
        tenant_id=claims.tenant_id,
        name=fields.name,
        subject_type="asset",
        object_type=fields.object_id,
    )
    return await _saved(ctx, stub, fields, claims, new=False)


async def delete_layout(ctx: Collaborators, claims: Claims, layout_id: uuid.UUID) -> None:
    require(claims, "dynamicfields.delete")
    async with ctx.unit_of_work() as uow:
        found = await layouts.live_layout(uow.session, claims.tenant_id, layout_id, for_update=True)
        if found is None:
            raise LayoutNotFound()
        if found.is_default:
            raise DefaultLayoutProtected()
        found.deleted_at = found.updated_at = now()
        found.version += 1
        await layouts.replace_industries(uow.session, found, [])  # its industries are free again
        uow.publish(layout_events.layout_deleted(found))
        await uow.commit()
