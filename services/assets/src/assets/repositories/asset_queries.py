"""Tenant-scoped reads and writes of one asset: by id, locked for a change, its place in the
tree, and its assigned parties and services (and the contracts linking it, from the replica)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, delete, exists, func, literal, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from assets.repositories.asset_records import Asset, AssetParty, AssetService
from assets.repositories.contract_replica import ContractAsset


@dataclass(frozen=True, slots=True)
class AssetLinks:
    party_ids: tuple[uuid.UUID, ...]
    service_ids: tuple[uuid.UUID, ...]
    # Contracts' links, as last announced or answered by contracts (never written here).
    contract_ids: tuple[uuid.UUID, ...] = ()


async def asset(session: AsyncSession, tenant_id: uuid.UUID, asset_id: uuid.UUID) -> Asset | None:
    """One asset, deleted ones too (naming an id asks for it explicitly, seed 004)."""
    query = select(Asset).where(col(Asset.tenant_id) == tenant_id, col(Asset.id) == asset_id)
    found: Asset | None = (await session.execute(query)).scalar_one_or_none()
    return found


async def asset_for_update(session: AsyncSession, tenant_id: uuid.UUID, asset_id: uuid.UUID) -> Asset | None:
    query = (
        select(Asset)
        .where(col(Asset.tenant_id) == tenant_id, col(Asset.id) == asset_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    found: Asset | None = (await session.execute(query)).scalar_one_or_none()
    return found


async def live_asset(session: AsyncSession, tenant_id: uuid.UUID, asset_id: uuid.UUID) -> Asset | None:
    found = await asset(session, tenant_id, asset_id)
    return found if found is not None and found.deleted_at is None else None


async def lock_hierarchy(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Changes to one tenant's tree take turns: two concurrent moves (A under B, B under A)
    would each pass the cycle check alone. Held to the end of the transaction. Taken before any
    asset row lock (a move's foreign key check waits on its parent's row, so taking rows first
    deadlocks two crossing moves)."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": f"assets-tree:{tenant_id}"}
    )


async def parent_chain(
    session: AsyncSession, tenant_id: uuid.UUID, parent_id: uuid.UUID, limit: int
) -> list[uuid.UUID]:
    """``parent_id`` and its ancestors, nearest first, at most ``limit`` of them (a deeper
    chain is already too deep; the bound also stops a walk in a corrupted, cyclic tree)."""
    chain = (
        select(col(Asset.id), col(Asset.parent_id), literal(1).label("depth"))
        .where(col(Asset.tenant_id) == tenant_id, col(Asset.id) == parent_id)
        .cte("chain", recursive=True)
    )
    step = (
        select(col(Asset.id), col(Asset.parent_id), (chain.c.depth + 1).label("depth"))
        .join(chain, col(Asset.id) == chain.c.parent_id)
        .where(col(Asset.tenant_id) == tenant_id, chain.c.depth < limit)
    )
    chain = chain.union_all(step)
    rows = await session.execute(select(chain.c.id).order_by(chain.c.depth))
    return list(rows.scalars())


async def subtree_height(session: AsyncSession, tenant_id: uuid.UUID, asset_id: uuid.UUID, limit: int) -> int:
    """Levels spanned by the asset and its live descendants (1 for a leaf), counted up to ``limit``."""
    tree = (
        select(col(Asset.id), literal(1).label("level"))
        .where(col(Asset.tenant_id) == tenant_id, col(Asset.id) == asset_id)
        .cte("tree", recursive=True)
    )
    step = (
        select(col(Asset.id), (tree.c.level + 1).label("level"))
        .join(tree, col(Asset.parent_id) == tree.c.id)
        .where(col(Asset.tenant_id) == tenant_id, col(Asset.deleted_at).is_(None), tree.c.level < limit)
    )
    tree = tree.union_all(step)
    height = (await session.execute(select(func.max(tree.c.level)))).scalar_one()
    return int(height or 1)


async def has_live_children(session: AsyncSession, tenant_id: uuid.UUID, asset_id: uuid.UUID) -> bool:
    query = select(
        exists().where(
            col(Asset.tenant_id) == tenant_id,
            col(Asset.parent_id) == asset_id,
            col(Asset.deleted_at).is_(None),
        )
    )
    return bool((await session.execute(query)).scalar_one())


async def links_of(session: AsyncSession, asset_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, AssetLinks]:
    parties: dict[uuid.UUID, list[uuid.UUID]] = {asset_id: [] for asset_id in asset_ids}
    services: dict[uuid.UUID, list[uuid.UUID]] = {asset_id: [] for asset_id in asset_ids}
    contracts: dict[uuid.UUID, list[uuid.UUID]] = {asset_id: [] for asset_id in asset_ids}
    if asset_ids:
        party_rows = await session.execute(
            select(col(AssetParty.asset_id), col(AssetParty.party_id))
            .where(col(AssetParty.asset_id).in_(asset_ids))
            .order_by(col(AssetParty.party_id))
        )
        for asset_id, party_id in party_rows.all():
            parties[asset_id].append(party_id)
        service_rows = await session.execute(
            select(col(AssetService.asset_id), col(AssetService.service_id))
            .where(col(AssetService.asset_id).in_(asset_ids))
            .order_by(col(AssetService.service_id))
        )
        for asset_id, service_id in service_rows.all():
            services[asset_id].append(service_id)
        contract_rows = await session.execute(
            select(col(ContractAsset.asset_id), col(ContractAsset.contract_id))
            .join(
                Asset,
                and_(
                    col(Asset.id) == col(ContractAsset.asset_id),
                    col(Asset.tenant_id) == col(ContractAsset.tenant_id),
                ),
            )
            .where(col(ContractAsset.asset_id).in_(asset_ids), col(ContractAsset.linked))
            .order_by(col(ContractAsset.contract_id))
        )
        for asset_id, contract_id in contract_rows.all():
            contracts[asset_id].append(contract_id)
    return {a: AssetLinks(tuple(parties[a]), tuple(services[a]), tuple(contracts[a])) for a in asset_ids}


async def replace_links(
    session: AsyncSession,
    found: Asset,
    party_ids: Sequence[uuid.UUID],
    service_ids: Sequence[uuid.UUID],
) -> None:
    await session.execute(delete(AssetParty).where(col(AssetParty.asset_id) == found.id))
    await session.execute(delete(AssetService).where(col(AssetService.asset_id) == found.id))
    session.add_all(AssetParty(asset_id=found.id, party_id=p, tenant_id=found.tenant_id) for p in party_ids)
    session.add_all(
        AssetService(asset_id=found.id, service_id=s, tenant_id=found.tenant_id) for s in service_ids
    )


async def child_type_ids(
    session: AsyncSession, tenant_id: uuid.UUID, asset_id: uuid.UUID
) -> set[uuid.UUID | None]:
    """The types of the asset's live children (None: an untyped child)."""
    query = (
        select(col(Asset.type_id))
        .where(
            col(Asset.tenant_id) == tenant_id,
            col(Asset.parent_id) == asset_id,
            col(Asset.deleted_at).is_(None),
        )
        .distinct()
    )
    return set((await session.execute(query)).scalars())


async def assets_for_update(
    session: AsyncSession, tenant_id: uuid.UUID, asset_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Asset]:
    query = (
        select(Asset)
        .where(col(Asset.tenant_id) == tenant_id, col(Asset.id).in_(asset_ids))
        .order_by(col(Asset.id))  # one lock order, so two batches cannot deadlock
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {found.id: found for found in (await session.execute(query)).scalars()}


@dataclass(frozen=True, slots=True)
class AssetStats:
    contracts: int
    services: int
    assets: int
    entities: int


async def stats_of(
    session: AsyncSession, tenant_id: uuid.UUID, shown: Sequence[Asset]
) -> dict[uuid.UUID, AssetStats]:
    """Per asset: the contracts linking it (the counter the replica keeps), its services, its
    live child assets, its entity (0 or 1). Counted for the page's rows only."""
    ids = [found.id for found in shown]
    services: dict[uuid.UUID, int] = {}
    children: dict[uuid.UUID, int] = {}
    if ids:
        rows = await session.execute(
            select(col(AssetService.asset_id), func.count())
            .where(col(AssetService.asset_id).in_(ids))
            .group_by(col(AssetService.asset_id))
        )
        services = {asset_id: count for asset_id, count in rows.all()}
        rows = await session.execute(
            select(col(Asset.parent_id), func.count())
            .where(
                col(Asset.tenant_id) == tenant_id,
                col(Asset.parent_id).in_(ids),
                col(Asset.deleted_at).is_(None),
            )
            .group_by(col(Asset.parent_id))
        )
        children = {parent_id: count for parent_id, count in rows.all()}
    return {
        found.id: AssetStats(
            found.total_contracts,
            services.get(found.id, 0),
            children.get(found.id, 0),
            1 if found.entity_id is not None else 0,
        )
        for found in shown
    }


async def ancestors(session: AsyncSession, tenant_id: uuid.UUID, found: Asset, limit: int) -> list[Asset]:
    """The asset's parent, its parent's parent ... up to the top (at most ``limit``)."""
    if found.parent_id is None:
        return []
    chain = await parent_chain(session, tenant_id, found.parent_id, limit)
    rows = await session.execute(
        select(Asset).where(col(Asset.tenant_id) == tenant_id, col(Asset.id).in_(chain))
    )
    by_id = {row.id: row for row in rows.scalars()}
    return [by_id[asset_id] for asset_id in chain if asset_id in by_id]
