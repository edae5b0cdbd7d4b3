"""Tenant-scoped reads and writes of entities: one by id, the page of ``GET /entities``, and
their owners, contacts and services."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from assets.repositories.contract_replica import ContractEntity
from assets.repositories.entity_records import Entity, EntityParty, EntityService
from proximity.access.listing import zones_condition
from proximity.db.keywords import matches_keywords
from proximity.db.listing import capped_total, keyset_page, nullable_key, ordering, page_of, window
from proximity.http.list_query import KeysetPage, ListQuery


@dataclass(frozen=True, slots=True)
class PartyAssociation:
    party_id: uuid.UUID
    role_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class EntityLinks:
    owners: tuple[PartyAssociation, ...]
    contacts: tuple[PartyAssociation, ...]
    service_ids: tuple[uuid.UUID, ...]
    # Contracts' links, as last announced or answered by contracts (never written here).
    contract_ids: tuple[uuid.UUID, ...] = ()


@dataclass(frozen=True, slots=True)
class EntityFilter:
    ids: tuple[uuid.UUID, ...] = ()
    keywords: str | None = None
    type_id: uuid.UUID | None = None
    contract_id: uuid.UUID | None = None
    # The caller's ``entities.view`` reach: None, everywhere; else entities in one of these zones.
    zones: frozenset[uuid.UUID] | None = None


_columns = Entity.__table__.c  # type: ignore[attr-defined]  # typed Core columns of the model

SORTS: dict[str, tuple[ColumnElement[Any], ...]] = {
    "name": (func.lower(_columns.name),),
    "description": nullable_key(func.lower(func.left(_columns.description, 200)), literal_column("''")),
    "type": nullable_key(_columns.sort_type, literal_column("''")),
    # Datazones and operational groups are other contexts' and not held yet: every entity has
    # none, so these order by id.
    "total_contracts": (_columns.total_contracts,),
    "total_assets": (_columns.total_assets,),
    "total_datazones": (),
    "total_operational_groups": (),
    "created": (_columns.created_at,),
    "updated": (func.coalesce(_columns.updated_at, _columns.created_at),),
}


async def entity(
    session: AsyncSession, tenant_id: uuid.UUID, entity_id: uuid.UUID, *, for_update: bool = False
) -> Entity | None:
    """One entity, deleted ones too (naming an id asks for it explicitly, seed 004)."""
    query = select(Entity).where(col(Entity.tenant_id) == tenant_id, col(Entity.id) == entity_id)
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    found: Entity | None = (await session.execute(query)).scalar_one_or_none()
    return found


async def is_live_entity(session: AsyncSession, tenant_id: uuid.UUID, entity_id: uuid.UUID) -> bool:
    found = await entity(session, tenant_id, entity_id)
    return found is not None and found.deleted_at is None


def _conditions(tenant_id: uuid.UUID, filters: EntityFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [col(Entity.tenant_id) == tenant_id]
    if filters.ids:
        conditions.append(col(Entity.id).in_(filters.ids))  # deleted ones only when named
    else:
        conditions.append(col(Entity.deleted_at).is_(None))
    if filters.type_id is not None:
        conditions.append(col(Entity.type_id) == filters.type_id)
    if filters.contract_id is not None:
        linked = select(col(ContractEntity.entity_id)).where(
            col(ContractEntity.tenant_id) == tenant_id,
            col(ContractEntity.contract_id) == filters.contract_id,
            col(ContractEntity.linked),
        )
        conditions.append(col(Entity.id).in_(linked))
    if filters.keywords is not None:
        conditions.append(matches_keywords(_columns.search_words, filters.keywords))
    if filters.zones is not None:
        conditions.append(zones_condition(_columns.datazone_ids, filters.zones))
    return conditions


async def list_page(
    session: AsyncSession, tenant_id: uuid.UUID, filters: EntityFilter, query: ListQuery
) -> tuple[list[Entity], KeysetPage]:
    order = ordering(query.sort, SORTS, _columns.id)
    at = window(query, order)
    filtered: Select[Any] = select(col(Entity.id)).where(and_(*_conditions(tenant_id, filters)))
    page = page_of(filtered, order, at).subquery("page")
    keys = list(page.c)[1:]
    statement = select(Entity, *keys).join(page, page.c[0] == col(Entity.id)).order_by(*order.order_of(keys))
    rows = (await session.execute(statement)).all()
    shown, sort_keys = [row[0] for row in rows[: at.limit]], [tuple(row[1:]) for row in rows]
    total = await capped_total(session, filtered, at, len(sort_keys))
    return shown, keyset_page(order, at, sort_keys, total)


async def links_of(session: AsyncSession, entity_id: uuid.UUID) -> EntityLinks:
    parties = await session.execute(
        select(col(EntityParty.kind), col(EntityParty.party_id), col(EntityParty.role_id))
        .where(col(EntityParty.entity_id) == entity_id)
        .order_by(col(EntityParty.party_id))
    )
    owners: list[PartyAssociation] = []
    contacts: list[PartyAssociation] = []
    for kind, party_id, role_id in parties.all():
        (owners if kind == "owner" else contacts).append(PartyAssociation(party_id, role_id))
    services = await session.execute(
        select(col(EntityService.service_id))
        .where(col(EntityService.entity_id) == entity_id)
        .order_by(col(EntityService.service_id))
    )
    contracts = await session.execute(
        select(col(ContractEntity.contract_id))
        .join(
            Entity,
            and_(
                col(Entity.id) == col(ContractEntity.entity_id),
                col(Entity.tenant_id) == col(ContractEntity.tenant_id),
            ),
        )
        .where(col(ContractEntity.entity_id) == entity_id, col(ContractEntity.linked))
        .order_by(col(ContractEntity.contract_id))
    )
    return EntityLinks(tuple(owners), tuple(contacts), tuple(services.scalars()), tuple(contracts.scalars()))


async def replace_links(session: AsyncSession, found: Entity, links: EntityLinks) -> None:
    await session.execute(delete(EntityParty).where(col(EntityParty.entity_id) == found.id))
    await session.execute(delete(EntityService).where(col(EntityService.entity_id) == found.id))
    rows: Sequence[tuple[str, PartyAssociation]] = [
        *(("owner", a) for a in links.owners),
        *(("contact", a) for a in links.contacts),
    ]
    session.add_all(
        EntityParty(
            entity_id=found.id, kind=kind, party_id=a.party_id, role_id=a.role_id, tenant_id=found.tenant_id
        )
        for kind, a in rows
    )
    session.add_all(
        EntityService(entity_id=found.id, service_id=s, tenant_id=found.tenant_id) for s in links.service_ids
    )


async def entities_for_update(
    session: AsyncSession, tenant_id: uuid.UUID, entity_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Entity]:
    query = (
        select(Entity)
        .where(col(Entity.tenant_id) == tenant_id, col(Entity.id).in_(entity_ids))
        .order_by(col(Entity.id))  # one lock order, so two batches cannot deadlock
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {found.id: found for found in (await session.execute(query)).scalars()}
