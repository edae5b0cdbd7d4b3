"""Tenant-scoped reads of contracts: one by id (locked for a write), several for a batch, and
the page of ``GET /contracts`` cut by an index (``proximity.db.listing``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from contracts.repositories.contract_records import (
    Contract,
    ContractAsset,
    ContractEntity,
    ContractParty,
    ContractService,
)
from contracts.repositories.keywords import matches_keywords
from proximity.db.listing import (
    TOTAL_CAP,
    Ordering,
    Window,
    capped_total,
    keyset_page,
    nullable_key,
    ordering,
    page_of,
    window,
)
from proximity.http.list_query import KeysetPage, ListQuery, PageTotal


@dataclass(frozen=True, slots=True)
class ContractFilter:
    ids: tuple[uuid.UUID, ...] = ()
    keywords: str | None = None
    party_id: uuid.UUID | None = None
    service_id: uuid.UUID | None = None
    asset_id: uuid.UUID | None = None
    entity_ids: tuple[uuid.UUID, ...] = ()


_columns = Contract.__table__.c  # type: ignore[attr-defined]  # typed Core columns of the model

# The documented sorts, by field name: the key expressions of their partial indexes
# (contract_records.CONTRACT_SORT_INDEXES, the same expressions).
SORTS: dict[str, tuple[ColumnElement[Any], ...]] = {
    "name": (func.lower(_columns.name),),
    "description": (func.lower(func.left(_columns.description, 200)),),
    "total_assets": (_columns.total_assets,),
    "total_entities": (_columns.total_entities,),
    "expiry": nullable_key(
        _columns.expires_at, literal_column("'1970-01-01 00:00:00+00'::timestamp with time zone")
    ),
    "created": (_columns.created_at,),
    "updated": (func.coalesce(_columns.updated_at, _columns.created_at),),
}


async def contract(
    session: AsyncSession, tenant_id: uuid.UUID, contract_id: uuid.UUID, *, for_update: bool = False
) -> Contract | None:
    """One contract, deleted ones too (naming an id asks for it explicitly, seed 004)."""
    query = select(Contract).where(col(Contract.tenant_id) == tenant_id, col(Contract.id) == contract_id)
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    found: Contract | None = (await session.execute(query)).scalar_one_or_none()
    return found


async def contracts_for_update(
    session: AsyncSession, tenant_id: uuid.UUID, contract_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Contract]:
    """The tenant's contracts among ``contract_ids``, locked in id order (two batches naming
    the same contracts lock them in the same order)."""
    if not contract_ids:
        return {}
    query = (
        select(Contract)
        .where(col(Contract.tenant_id) == tenant_id, col(Contract.id).in_(sorted(set(contract_ids))))
        .order_by(col(Contract.id))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {found.id: found for found in (await session.execute(query)).scalars()}


def _linked(table: Any, column: str, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> ColumnElement[bool]:
    holders = select(col(table.contract_id)).where(
        col(table.tenant_id) == tenant_id, col(getattr(table, column)).in_(list(ids))
    )
    return col(Contract.id).in_(holders)


def _conditions(tenant_id: uuid.UUID, filters: ContractFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [col(Contract.tenant_id) == tenant_id]
    if filters.ids:
        conditions.append(col(Contract.id).in_(filters.ids))  # deleted ones only when named
    else:
        conditions.append(col(Contract.deleted_at).is_(None))
    if filters.party_id is not None:
        conditions.append(_linked(ContractParty, "party_id", tenant_id, [filters.party_id]))
    if filters.service_id is not None:
        conditions.append(_linked(ContractService, "service_id", tenant_id, [filters.service_id]))
    if filters.asset_id is not None:
        conditions.append(_linked(ContractAsset, "asset_id", tenant_id, [filters.asset_id]))
    if filters.entity_ids:
        conditions.append(_linked(ContractEntity, "entity_id", tenant_id, filters.entity_ids))
    if filters.keywords is not None:
        conditions.append(matches_keywords(_columns.search_words, filters.keywords))
    return conditions


def _filtered(tenant_id: uuid.UUID, filters: ContractFilter) -> Select[Any]:
    return select(col(Contract.id)).where(and_(*_conditions(tenant_id, filters)))


def _by_keywords_only(filters: ContractFilter) -> bool:
    """Keywords and no link filter: the matches may be few, and the planner cannot tell (it has
    no estimate for a prefix search), so a walk of the sort's index that filters each row could
    read the whole tenant before it finds a page. A link filter's matches it estimates from the
    link table's statistics, and picks between walking and sorting them well."""
    return filters.keywords is not None and not (
        filters.ids or filters.party_id or filters.service_id or filters.asset_id or filters.entity_ids
    )


async def _page_of_matches(
    session: AsyncSession, tenant_id: uuid.UUID, filters: ContractFilter, order: Ordering, at: Window
) -> tuple[list[Contract], list[tuple[Any, ...]], int] | None:
    """The page sorted out of the keywords' matches when there are at most ``TOTAL_CAP`` of
    them, with their number; None when there are more.

    The matches' sort keys are read first, at most ``TOTAL_CAP + 1`` of them and in no order,
    through the GIN index (a MATERIALIZED CTE: PostgreSQL may not fold it into the page's
    ORDER BY ... LIMIT and walk the sort's index instead). Sorting the matches would read them
    all when they are many; the count of this one statement tells which case holds (then the
    walk finds a page within ~2,000 rows at 100,000), and is the list's total too."""
    matched = (
        select(*(key.label(f"match_key_{i}") for i, key in enumerate(order.keys)))
        .where(and_(*_conditions(tenant_id, filters)))
        .limit(TOTAL_CAP + 1)
        .cte("matched")
        .prefix_with("MATERIALIZED")
    )
    keys = list(matched.c)
    among = Ordering(tuple(keys), order.descending, order.signature)
    counted = select(func.count()).select_from(matched).scalar_subquery().label("matches")
    page = page_of(select(keys[-1], counted), among, at).subquery("page")
    statement = (
        select(Contract, *list(page.c)[1:])
        .join(page, page.c[0] == col(Contract.id))
        .order_by(*among.order_of(list(page.c)[2:]))
    )
    rows = (await session.execute(statement)).all()
    if rows and rows[0][1] > TOTAL_CAP:
        return None
    if not rows:  # no row to read the count from: past the last page, or no match at all
        total = (await session.execute(select(func.count()).select_from(matched))).scalar_one()
        if total > TOTAL_CAP:
            return None
        return [], [], total
    return [row[0] for row in rows], [tuple(row[2:]) for row in rows], rows[0][1]


async def list_page(
    session: AsyncSession, tenant_id: uuid.UUID, filters: ContractFilter, query: ListQuery
) -> tuple[list[Contract], KeysetPage]:
    order = ordering(query.sort, SORTS, _columns.id)
    at = window(query, order)
    if _by_keywords_only(filters):
        sorted_out = await _page_of_matches(session, tenant_id, filters, order, at)
        if sorted_out is not None:
            contracts, matched_keys, matches = sorted_out
            total = PageTotal(matches, exact=True)
            return contracts[: at.limit], keyset_page(order, at, matched_keys, total)
    filtered = _filtered(tenant_id, filters)
    page = page_of(filtered, order, at).subquery("page")
    keys = list(page.c)[1:]
    statement = (
        select(Contract, *keys).join(page, page.c[0] == col(Contract.id)).order_by(*order.order_of(keys))
    )
    rows = (await session.execute(statement)).all()
    shown, sort_keys = [row[0] for row in rows[: at.limit]], [tuple(row[1:]) for row in rows]
    if _by_keywords_only(filters):
        # More than TOTAL_CAP matched (_page_of_matches counted them): no need to count again.
        if at.after is None and 0 < len(sort_keys) <= at.limit:
            total = PageTotal(at.offset + len(sort_keys), exact=True)
        else:
            total = PageTotal(TOTAL_CAP, exact=False)
    else:
        total = await capped_total(session, filtered, at, len(sort_keys))
    return shown, keyset_page(order, at, sort_keys, total)
