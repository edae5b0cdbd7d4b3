"""``PATCH /assets``: move, assign, suspend, delete and restore many assets at once.

Each row succeeds or fails on its own (seed 004 "Batch Error Output"): a malformed row, an
unknown id, a broken rule or a missing permission becomes ``{id, code, msg}``, and every other
row still applies. A row runs in a savepoint, so a failure leaves none of its changes behind.
A row is checked with the same rules as ``PUT`` (its whole state after the change), so a move
meets the type, cycle and depth checks, and a delete the children check.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from assets.bootstrap import Collaborators
from assets.errors import AssetHasChildren, AssetNotFound
from assets.events import published
from assets.repositories import asset_queries
from assets.repositories.asset_queries import AssetLinks
from assets.repositories.asset_records import Asset
from assets.schemas.asset_batch import AssetPatch
from assets.schemas.assets import AssetIn
from assets.services.asset_rules import check_write
from assets.services.contract_links import change_links
from assets.services.territories import grants_of, place_asset
from proximity.access.grants import Grants
from proximity.auth.claims import Claims
from proximity.batch_patch import BatchOutcome, BatchPlan, patch_rows
from proximity.db.columns import now
from proximity.events.envelope import Event

_TREE_FIELDS = frozenset({"parent_id", "entity_id", "deleted_at"})


def _changed_links(links: AssetLinks, patch: AssetPatch) -> AssetLinks:
    parties, services = set(links.party_ids), set(links.service_ids)
    if patch.party_id_assign is not None:
        parties.add(patch.party_id_assign)
    if patch.party_id_unassign is not None:
        parties.discard(patch.party_id_unassign)
    if patch.service_id_assign is not None:
        services.add(patch.service_id_assign)
    if patch.service_id_unassign is not None:
        services.discard(patch.service_id_unassign)
    return AssetLinks(tuple(sorted(parties)), tuple(sorted(services)), links.contract_ids)


def _as_written(found: Asset, links: AssetLinks, patch: AssetPatch) -> AssetIn:
    """The whole asset as the row would leave it, for the rules ``PUT`` checks."""
    given = patch.model_fields_set
    geo = None
    if found.geo_wkt is not None or found.geo_lat is not None:
        geo = {"lat": found.geo_lat, "long": found.geo_long, "radius": found.geo_radius, "wkt": found.geo_wkt}
    return AssetIn.model_validate(
        {
            "name": found.name,
            "description": found.description,
            "type_id": found.type_id,
            "entity_id": patch.entity_id if "entity_id" in given else found.entity_id,
            "parent_id": patch.parent_id if "parent_id" in given else found.parent_id,
            "party_ids": list(links.party_ids),
            "service_ids": list(links.service_ids),
            "address": found.address,
            "geo": geo,
        }
    )


async def _apply_row(
    ctx: Collaborators, session: Any, claims: Claims, grants: Grants, found: Asset, patch: AssetPatch
) -> Event | None:
    given = patch.model_fields_set
    # The tags on the asset as it is (its datazones): a row outside the caller's territory fails.
    grants.require("assets.update", found.datazone_ids)
    if "deleted_at" in given:
        grants.require("assets.delete", found.datazone_ids)
    was_deleted = found.deleted_at is not None
    if was_deleted and not ("deleted_at" in given and patch.deleted_at is None):
        raise AssetNotFound()  # a deleted asset can only be restored
    links = (await asset_queries.links_of(session, [found.id]))[found.id]
    new_links = _changed_links(links, patch)
    moved = bool({"parent_id", "entity_id"} & given) or new_links != links
    changed = moved or was_deleted
    if moved:
        fields = _as_written(found, new_links, patch)
        await check_write(
            session,
            claims.tenant_id,
            fields,
            current=found,
            current_links=links,
            max_depth=ctx.settings.max_hierarchy_depth,
        )
        found.parent_id, found.entity_id = fields.parent_id, fields.entity_id
        if new_links != links:
            await asset_queries.replace_links(session, found, new_links.party_ids, new_links.service_ids)
    stamp = now()
    if "suspended_at" in given and (patch.suspended_at is None) != (found.suspended_at is None):
        found.suspended_at = stamp if patch.suspended_at is not None else None
        changed = True
    if was_deleted:
        found.deleted_at = None
    elif "deleted_at" in given and patch.deleted_at is not None:
        await asset_queries.lock_hierarchy(session, claims.tenant_id)
        if await asset_queries.has_live_children(session, claims.tenant_id, found.id):
            raise AssetHasChildren()
        found.deleted_at = stamp
        changed = True
    event: Event | None = None  # already as asked: no new version
    if changed:
        found.version += 1
        found.updated_at = stamp
        await session.flush()
        event = published.asset_deleted(found) if found.deleted_at else published.asset_updated(found)
    if patch.contract_id_assign is not None or patch.contract_id_unassign is not None:
        # Contracts' write last, once the row's own checks passed; its failure rolls the row
        # back. Contract links are contracts', not a new version of the asset.
        await change_links(
            ctx,
            session,
            "assets",
            claims.tenant_id,
            found.id,
            assign=patch.contract_id_assign,
            unassign=patch.contract_id_unassign,
        )
    if moved or patch.contract_id_assign is not None or patch.contract_id_unassign is not None:
        await place_asset(session, found)  # a new entity or contract can move it between zones
    return event


async def patch_assets(
    ctx: Collaborators, claims: Claims, rows: Sequence[Any]
) -> tuple[BatchOutcome[Asset], Grants]:
    """The outcome, and the caller's grants (what each applied row's ``__permissions__`` shows)."""
    async with ctx.reading() as session:
        grants = await grants_of(session, claims)
    grants.require_granted("assets.update")

    async def tree(session: AsyncSession, patches: Sequence[AssetPatch]) -> None:
        # The tenant's tree, then the rows, as every write (none can deadlock another); only
        # moves, entity changes, deletes and restores need the tree (``reshapes_tree``).
        if any(_TREE_FIELDS & patch.model_fields_set for patch in patches):
            await asset_queries.lock_hierarchy(session, claims.tenant_id)

    async def lock(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, Asset]:
        return await asset_queries.assets_for_update(session, claims.tenant_id, ids)

    async def apply(session: AsyncSession, found: Asset, patch: AssetPatch) -> Event | None:
        return await _apply_row(ctx, session, claims, grants, found, patch)

    plan = BatchPlan(AssetPatch, "assets.delete", AssetNotFound, lock, apply, before_lock=tree)
    return await patch_rows(ctx.unit_of_work, claims, rows, plan), grants
