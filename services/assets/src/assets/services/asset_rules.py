"""The checks an asset write must pass before it is saved: its type, its parent and place in
the tree, and the ids it names. Run inside the write's unit of work; a write that reshapes the
tree (``reshapes_tree``) holds the tenant's tree lock, so no concurrent move can invalidate them."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from assets.domain.asset_types import TypeRules
from assets.domain.hierarchy import check_move
from assets.domain.placement import Placement, check_placement, check_type_change, parent_type_of
from assets.errors import (
    AssetTypeNotFound,
    EntityNotFound,
    MissingParties,
    MissingServices,
    ParentNotFound,
    ParentNotPermitted,
)
from assets.repositories import asset_queries, asset_types
from assets.repositories.asset_queries import AssetLinks
from assets.repositories.asset_records import Asset
from assets.repositories.contract_replica import missing_services
from assets.repositories.entity_queries import is_live_entity
from assets.repositories.party_replica import missing_parties
from assets.schemas.assets import AssetIn


def reshapes_tree(current: Asset, fields: AssetIn) -> bool:
    """Whether writing ``fields`` over ``current`` needs the tenant's tree lock: a new parent or
    type (the only changes that can make a cycle, break the depth or leave children under a type
    that does not take them), or a new entity (the two entities' counters would otherwise be
    locked in opposite orders by two crossing writes: a deadlock)."""
    return (fields.parent_id, fields.type_id, fields.entity_id) != (
        current.parent_id,
        current.type_id,
        current.entity_id,
    )


async def locked_for_replace(
    session: AsyncSession, tenant_id: uuid.UUID, asset_id: uuid.UUID, fields: AssetIn
) -> Asset | None:
    """The asset to replace, row-locked, with the tenant's tree locked before it when the write
    reshapes the tree (tree, then rows, as every write: none can deadlock another). Decided on a
    plain read and checked again on the locked row: when a write committed in between makes
    this one reshape the tree, the row lock is given back (its savepoint rolled back) and both
    are taken in order."""
    seen = await asset_queries.asset(session, tenant_id, asset_id)
    if seen is None:
        return None
    if not reshapes_tree(seen, fields):
        savepoint = await session.begin_nested()
        found = await asset_queries.asset_for_update(session, tenant_id, asset_id)
        if found is not None and not reshapes_tree(found, fields):
            await savepoint.commit()
            return found
        await savepoint.rollback()
    await asset_queries.lock_hierarchy(session, tenant_id)
    return await asset_queries.asset_for_update(session, tenant_id, asset_id)


async def check_write(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    fields: AssetIn,
    *,
    current: Asset | None,
    max_depth: int,
    current_links: AssetLinks | None = None,
) -> None:
    """``current``: the asset being replaced (locked, with the tree locked before it when the
    write reshapes the tree), None for a new one; ``current_links``: its parties, which stay
    assignable even if identity has deleted them since."""
    types = await asset_types.rules_of(session, tenant_id)
    rules = _type_rules(types, fields.type_id)
    parent_type: TypeRules | None = None
    if fields.parent_id is not None:
        if current is None:  # a new child: the parent's retype or delete must see it
            await asset_queries.lock_hierarchy(session, tenant_id)
        parent = await asset_queries.live_asset(session, tenant_id, fields.parent_id)
        if parent is None:
            raise ParentNotFound()
        parent_type = parent_type_of(types, parent.type_id)
    placement = Placement(
        parent_type=parent_type,
        has_parent=fields.parent_id is not None,
        has_address=fields.address is not None,
        has_geo=fields.geo is not None,
        has_entity=fields.entity_id is not None,
        has_assigned=bool(fields.party_ids or fields.service_ids),
    )
    check_placement(rules, placement)
    if current is not None:
        check_type_change(_type_rules(types, current.type_id), rules)
        if fields.type_id != current.type_id:
            await _children_still_fit(session, tenant_id, current.id, types, fields.type_id)
    if fields.parent_id is not None:
        chain = await asset_queries.parent_chain(session, tenant_id, fields.parent_id, max_depth + 1)
        height = 1
        if current is not None:
            height = await asset_queries.subtree_height(session, tenant_id, current.id, max_depth + 1)
        check_move(current.id if current else None, chain, height, max_depth)
    await _named_ids_exist(session, tenant_id, fields, current_links, current.entity_id if current else None)


def _type_rules(types: dict[uuid.UUID, TypeRules], type_id: uuid.UUID | None) -> TypeRules | None:
    if type_id is None:
        return None
    found = types.get(type_id)
    if found is None:
        raise AssetTypeNotFound()
    return found


async def _children_still_fit(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    asset_id: uuid.UUID,
    types: dict[uuid.UUID, TypeRules],
    new_type_id: uuid.UUID | None,
) -> None:
    for child_type_id in await asset_queries.child_type_ids(session, tenant_id, asset_id):
        child = types.get(child_type_id) if child_type_id is not None else None
        if child is not None and new_type_id not in child.allow_parents:
            raise ParentNotPermitted("The asset's children may not sit under an asset of the new type.")


async def _named_ids_exist(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    fields: AssetIn,
    current: AssetLinks | None,
    current_entity: uuid.UUID | None,
) -> None:
    """What the asset already names stays valid after its owner deletes it; new ids must exist."""
    if (
        fields.entity_id is not None
        and fields.entity_id != current_entity
        and not await is_live_entity(session, tenant_id, fields.entity_id)
    ):
        raise EntityNotFound()
    added_parties = set(fields.party_ids) - set(current.party_ids if current else ())
    if await missing_parties(session, tenant_id, added_parties):
        raise MissingParties()
    added_services = set(fields.service_ids) - set(current.service_ids if current else ())
    if await missing_services(session, tenant_id, added_services):
        raise MissingServices()
