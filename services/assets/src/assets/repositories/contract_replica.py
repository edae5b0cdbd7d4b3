"""The contracts contracts announces (``contracts.contract.*``) and their links to assets and
entities, and the services it announces (``contracts.service.*``): what contract ids, contract
filters, contract counts and service ids need, without calling contracts.

Contracts owns every link; a link row here is its last known state at the contract's version
(``linked``; a link removed stays as a tombstone, like a deleted contract or service), so a late,
older state changes nothing (``proximity.events.replica``). Two writers apply links:

- an event carries the contract's whole state at its version;
- a link write forwarded to contracts (``services.contract_links``) applies what contracts
  answered at once, at the version contracts gave each contract, so the next read agrees.

Both lock the contract's row first and compare versions under that lock, so a full state
applied between the forward and its replica update cannot be undone by it. An event locks the
assets and entities whose link it changes before the contract row, in id order, as every
asset and entity write does (the counters below are updated on those rows): neither order can
deadlock a forwarding write, which holds its asset or entity and then takes the contract.

``assets.total_contracts`` and ``entities.total_contracts`` (what lists sort by) are kept by
migration 0011's triggers on the link tables.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import Column, Index, Text, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from assets.repositories.asset_records import Asset
from assets.repositories.entity_records import Entity
from proximity.events.replica import apply_all_if_newer, apply_if_newer

# A contract known only from a forwarded write's answer, before its first event: any event wins.
PLACEHOLDER_VERSION = 0


class ReplicatedContract(SQLModel, table=True):
    __tablename__ = "replicated_contracts"

    contract_id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    name: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    suspended: bool = False
    deleted: bool = False
    version: int


class ContractAsset(SQLModel, table=True):
    __tablename__ = "contract_assets"
    # By contract: the primary key. By asset (a page's contract ids): this index.
    __table_args__ = (
        Index("ix_contract_assets_asset", "asset_id", "tenant_id", postgresql_where=text("linked")),
    )

    contract_id: uuid.UUID = Field(primary_key=True)
    asset_id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID
    linked: bool
    version: int


class ContractEntity(SQLModel, table=True):
    __tablename__ = "contract_entities"
    __table_args__ = (
        Index("ix_contract_entities_entity", "entity_id", "tenant_id", postgresql_where=text("linked")),
    )

    contract_id: uuid.UUID = Field(primary_key=True)
    entity_id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID
    linked: bool
    version: int


class ReplicatedService(SQLModel, table=True):
    __tablename__ = "replicated_services"

    service_id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    name: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    type: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    suspended: bool = False
    deleted: bool = False
    version: int


@dataclass(frozen=True, slots=True)
class ContractState:
    contract_id: uuid.UUID
    tenant_id: uuid.UUID
    name: str
    suspended: bool
    deleted: bool
    asset_ids: frozenset[uuid.UUID]
    entity_ids: frozenset[uuid.UUID]


@dataclass(frozen=True, slots=True)
class OwnedLink:
    """One contract's link to one asset or entity as contracts answered a forwarded write."""

    contract_id: uuid.UUID
    linked: bool
    version: int


LinkTable = type[ContractAsset] | type[ContractEntity]


def _other(link: LinkTable) -> str:
    return "asset_id" if link is ContractAsset else "entity_id"


async def _linked_ids(session: AsyncSession, link: LinkTable, contract_id: uuid.UUID) -> set[uuid.UUID]:
    other = col(getattr(link, _other(link)))
    rows = await session.execute(select(other).where(col(link.contract_id) == contract_id, col(link.linked)))
    return set(rows.scalars())


async def _lock_rows(
    session: AsyncSession, tenant_id: uuid.UUID, table: type[Asset] | type[Entity], ids: Collection[uuid.UUID]
) -> None:
    if ids:
        await session.execute(
            select(col(table.id))
            .where(col(table.tenant_id) == tenant_id, col(table.id).in_(sorted(ids)))
            .order_by(col(table.id))
            .with_for_update()
        )


async def _apply_links(
    session: AsyncSession, link: LinkTable, state: ContractState, linked: frozenset[uuid.UUID], version: int
) -> None:
    other = _other(link)
    rows = [
        {"contract_id": state.contract_id, other: i, "tenant_id": state.tenant_id, "linked": True}
        for i in sorted(linked)
    ]
    await apply_all_if_newer(session, link, key=("contract_id", other), version=version, rows=rows)
    # Every other link of the contract is gone at this version (the tombstones included, so an
    # older answer of a forwarded write cannot bring one back).
    gone = update(link).where(
        col(link.contract_id) == state.contract_id,
        col(link.version) < version,
        col(getattr(link, other)).not_in(linked) if linked else text("true"),
    )
    await session.execute(gone.values(linked=False, version=version))


async def linked_to(session: AsyncSession, contract_id: uuid.UUID) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """The assets and the entities the contract links, as held."""
    return (
        await _linked_ids(session, ContractAsset, contract_id),
        await _linked_ids(session, ContractEntity, contract_id),
    )


async def apply_contract(session: AsyncSession, state: ContractState, version: int) -> bool:
    """The contract's whole state at ``version``, if newer than what is held."""
    linked_assets = frozenset() if state.deleted else state.asset_ids
    linked_entities = frozenset() if state.deleted else state.entity_ids
    touched_assets = linked_assets | await _linked_ids(session, ContractAsset, state.contract_id)
    touched_entities = linked_entities | await _linked_ids(session, ContractEntity, state.contract_id)
    await _lock_rows(session, state.tenant_id, Asset, touched_assets)
    await _lock_rows(session, state.tenant_id, Entity, touched_entities)
    applied = await apply_if_newer(
        session,
        ReplicatedContract,
        key={"contract_id": state.contract_id},
        version=version,
        values={
            "tenant_id": state.tenant_id,
            "name": state.name,
            "suspended": state.suspended,
            "deleted": state.deleted,
        },
    )
    if not applied:
        return False  # an older or repeated state: its links are older too
    await _apply_links(session, ContractAsset, state, linked_assets, version)
    await _apply_links(session, ContractEntity, state, linked_entities, version)
    return True


async def _contract_version_locked(
    session: AsyncSession, tenant_id: uuid.UUID, contract_id: uuid.UUID
) -> tuple[int, bool]:
    await session.execute(
        insert(ReplicatedContract)
        .values(contract_id=contract_id, tenant_id=tenant_id, version=PLACEHOLDER_VERSION)
        .on_conflict_do_nothing()
    )
    row = await session.execute(
        select(col(ReplicatedContract.version), col(ReplicatedContract.deleted))
        .where(col(ReplicatedContract.contract_id) == contract_id)
        .with_for_update()
    )
    version, deleted = row.one()
    return int(version), bool(deleted)


async def apply_owned_links(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    link: LinkTable,
    linked_to: uuid.UUID,
    owned: Sequence[OwnedLink],
) -> None:
    """What contracts answered a forwarded write for one asset or entity (held locked by the
    caller): each link at its contract's version, unless the replica already holds the
    contract's state at that version or later."""
    other = _other(link)
    for item in sorted(owned, key=lambda o: o.contract_id):
        held, deleted = await _contract_version_locked(session, tenant_id, item.contract_id)
        if deleted or held >= item.version:
            continue
        await apply_if_newer(
            session,
            link,
            key={"contract_id": item.contract_id, other: linked_to},
            version=item.version,
            values={"tenant_id": tenant_id, "linked": item.linked},
        )


async def apply_service(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    service_id: uuid.UUID,
    name: str,
    kind: str | None,
    suspended: bool,
    deleted: bool,
    version: int,
) -> bool:
    return await apply_if_newer(
        session,
        ReplicatedService,
        key={"service_id": service_id},
        version=version,
        values={
            "tenant_id": tenant_id,
            "name": name,
            "type": kind,
            "suspended": suspended,
            "deleted": deleted,
        },
    )


async def missing_services(
    session: AsyncSession, tenant_id: uuid.UUID, service_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """The ids among ``service_ids`` that are no live service of the tenant (a suspended one
    is still a service and may be assigned)."""
    if not service_ids:
        return set()
    query = select(col(ReplicatedService.service_id)).where(
        col(ReplicatedService.tenant_id) == tenant_id,
        col(ReplicatedService.service_id).in_(list(service_ids)),
        col(ReplicatedService.deleted).is_(False),
    )
    known = set((await session.execute(query)).scalars())
    return set(service_ids) - known
