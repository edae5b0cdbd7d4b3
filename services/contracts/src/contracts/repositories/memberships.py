"""What datazone membership looks at for contracts, read in bulk: each contract's id, the
entities it links and their industries (as assets announced them). A contract has no point
and no address: geo zones take it only by their ``entity_ids`` / ``contract_ids``.
``Candidates`` narrows the rows to those a datazone change can move in or out."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Uuid, and_, func, literal, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from contracts.repositories.asset_replica import ReplicatedEntity
from contracts.repositories.contract_records import Contract, ContractEntity
from proximity.access.territory import Locatable


@dataclass(frozen=True, slots=True)
class Candidates:
    """Contracts to test: those in ``zone_id`` now, or that are one of ``contract_ids``, or
    link one of ``entity_ids`` or an entity of one of ``industry_ids``; ``ids``: exactly these."""

    zone_id: uuid.UUID | None = None
    contract_ids: Collection[uuid.UUID] = ()
    entity_ids: Collection[uuid.UUID] = ()
    industry_ids: Collection[uuid.UUID] = ()
    ids: Collection[uuid.UUID] | None = None


def _uuids(ids: Collection[uuid.UUID]) -> Any:
    return literal(sorted(ids), ARRAY(Uuid()))


def _linking(tenant_id: uuid.UUID, entity_ids: Collection[uuid.UUID]) -> Any:
    return select(col(ContractEntity.contract_id)).where(
        col(ContractEntity.tenant_id) == tenant_id, col(ContractEntity.entity_id).in_(sorted(entity_ids))
    )


def _conditions(tenant_id: uuid.UUID, wanted: Candidates) -> ColumnElement[bool]:
    base = col(Contract.tenant_id) == tenant_id
    if wanted.ids is not None:
        return and_(base, col(Contract.id).in_(sorted(wanted.ids)))
    either: list[ColumnElement[bool]] = []
    if wanted.zone_id is not None:
        either.append(col(Contract.datazone_ids).op("@>")(_uuids([wanted.zone_id])))
    if wanted.contract_ids:
        either.append(col(Contract.id).in_(sorted(wanted.contract_ids)))
    if wanted.entity_ids:
        either.append(col(Contract.id).in_(_linking(tenant_id, wanted.entity_ids)))
    if wanted.industry_ids:
        of_industries = select(col(ReplicatedEntity.entity_id)).where(
            col(ReplicatedEntity.tenant_id) == tenant_id,
            col(ReplicatedEntity.industry_id).in_(sorted(wanted.industry_ids)),
        )
        either.append(
            col(Contract.id).in_(
                select(col(ContractEntity.contract_id)).where(
                    col(ContractEntity.tenant_id) == tenant_id,
                    col(ContractEntity.entity_id).in_(of_industries),
                )
            )
        )
    return and_(base, or_(*either)) if either else and_(base, literal(False))


async def contract_places(
    session: AsyncSession, tenant_id: uuid.UUID, wanted: Candidates
) -> list[tuple[uuid.UUID, Locatable]]:
    entities = (
        select(func.array_agg(col(ContractEntity.entity_id)))
        .where(col(ContractEntity.contract_id) == col(Contract.id))
        .scalar_subquery()
    )
    industries = (
        select(func.array_agg(col(ReplicatedEntity.industry_id)))
        .join(ContractEntity, col(ContractEntity.entity_id) == col(ReplicatedEntity.entity_id))
        .where(
            col(ContractEntity.contract_id) == col(Contract.id),
            col(ReplicatedEntity.tenant_id) == tenant_id,
            col(ReplicatedEntity.industry_id).is_not(None),
        )
        .scalar_subquery()
    )
    query = (
        select(col(Contract.id), entities, industries)
        .where(_conditions(tenant_id, wanted))
        .order_by(col(Contract.id))
    )
    return [
        (contract_id, contract_place(contract_id, linked or (), industry_ids or ()))
        for contract_id, linked, industry_ids in (await session.execute(query)).all()
    ]


def contract_place(
    contract_id: uuid.UUID, entity_ids: Collection[uuid.UUID], industry_ids: Collection[uuid.UUID]
) -> Locatable:
    """The iam design: a contract is itself, its entities and those entities' industries."""
    return Locatable(
        contract_ids=frozenset({contract_id}),
        entity_ids=frozenset(entity_ids),
        industry_ids=frozenset(industry_ids),
    )
