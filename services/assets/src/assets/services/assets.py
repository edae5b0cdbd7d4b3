"""Use cases on assets: list, read, create, replace, delete (seed 004 "Assets")."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Any

from assets.bootstrap import Collaborators
from assets.errors import AssetHasChildren, AssetNotFound
from assets.events import published
from assets.repositories import asset_queries
from assets.repositories.asset_list import AssetFilter, list_page
from assets.repositories.asset_queries import AssetLinks, AssetStats
from assets.repositories.asset_records import Asset
from assets.schemas.assets import AssetIn
from assets.services.asset_location import apply_location
from assets.services.asset_rules import check_write, locked_for_replace
from assets.services.contract_links import replace_links, wants_new_links
from assets.services.territories import grants_of, place_asset
from proximity.access.grants import Grants
from proximity.auth.claims import Claims
from proximity.db.columns import now
from proximity.http.list_query import KeysetPage, ListQuery


@dataclass(frozen=True, slots=True)
class FullAsset:
    asset: Asset
    links: AssetLinks
    grants: Grants  # the caller's: what ``__permissions__`` shows
    parentage: tuple[Asset, ...] | None = None  # with include[]=parentage only


@dataclass(frozen=True, slots=True)
class ListedAssets:
    shown: list[Asset]
    page: KeysetPage
    stats: dict[uuid.UUID, AssetStats] | None  # with include[]=stats only
    grants: Grants


async def list_assets(
    ctx: Collaborators, claims: Claims, filters: AssetFilter, query: ListQuery
) -> ListedAssets:
    """A page, its total and its stats, read in one snapshot so they agree: of the assets the
    caller may view (``assets.view`` in one of their datazones, or everywhere)."""
    async with ctx.snapshot() as session:
        grants = await grants_of(session, claims)
        grants.require_granted("assets.view")
        filters = replace(filters, zones=grants.list_zones("assets.view"))
        shown, page = await list_page(session, claims.tenant_id, filters, query)
        stats = (
            await asset_queries.stats_of(session, claims.tenant_id, shown)
            if "stats" in query.include
            else None
        )
    return ListedAssets(shown, page, stats, grants)


async def get_asset(ctx: Collaborators, claims: Claims, asset_id: uuid.UUID, *, parentage: bool) -> FullAsset:
    async with ctx.snapshot() as session:
        grants = await grants_of(session, claims)
        grants.require_granted("assets.view")
        found = await asset_queries.asset(session, claims.tenant_id, asset_id)
        if found is None:
            raise AssetNotFound()
        grants.require("assets.view", found.datazone_ids)  # outside the caller's territory: 403
        links = await asset_queries.links_of(session, [found.id])
        chain = None
        if parentage:
            depth = ctx.settings.max_hierarchy_depth
            chain = tuple(await asset_queries.ancestors(session, claims.tenant_id, found, depth))
    return FullAsset(found, links[found.id], grants, chain)


def _apply(found: Asset, fields: AssetIn) -> None:
    found.name = fields.name
    found.description = fields.description
    found.type_id = fields.type_id
    found.entity_id = fields.entity_id
    found.parent_id = fields.parent_id
    found.phone = fields.phone
    found.floor_unit = fields.floor_unit
    found.year_built = fields.year_built
    found.building_floor = fields.building_floor
    found.num_floors_units = fields.num_floors_units
    found.strata = fields.strata
    found.is_hidden = fields.is_hidden
    # Seed 004: a non-null date suspends at the server's time; an asset already suspended keeps its.
    if fields.suspended_at is None:
        found.suspended_at = None
    elif found.suspended_at is None:
        found.suspended_at = now()
    apply_location(found, fields.address, fields.geo)


def _links(fields: AssetIn) -> AssetLinks:
    return AssetLinks(tuple(sorted(set(fields.party_ids))), tuple(sorted(set(fields.service_ids))))


async def create_asset(ctx: Collaborators, claims: Claims, fields: AssetIn) -> FullAsset:
    async with ctx.unit_of_work() as uow:
        grants = await grants_of(uow.session, claims)
        grants.require_granted("assets.create")
        await check_write(
            uow.session, claims.tenant_id, fields, current=None, max_depth=ctx.settings.max_hierarchy_depth
        )
        found = Asset(tenant_id=claims.tenant_id, name=fields.name)
        _apply(found, fields)
        uow.session.add(found)
        await uow.session.flush()
        links = _links(fields)
        await asset_queries.replace_links(uow.session, found, links.party_ids, links.service_ids)
        uow.publish(published.asset_created(found))
        forwarded = wants_new_links(fields.model_fields_set, fields.contract_ids, ())
        # Where the new asset lies decides whether the caller may create it: checked before
        # contracts is called, so a refused create writes nothing anywhere.
        zones = await place_asset(uow.session, found, contract_ids=fields.contract_ids if forwarded else None)
        grants.require("assets.create", zones)
        if forwarded:
            owned = await replace_links(
                ctx, uow.session, "assets", claims.tenant_id, found.id, fields.contract_ids
            )
            links = replace(links, contract_ids=owned)
        await uow.commit()
    return FullAsset(found, links, grants)


def _state(found: Asset, links: AssetLinks) -> tuple[Any, ...]:
    """What makes a new version of the asset (contract links are contracts', not the asset's)."""
    details = (found.description, found.phone, found.floor_unit, found.year_built, found.building_floor)
    own_links = (links.party_ids, links.service_ids)
    return published.asset_state(found), own_links, (*details, found.num_floors_units, found.strata)


async def replace_asset(
    ctx: Collaborators, claims: Claims, asset_id: uuid.UUID, fields: AssetIn
) -> FullAsset:
    """PUT: the whole object replaces the asset's fields. A PUT that changes nothing is not a
    new version and publishes nothing."""
    async with ctx.unit_of_work() as uow:
        grants = await grants_of(uow.session, claims)
        grants.require_granted("assets.update")
        # The tenant's tree (only when this replace moves, retypes or re-assigns the asset), then
        # the row: what the moves and creates beside it must see.
        found = await locked_for_replace(uow.session, claims.tenant_id, asset_id, fields)
        if found is None or found.deleted_at is not None:
            raise AssetNotFound()
        grants.require("assets.update", found.datazone_ids)
        current_links = (await asset_queries.links_of(uow.session, [found.id]))[found.id]
        await check_write(
            uow.session,
            claims.tenant_id,
            fields,
            current=found,
            current_links=current_links,
            max_depth=ctx.settings.max_hierarchy_depth,
        )
        before = _state(found, current_links)
        _apply(found, fields)
        links = replace(_links(fields), contract_ids=current_links.contract_ids)
        if _state(found, links) != before:
            found.version += 1
            found.updated_at = now()
            await asset_queries.replace_links(uow.session, found, links.party_ids, links.service_ids)
            uow.publish(published.asset_updated(found))
        forwarded = wants_new_links(fields.model_fields_set, fields.contract_ids, current_links.contract_ids)
        await place_asset(uow.session, found, contract_ids=fields.contract_ids if forwarded else None)
        if forwarded:
            # Contracts' write last, so every local check has passed; its failure rolls back all.
            owned = await replace_links(
                ctx, uow.session, "assets", claims.tenant_id, found.id, fields.contract_ids
            )
            links = replace(links, contract_ids=owned)
        await uow.commit()
    return FullAsset(found, links, grants)


async def delete_asset(ctx: Collaborators, claims: Claims, asset_id: uuid.UUID) -> None:
    """A soft delete. An asset that still contains live assets is not deleted (400
    ``eAssetHasChildren``): its children would be left under a parent nobody sees, so they are
    moved or deleted first. Deleting a deleted asset again changes nothing."""
    async with ctx.unit_of_work() as uow:
        grants = await grants_of(uow.session, claims)
        grants.require_granted("assets.delete")
        # The tree, then the row: every write takes them in this order, so none can deadlock.
        await asset_queries.lock_hierarchy(uow.session, claims.tenant_id)
        found = await asset_queries.asset_for_update(uow.session, claims.tenant_id, asset_id)
        if found is None:
            raise AssetNotFound()
        grants.require("assets.delete", found.datazone_ids)
        if found.deleted_at is None:
            if await asset_queries.has_live_children(uow.session, claims.tenant_id, found.id):
                raise AssetHasChildren()
            found.deleted_at = found.updated_at = now()
            found.version += 1
            uow.publish(published.asset_deleted(found))
        await uow.commit()
