"""Tenant-scoped queries on parties: the filtered, sorted list and the aggregates it shows."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import UnaryExpression
from sqlmodel import col

from identity.repositories.catalogue_tables import PartySkillSet, SkillSet
from identity.repositories.people_tables import JobTitle, PartyGroupMembership, PartyType
from identity.repositories.tables import Identity, Party, Session, User
from proximity.http.list_query import SortKey

# Parties are linked to contracts and assets in those contexts; identity holds no replica of
# those links yet, so their totals are 0 until it does.
_NOT_REPLICATED: ColumnElement[int] = literal(0)


@dataclass(frozen=True, slots=True)
class PartyFilter:
    ids: tuple[uuid.UUID, ...] = ()
    group_id: uuid.UUID | None = None
    type_id: uuid.UUID | None = None
    skillset_id: uuid.UUID | None = None
    keywords: str | None = None


@dataclass(frozen=True, slots=True)
class PartyCounts:
    groups: int
    contracts: int
    assets: int
    skillsets: int


@dataclass(frozen=True, slots=True)
class ListedParty:
    party: Party
    system_admin: bool
    counts: PartyCounts | None = None


def _groups() -> ColumnElement[int]:
    return (
        select(func.count())
        .select_from(PartyGroupMembership)
        .where(col(PartyGroupMembership.party_id) == col(Party.id))
        .scalar_subquery()
    )


def _live_pairs() -> ColumnElement[bool]:
    """A (party, skillset) pair as GET /parties/~/skillsets shows it: neither side deleted."""
    return and_(
        col(SkillSet.id) == col(PartySkillSet.skillset_id),
        col(PartySkillSet.deleted_at).is_(None),
        col(SkillSet.deleted_at).is_(None),
    )


def _skillsets() -> ColumnElement[int]:
    return (
        select(func.count())
        .select_from(PartySkillSet)
        .join(SkillSet, _live_pairs())
        .where(col(PartySkillSet.party_id) == col(Party.id))
        .scalar_subquery()
    )


def _identities() -> ColumnElement[int]:
    return (
        select(func.count(col(Identity.id)))
        .join(User, col(User.id) == col(Identity.user_id))
        .where(col(User.party_id) == col(Party.id))
        .scalar_subquery()
    )


def _last_signin() -> ColumnElement[Any]:
    return (
        select(func.max(col(Session.created_at)))
        .join(User, col(User.id) == col(Session.user_id))
        .where(col(User.party_id) == col(Party.id))
        .scalar_subquery()
    )


def _type_name() -> ColumnElement[Any]:
    return (
        select(func.lower(col(PartyType.name)))
        .where(col(PartyType.id) == col(Party.type_id))
        .scalar_subquery()
    )


def _job_title_name() -> ColumnElement[Any]:
    return (
        select(func.lower(col(JobTitle.name)))
        .where(col(JobTitle.id) == col(Party.job_title_id))
        .scalar_subquery()
    )


def _system_admin() -> ColumnElement[bool]:
    return exists().where(
        col(User.party_id) == col(Party.id), col(User.is_system_admin), col(User.deleted_at).is_(None)
    )


# Every sort seed 004 documents for GET /parties, by field name.
SORTS: dict[str, tuple[Any, ...]] = {
    "name": (func.lower(col(Party.first_name)), func.lower(col(Party.last_name))),
    "first_name": (func.lower(col(Party.first_name)),),
    "last_name": (func.lower(col(Party.last_name)),),
    "type": (_type_name(),),
    "phone": (col(Party.phone),),
    "email": (col(Party.email),),
    "last_signin": (_last_signin(),),
    "job_title_id": (_job_title_name(),),
    "total_identities": (_identities(),),
    "total_groups": (_groups(),),
    "total_contracts": (_NOT_REPLICATED,),
    "total_skillsets": (_skillsets(),),
    "total_assets": (_NOT_REPLICATED,),
    "created": (col(Party.created_at),),
    "updated": (func.coalesce(col(Party.updated_at), col(Party.created_at)),),
}


def _order(sort: Sequence[SortKey]) -> list[UnaryExpression[Any]]:
    order: list[UnaryExpression[Any]] = []
    for key in sort:
        for expression in SORTS[key.field]:
            order.append((expression.desc() if key.direction == "desc" else expression.asc()).nulls_last())
    order.append(col(Party.id).asc())  # a stable order, so pages never overlap
    return order


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(tenant_id: uuid.UUID, filters: PartyFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [col(Party.tenant_id) == tenant_id]
    if filters.ids:
        # Deleted parties are shown only when asked for by id (seed 004).
        conditions.append(col(Party.id).in_(filters.ids))
    else:
        conditions.append(col(Party.deleted_at).is_(None))
    if filters.group_id is not None:
        members = select(col(PartyGroupMembership.party_id)).where(
            col(PartyGroupMembership.tenant_id) == tenant_id,
            col(PartyGroupMembership.group_id) == filters.group_id,
        )
        conditions.append(col(Party.id).in_(members))
    if filters.type_id is not None:
        conditions.append(col(Party.type_id) == filters.type_id)
    if filters.skillset_id is not None:
        holders = (
            select(col(PartySkillSet.party_id))
            .join(SkillSet, _live_pairs())
            .where(
                col(PartySkillSet.tenant_id) == tenant_id,
                col(PartySkillSet.skillset_id) == filters.skillset_id,
            )
        )
        conditions.append(col(Party.id).in_(holders))
    for term in (filters.keywords or "").split():
        pattern = _like(term)
        conditions.append(
            or_(
                col(Party.first_name).ilike(pattern),
                col(Party.last_name).ilike(pattern),
                col(Party.email).ilike(pattern),
            )
        )
    return conditions


async def list_parties(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    filters: PartyFilter,
    *,
    sort: Sequence[SortKey],
    offset: int,
    limit: int,
    with_counts: bool,
) -> list[ListedParty]:
    columns: list[Any] = [Party, _system_admin()]
    if with_counts:
        columns += [_groups(), _NOT_REPLICATED, _NOT_REPLICATED, _skillsets()]
    query = select(*columns).where(and_(*_conditions(tenant_id, filters)))
    rows = (await session.execute(query.order_by(*_order(sort)).offset(offset).limit(limit))).all()
    return [
        ListedParty(row[0], bool(row[1]), PartyCounts(*row[2:6]) if with_counts else None) for row in rows
    ]


async def count_parties(session: AsyncSession, tenant_id: uuid.UUID, filters: PartyFilter) -> int:
    query = select(func.count()).select_from(Party).where(and_(*_conditions(tenant_id, filters)))
    total: int = (await session.execute(query)).scalar_one()
    return total


async def party_with_counts(
    session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID, *, with_counts: bool
) -> ListedParty | None:
    """One party (deleted ones too: naming an id asks for it explicitly, seed 004)."""
    found = await list_parties(
        session, tenant_id, PartyFilter(ids=(party_id,)), sort=(), offset=0, limit=1, with_counts=with_counts
    )
    return found[0] if found else None


async def party_for_update(session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID) -> Party | None:
    query = (
        select(Party)
        .where(col(Party.tenant_id) == tenant_id, col(Party.id) == party_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    found: Party | None = (await session.execute(query)).scalar_one_or_none()
    return found


async def parties_for_update(
    session: AsyncSession, tenant_id: uuid.UUID, party_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Party]:
    query = (
        select(Party)
        .where(col(Party.tenant_id) == tenant_id, col(Party.id).in_(party_ids))
        .order_by(col(Party.id))  # one lock order, so two batches cannot deadlock
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {party.id: party for party in (await session.execute(query)).scalars()}


async def is_system_admin_party(session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID) -> bool:
    query = select(
        exists().where(
            col(User.tenant_id) == tenant_id,
            col(User.party_id) == party_id,
            col(User.is_system_admin),
            col(User.deleted_at).is_(None),
        )
    )
    return bool((await session.execute(query)).scalar_one())
