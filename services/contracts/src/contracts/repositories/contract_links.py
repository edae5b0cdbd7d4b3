"""A contract's links to assets, entities, parties and services: read, replaced as a whole
(only the rows that change are written), and found from the linked object's side.

The contract's ``total_assets`` / ``total_entities`` are recounted in the same transaction, under
the contract row's lock every writer takes first (``contract_queries``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from contracts.repositories.contract_records import (
    Contract,
    ContractAsset,
    ContractEntity,
    ContractParty,
    ContractService,
)

LinkKind = Literal["assets", "entities", "parties", "services"]

# Each kind's table and the column naming the linked object.
_TABLES: dict[LinkKind, tuple[Any, str]] = {
    "assets": (ContractAsset, "asset_id"),
    "entities": (ContractEntity, "entity_id"),
    "parties": (ContractParty, "party_id"),
    "services": (ContractService, "service_id"),
}


@dataclass(frozen=True, slots=True)
class ContractLinks:
    """Sorted, without repeats."""

    asset_ids: tuple[uuid.UUID, ...] = ()
    entity_ids: tuple[uuid.UUID, ...] = ()
    party_ids: tuple[uuid.UUID, ...] = ()
    service_ids: tuple[uuid.UUID, ...] = ()

    def of(self, kind: LinkKind) -> tuple[uuid.UUID, ...]:
        return {
            "assets": self.asset_ids,
            "entities": self.entity_ids,
            "parties": self.party_ids,
            "services": self.service_ids,
        }[kind]

    def with_kind(self, kind: LinkKind, ids: Sequence[uuid.UUID] | set[uuid.UUID]) -> ContractLinks:
        values = {k: self.of(k) for k in _TABLES}
        values[kind] = tuple(sorted(set(ids)))
        return ContractLinks(values["assets"], values["entities"], values["parties"], values["services"])


def links(
    *,
    asset_ids: Sequence[uuid.UUID] = (),
    entity_ids: Sequence[uuid.UUID] = (),
    party_ids: Sequence[uuid.UUID] = (),
    service_ids: Sequence[uuid.UUID] = (),
) -> ContractLinks:
    return ContractLinks(
        tuple(sorted(set(asset_ids))),
        tuple(sorted(set(entity_ids))),
        tuple(sorted(set(party_ids))),
        tuple(sorted(set(service_ids))),
    )


async def _ids(session: AsyncSession, kind: LinkKind, contract_id: uuid.UUID) -> tuple[uuid.UUID, ...]:
    table, column = _TABLES[kind]
    query = select(col(getattr(table, column))).where(col(table.contract_id) == contract_id)
    return tuple(sorted((await session.execute(query)).scalars()))


async def links_of(session: AsyncSession, contract_id: uuid.UUID) -> ContractLinks:
    return ContractLinks(
        await _ids(session, "assets", contract_id),
        await _ids(session, "entities", contract_id),
        await _ids(session, "parties", contract_id),
        await _ids(session, "services", contract_id),
    )


async def links_of_many(
    session: AsyncSession, contract_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, ContractLinks]:
    """The links of several contracts in one query per kind."""
    found: dict[uuid.UUID, dict[LinkKind, list[uuid.UUID]]] = {c: {} for c in contract_ids}
    if not contract_ids:
        return {}
    for kind, (table, column) in _TABLES.items():
        query = select(col(table.contract_id), col(getattr(table, column))).where(
            col(table.contract_id).in_(list(contract_ids))
        )
        for contract_id, object_id in (await session.execute(query)).all():
            found[contract_id].setdefault(kind, []).append(object_id)
    return {
        contract_id: links(
            asset_ids=kinds.get("assets", ()),
            entity_ids=kinds.get("entities", ()),
            party_ids=kinds.get("parties", ()),
            service_ids=kinds.get("services", ()),
        )
        for contract_id, kinds in found.items()
    }


async def replace_links(session: AsyncSession, found: Contract, wanted: ContractLinks) -> bool:
    """Afterwards the contract links exactly ``wanted``. Returns whether anything changed."""
    changed = False
    for kind, (table, column) in _TABLES.items():
        current = set(await _ids(session, kind, found.id))
        target = set(wanted.of(kind))
        gone, added = current - target, target - current
        if gone:
            await session.execute(
                delete(table).where(
                    col(table.contract_id) == found.id, col(getattr(table, column)).in_(sorted(gone))
                )
            )
        if added:
            rows = [{"contract_id": found.id, column: i, "tenant_id": found.tenant_id} for i in sorted(added)]
            await session.execute(insert(table).values(rows).on_conflict_do_nothing())
        changed = changed or bool(gone or added)
    if changed:
        found.total_assets = len(wanted.asset_ids)
        found.total_entities = len(wanted.entity_ids)
    return changed


async def contracts_linking(
    session: AsyncSession, tenant_id: uuid.UUID, kind: LinkKind, object_id: uuid.UUID
) -> list[uuid.UUID]:
    """The live contracts of the tenant that link the object, sorted."""
    table, column = _TABLES[kind]
    query = (
        select(col(table.contract_id))
        .join(Contract, col(Contract.id) == col(table.contract_id))
        .where(
            col(getattr(table, column)) == object_id,
            col(Contract.tenant_id) == tenant_id,
            col(Contract.deleted_at).is_(None),
        )
        .order_by(col(table.contract_id))
    )
    return list((await session.execute(query)).scalars())


async def recount(session: AsyncSession, contract_ids: Sequence[uuid.UUID]) -> None:
    """``total_assets`` / ``total_entities`` of these contracts, from their link rows."""
    for contract_id in contract_ids:
        assets = select(func.count()).where(col(ContractAsset.contract_id) == contract_id).scalar_subquery()
        entities = (
            select(func.count()).where(col(ContractEntity.contract_id) == contract_id).scalar_subquery()
        )
        await session.execute(
            update(Contract)
            .where(col(Contract.id) == contract_id)
            .values(total_assets=assets, total_entities=entities)
        )


async def link_one(session: AsyncSession, found: Contract, kind: LinkKind, object_id: uuid.UUID) -> bool:
    """Link one object; False when it already was."""
    table, column = _TABLES[kind]
    statement = (
        insert(table)
        .values(contract_id=found.id, tenant_id=found.tenant_id, **{column: object_id})
        .on_conflict_do_nothing()
        .returning(col(table.contract_id))
    )
    return (await session.execute(statement)).first() is not None


async def unlink_one(session: AsyncSession, found: Contract, kind: LinkKind, object_id: uuid.UUID) -> bool:
    """Unlink one object; False when it was not linked."""
    table, column = _TABLES[kind]
    statement = (
        delete(table)
        .where(col(table.contract_id) == found.id, col(getattr(table, column)) == object_id)
        .returning(col(table.contract_id))
    )
    return (await session.execute(statement)).first() is not None
