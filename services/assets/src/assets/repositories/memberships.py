"""What datazone membership looks at, read in bulk: each asset's point, address, entity, its
entity's industry and the contracts linking it; each entity's addresses, industry and
contracts (the iam design: an entity has no point of its own). ``Candidates`` narrows the
rows to those a datazone change can move in or out."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Uuid, and_, func, literal, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from assets.repositories.asset_records import Asset
from assets.repositories.contract_replica import ContractAsset, ContractEntity
from assets.repositories.entity_records import Entity
from proximity.access.territory import Locatable


@dataclass(frozen=True, slots=True)
class Candidates:
    """Rows to test: those in ``zone_id`` now, or whose point lies in one of ``boxes``, or that
    name one of the entities, contracts or industries; ``by_address``: every row with an address.
    ``everything``: no narrowing (a list of ids, or the whole tenant)."""

    zone_id: uuid.UUID | None = None
    boxes: Sequence[tuple[float, float, float, float]] = ()
    entity_ids: Collection[uuid.UUID] = ()
    contract_ids: Collection[uuid.UUID] = ()
    industry_ids: Collection[uuid.UUID] = ()
    by_address: bool = False
    ids: Collection[uuid.UUID] | None = None
    everything: bool = False


def _uuids(ids: Collection[uuid.UUID]) -> Any:
    return literal(sorted(ids), ARRAY(Uuid()))


def _asset_conditions(tenant_id: uuid.UUID, wanted: Candidates) -> ColumnElement[bool]:
    base = col(Asset.tenant_id) == tenant_id
    if wanted.ids is not None:
        return and_(base, col(Asset.id).in_(sorted(wanted.ids)))
    if wanted.everything:
        return base
    either: list[ColumnElement[bool]] = []
    if wanted.zone_id is not None:
        either.append(col(Asset.datazone_ids).op("@>")(_uuids([wanted.zone_id])))
    for min_long, min_lat, max_long, max_lat in wanted.boxes:
        either.append(
            and_(
                col(Asset.point_long).between(min_long, max_long),
                col(Asset.point_lat).between(min_lat, max_lat),
            )
        )
    if wanted.entity_ids:
        either.append(col(Asset.entity_id).in_(sorted(wanted.entity_ids)))
    if wanted.contract_ids:
        either.append(
            col(Asset.id).in_(
                select(col(ContractAsset.asset_id)).where(
                    col(ContractAsset.tenant_id) == tenant_id,
                    col(ContractAsset.contract_id).in_(sorted(wanted.contract_ids)),
                    col(ContractAsset.linked),
                )
            )
        )
    if wanted.industry_ids:
        either.append(
            col(Asset.entity_id).in_(
                select(col(Entity.id)).where(
                    col(Entity.tenant_id) == tenant_id,
                    col(Entity.industry_id).in_(sorted(wanted.industry_ids)),
                )
            )
        )
    if wanted.by_address:
        either.append(col(Asset.address).is_not(None))
    return and_(base, or_(*either)) if either else and_(base, literal(False))


def _entity_conditions(tenant_id: uuid.UUID, wanted: Candidates) -> ColumnElement[bool]:
    base = col(Entity.tenant_id) == tenant_id
    if wanted.ids is not None:
        return and_(base, col(Entity.id).in_(sorted(wanted.ids)))
    if wanted.everything:
        return base
    either: list[ColumnElement[bool]] = []
    if wanted.zone_id is not None:
        either.append(col(Entity.datazone_ids).op("@>")(_uuids([wanted.zone_id])))
    if wanted.entity_ids:
        either.append(col(Entity.id).in_(sorted(wanted.entity_ids)))
    if wanted.contract_ids:
        either.append(
            col(Entity.id).in_(
                select(col(ContractEntity.entity_id)).where(
                    col(ContractEntity.tenant_id) == tenant_id,
                    col(ContractEntity.contract_id).in_(sorted(wanted.contract_ids)),
                    col(ContractEntity.linked),
                )
            )
        )
    if wanted.industry_ids:
        either.append(col(Entity.industry_id).in_(sorted(wanted.industry_ids)))
    if wanted.by_address:
        either.append(func.jsonb_array_length(col(Entity.addresses)) > 0)
    return and_(base, or_(*either)) if either else and_(base, literal(False))


async def asset_places(
    session: AsyncSession, tenant_id: uuid.UUID, wanted: Candidates
) -> list[tuple[uuid.UUID, Locatable]]:
    linking = (
        select(func.array_agg(col(ContractAsset.contract_id)))
        .where(
            col(ContractAsset.asset_id) == col(Asset.id),
            col(ContractAsset.tenant_id) == tenant_id,
            col(ContractAsset.linked),
        )
        .scalar_subquery()
    )
    query = (
        select(
            col(Asset.id),
            col(Asset.point_long),
            col(Asset.point_lat),
            col(Asset.address),
            col(Asset.entity_id),
            col(Entity.industry_id),
            linking,
        )
        .outerjoin(Entity, and_(col(Entity.id) == col(Asset.entity_id), col(Entity.tenant_id) == tenant_id))
        .where(_asset_conditions(tenant_id, wanted))
        .order_by(col(Asset.id))
    )
    places = []
    for row in (await session.execute(query)).all():
        asset_id, long, lat, address, entity_id, industry_id, contracts = row
        places.append(
            (
                asset_id,
                Locatable(
                    point=(long, lat) if long is not None and lat is not None else None,
                    addresses=(address,) if address else (),
                    entity_ids=frozenset({entity_id}) if entity_id else frozenset(),
                    contract_ids=frozenset(contracts or ()),
                    industry_ids=frozenset({industry_id}) if industry_id else frozenset(),
                ),
            )
        )
    return places


async def entity_places(
    session: AsyncSession, tenant_id: uuid.UUID, wanted: Candidates
) -> list[tuple[uuid.UUID, Locatable]]:
    linking = (
        select(func.array_agg(col(ContractEntity.contract_id)))
        .where(
            col(ContractEntity.entity_id) == col(Entity.id),
            col(ContractEntity.tenant_id) == tenant_id,
            col(ContractEntity.linked),
        )
        .scalar_subquery()
    )
    query = (
        select(col(Entity.id), col(Entity.addresses), col(Entity.industry_id), linking)
        .where(_entity_conditions(tenant_id, wanted))
        .order_by(col(Entity.id))
    )
    places = []
    for entity_id, addresses, industry_id, contracts in (await session.execute(query)).all():
        places.append(
            (
                entity_id,
                Locatable(
                    addresses=tuple(addresses or ()),
                    entity_ids=frozenset({entity_id}),
                    contract_ids=frozenset(contracts or ()),
                    industry_ids=frozenset({industry_id}) if industry_id else frozenset(),
                ),
            )
        )
    return places
