"""``GET /assets``: the filtered, sorted page, cut by an index (``proximity.db.listing``), with
keywords through the GIN-indexed tsvector of the name.

With keywords the capped total is counted first. PostgreSQL estimates a prefix keyword from
the most common words of the names; where the tenant's names share fewer than 100 words it has
too few and assumes 2 % of the rows for any prefix, so for a word on 4 rows of 100,000 it
walked the name index past every row (66 ms). The count knows (a bitmap of the GIN index): up
to ``FEW_ROWS`` matches the page is sorted out of them (``few_page_of``), so a word on 1,080
rows sorted by ``-type`` no longer walks every unit first (55 ms); beyond that the word is
common and the sort's index finds a page of it quickly, unless its rows all sort late (see
docs/benchmarks.md)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from assets.repositories.asset_records import Asset, AssetParty, AssetService
from assets.repositories.contract_replica import ContractAsset
from proximity.access.listing import zones_condition
from proximity.db.keywords import matches_keywords
from proximity.db.listing import (
    FEW_ROWS,
    Ordering,
    Window,
    capped_total,
    count_up_to,
    few_page_of,
    gathered_page_of,
    keyset_page,
    nullable_key,
    ordering,
    page_of,
    page_total,
    window,
)
from proximity.http.list_query import KeysetPage, ListQuery


@dataclass(frozen=True, slots=True)
class AssetFilter:
    ids: tuple[uuid.UUID, ...] = ()
    keywords: str | None = None
    type_id: uuid.UUID | None = None
    parent_id: uuid.UUID | None = None
    party_id: uuid.UUID | None = None
    entity_id: uuid.UUID | None = None
    service_id: uuid.UUID | None = None
    contract_id: uuid.UUID | None = None
    exclude_containers: bool = False
    # The caller's ``assets.view`` reach: None, everywhere; else assets in one of these zones.
    zones: frozenset[uuid.UUID] | None = None


_columns = Asset.__table__.c  # type: ignore[attr-defined]  # typed Core columns of the model

# The documented sorts served so far, by field name: the key expressions of their partial
# indexes (asset_records.ASSET_SORT_INDEXES, the same expressions).
SORTS: dict[str, tuple[ColumnElement[Any], ...]] = {
    "name": (func.lower(_columns.name),),
    "description": (func.lower(func.left(_columns.description, 200)),),
    "type": nullable_key(_columns.sort_type, literal_column("''")),
    # Entity names are not held on the asset yet: this orders by id.
    "entity_name": (),
    "total_contracts": (_columns.total_contracts,),
    "total_parties": (_columns.total_parties,),
    "created": (_columns.created_at,),
    "updated": (func.coalesce(_columns.updated_at, _columns.created_at),),
}


def _conditions(tenant_id: uuid.UUID, filters: AssetFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [col(Asset.tenant_id) == tenant_id]
    if filters.ids:
        conditions.append(col(Asset.id).in_(filters.ids))  # deleted ones only when named
    else:
        conditions.append(col(Asset.deleted_at).is_(None))
    if filters.type_id is not None:
        conditions.append(col(Asset.type_id) == filters.type_id)
    if filters.parent_id is not None:
        conditions.append(col(Asset.parent_id) == filters.parent_id)
    if filters.entity_id is not None:
        conditions.append(col(Asset.entity_id) == filters.entity_id)
    if filters.party_id is not None:
        holders = select(col(AssetParty.asset_id)).where(
            col(AssetParty.tenant_id) == tenant_id, col(AssetParty.party_id) == filters.party_id
        )
        conditions.append(col(Asset.id).in_(holders))
    if filters.service_id is not None:
        holders = select(col(AssetService.asset_id)).where(
            col(AssetService.tenant_id) == tenant_id, col(AssetService.service_id) == filters.service_id
        )
        conditions.append(col(Asset.id).in_(holders))
    if filters.contract_id is not None:
        linked = select(col(ContractAsset.asset_id)).where(
            col(ContractAsset.tenant_id) == tenant_id,
            col(ContractAsset.contract_id) == filters.contract_id,
            col(ContractAsset.linked),
        )
        conditions.append(col(Asset.id).in_(linked))
    if filters.exclude_containers:
        # Written as the partial indexes' predicate (NOT is_container), or PostgreSQL would not
        # prove they cover the list.
        conditions.append(~col(Asset.is_container))
    if filters.keywords is not None:
        conditions.append(matches_keywords(_columns.search_words, filters.keywords))
    if filters.zones is not None:
        conditions.append(zones_condition(_columns.datazone_ids, filters.zones))
    return conditions


def _filtered(tenant_id: uuid.UUID, filters: AssetFilter) -> Select[Any]:
    return select(col(Asset.id)).where(and_(*_conditions(tenant_id, filters)))


async def _shown(
    session: AsyncSession, cut: Select[Any], order: Ordering, at: Window
) -> tuple[list[Asset], list[Sequence[Any]], list[Any]]:
    """The assets of the page ``cut`` selects (their id, their sort keys, then any other
    columns, returned per row as the third list)."""
    page = cut.subquery("page")
    keys = list(page.c)[1 : 1 + len(order.keys)]
    extra = list(page.c)[1 + len(order.keys) :]
    statement = (
        select(Asset, *keys, *extra).join(page, page.c[0] == col(Asset.id)).order_by(*order.order_of(keys))
    )
    rows = (await session.execute(statement)).all()
    width = 1 + len(keys)
    shown = [row[0] for row in rows[: at.limit]]
    return shown, [tuple(row[1:width]) for row in rows], [tuple(row[width:]) for row in rows]


def _assigned(filters: AssetFilter) -> bool:
    """Whether the list is of the assets a party, service or contract is linked to: each link
    is probed in the primary key, the count's probes and the page's the same ones."""
    return filters.party_id is not None or filters.service_id is not None or filters.contract_id is not None


async def _keyword_page(
    session: AsyncSession, filtered: Select[Any], filters: AssetFilter, order: Ordering, at: Window
) -> tuple[list[Asset], list[Sequence[Any]], int]:
    """A keyword list's page and its count up to ``FEW_ROWS``."""
    if _assigned(filters):
        shown, keys, extra = await _shown(session, gathered_page_of(filtered, order, at), order, at)
        counted = extra[0][0] if extra else await count_up_to(session, filtered, FEW_ROWS)
        if counted <= FEW_ROWS:
            return shown, keys, counted
    else:
        counted = await count_up_to(session, filtered, FEW_ROWS)
        if counted <= FEW_ROWS:
            shown, keys, _ = await _shown(session, few_page_of(filtered, order, at), order, at)
            return shown, keys, counted
    shown, keys, _ = await _shown(session, page_of(filtered, order, at), order, at)
    return shown, keys, counted


async def list_page(
    session: AsyncSession, tenant_id: uuid.UUID, filters: AssetFilter, query: ListQuery
) -> tuple[list[Asset], KeysetPage]:
    order = ordering(query.sort, SORTS, _columns.id)
    at = window(query, order)
    filtered = _filtered(tenant_id, filters)
    if filters.keywords is not None:
        shown, keys, counted = await _keyword_page(session, filtered, filters, order, at)
        total = page_total(counted)
    else:
        shown, keys, _ = await _shown(session, page_of(filtered, order, at), order, at)
        total = await capped_total(session, filtered, at, len(keys))
    return shown, keyset_page(order, at, keys, total)
