"""Tenant-scoped reads of contracts: one by id (locked for a write), several for a batch, and
the page of ``GET /contracts`` cut by an index (``proximity.db.listing``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, literal_column, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.selectable import CTE
from sqlmodel import col

from contracts.repositories.contract_records import (
    Contract,
    ContractAsset,
    ContractEntity,
    ContractParty,
    ContractService,
)
from proximity.access.listing import zones_condition
from proximity.db.keywords import matches_keywords
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
    # The caller's ``contracts.view`` reach: None, everywhere; else contracts in one of these zones.
    zones: frozenset[uuid.UUID] | None = None


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


# The link filters, in the order a probe picks the one whose links it reads first.
_LINKS: tuple[tuple[str, Any, str], ...] = (
    ("party_id", ContractParty, "party_id"),
    ("service_id", ContractService, "service_id"),
    ("asset_id", ContractAsset, "asset_id"),
    ("entity_ids", ContractEntity, "entity_id"),
)

# A link filter: its name, link table, column and the objects it names.
_Link = tuple[str, Any, str, list[uuid.UUID]]


def _link_ids(filters: ContractFilter, name: str) -> list[uuid.UUID]:
    value = getattr(filters, name)
    if value is None:
        return []
    return list(value) if isinstance(value, tuple) else [value]


def _linked(table: Any, column: str, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> ColumnElement[bool]:
    holders = select(col(table.contract_id)).where(
        col(table.tenant_id) == tenant_id, col(getattr(table, column)).in_(list(ids))
    )
    return col(Contract.id).in_(holders)


def _links_of_row(table: Any, column: str, ids: Sequence[uuid.UUID]) -> ColumnElement[bool]:
    """The row links one of ``ids``: a probe of the link table's primary key for that one row.
    OFFSET 0 keeps PostgreSQL from turning the EXISTS into a join, which it may plan as a hash
    join of all the object's links with the keyword's matches or a scan of the tenant. The
    tenant is the row's (a link has its contract's)."""
    probe: Select[Any] = (
        select(literal_column("1"))
        .where(col(table.contract_id) == col(Contract.id), col(getattr(table, column)).in_(list(ids)))
        .offset(0)
    )
    return exists(probe)


def _conditions(
    tenant_id: uuid.UUID, filters: ContractFilter, *, per_row: bool = False, skip: str | None = None
) -> list[ColumnElement[bool]]:
    """The list's conditions on a contract row. ``per_row``: each link filter and the keywords
    are checked on the row itself (``_links_of_row``, ``_words_of_row``), not through a join
    or an index the planner picks; ``skip``: the filter whose matches a probe reads first."""
    conditions: list[ColumnElement[bool]] = [col(Contract.tenant_id) == tenant_id]
    if filters.ids:
        conditions.append(col(Contract.id).in_(filters.ids))  # deleted ones only when named
    else:
        conditions.append(col(Contract.deleted_at).is_(None))
    if filters.zones is not None:
        conditions.append(zones_condition(_columns.datazone_ids, filters.zones))
    for name, table, column in _LINKS:
        ids = _link_ids(filters, name)
        if ids and name != skip:
            conditions.append(
                _links_of_row(table, column, ids) if per_row else _linked(table, column, tenant_id, ids)
            )
    if filters.keywords is not None and skip != "keywords":
        words = matches_keywords(_columns.search_words, filters.keywords)
        conditions.append(_words_of_row(words) if per_row else words)
    return conditions


def _words_of_row(words: ColumnElement[bool]) -> ColumnElement[bool]:
    """The keywords checked on the row a walk reaches. Walked only when more than
    ``TOTAL_CAP`` contracts match (a hundredth of the tenant at least, so a page is within a
    few thousand rows); left to the planner, a cursor's page was a bitmap of all the keyword's
    matches and a sort of them. OFFSET 0 keeps the GIN index out of it."""
    return exists(select(literal_column("1")).where(words).offset(0).correlate(Contract))


def _filtered(tenant_id: uuid.UUID, filters: ContractFilter, *, per_row: bool = False) -> Select[Any]:
    return select(col(Contract.id)).where(and_(*_conditions(tenant_id, filters, per_row=per_row)))


def _walked(tenant_id: uuid.UUID, filters: ContractFilter) -> Select[Any]:
    """The matches as a walk of the sort's index reads them, each checked on its row. A
    contract linking an asset (an entity) has ``total_assets`` (``total_entities``) of 1 at
    least, kept with its links: said outright, the walk of ``+total_assets`` starts past the
    contracts with none instead of reading them all (17,000 of 100,000 in the benchmark)."""
    walked = _filtered(tenant_id, filters, per_row=True)
    if filters.asset_id is not None:
        walked = walked.where(col(Contract.total_assets) >= 1)
    if filters.entity_ids:
        walked = walked.where(col(Contract.total_entities) >= 1)
    return walked


# Link rows a probe driven by a link filter reads when another filter can drive one: a
# keyword in a third of the object's contracts finds TOTAL_CAP + 1 matches within them.
_LINKS_READ = 3 * TOTAL_CAP


@dataclass(frozen=True, slots=True)
class _Probe:
    """At most ``TOTAL_CAP + 1`` matches (``matched``): their keys, the id last, or (not
    ``keyed``) their ids only; and when they were read from a bounded number of link rows,
    whether those were all of them (``complete``)."""

    matched: CTE
    keyed: bool = True
    complete: ColumnElement[Any] | None = None


def _probes(tenant_id: uuid.UUID, filters: ContractFilter, order: Ordering) -> list[_Probe]:
    """The ways to read the matches, cheapest first when the object is typical: from each link
    filter's link rows (at most ``_LINKS_READ`` of them but for the last way), then from the
    keywords' GIN index."""
    if filters.ids:
        return []
    drivers: list[_Link | None] = [
        (name, table, column, ids) for name, table, column in _LINKS if (ids := _link_ids(filters, name))
    ]
    if filters.keywords is not None:
        drivers.append(None)
    probes = []
    for i, driver in enumerate(drivers):
        last = i == len(drivers) - 1
        if driver is None:
            probes.append(_Probe(_matched_by_keywords(tenant_id, filters, order)))
        else:
            probes.append(_matched_by_links(tenant_id, filters, order, driver, bounded=not last))
    return probes


def _keys(order: Ordering) -> list[ColumnElement[Any]]:
    return [key.label(f"match_key_{i}") for i, key in enumerate(order.keys)]


def _matched_by_keywords(tenant_id: uuid.UUID, filters: ContractFilter, order: Ordering) -> CTE:
    """At most ``TOTAL_CAP + 1`` matches' keys, through the GIN index, in no order (a
    MATERIALIZED CTE: PostgreSQL may not fold it into the page's ORDER BY ... LIMIT and walk
    the sort's index, which for a rare keyword reads the whole tenant). Link filters are
    checked on each match."""
    return (
        select(*_keys(order))
        .where(and_(*_conditions(tenant_id, filters, per_row=True, skip="keywords")))
        .where(matches_keywords(_columns.search_words, filters.keywords or ""))
        .limit(TOTAL_CAP + 1)
        .cte("matched")
        .prefix_with("MATERIALIZED")
    )


def _matched_by_links(
    tenant_id: uuid.UUID, filters: ContractFilter, order: Ordering, link: _Link, *, bounded: bool
) -> _Probe:
    """At most ``TOTAL_CAP + 1`` matches' keys, read from the object's rows of the link index
    (a typical object has a few dozen, a busy one thousands: the read stops at the cap, or
    after ``_LINKS_READ`` rows when ``bounded``) and each one's contract by primary key, where
    the other filters are checked. The contract is read in a LATERAL subquery with OFFSET 0 so
    that PostgreSQL may not flatten it into a join, which it plans as a hash join over a scan
    of the tenant's contracts."""
    name, table, column, ids = link
    linked_to = col(getattr(table, column)).in_(ids)
    links: Select[Any] = select(col(table.contract_id).label("contract_id")).where(linked_to)
    if len(ids) > 1:
        # A contract linking two of the objects: its row of the lowest one stands for it.
        other = table.__table__.alias("other_link")
        links = links.where(
            ~exists(
                select(literal_column("1")).where(
                    other.c.contract_id == col(table.contract_id),
                    other.c[column].in_(ids),
                    other.c[column] < col(getattr(table, column)),
                )
            )
        )
    complete = None
    if bounded:
        links = links.limit(_LINKS_READ)
        rows = select(literal_column("1")).where(linked_to).limit(_LINKS_READ + 1).subquery("all_links")
        read = select(func.count()).select_from(rows).scalar_subquery()
        complete = (read <= _LINKS_READ).label("complete")
    linked = links.subquery("linked")
    # Ids only, unless keywords are checked on the row: then it is read anyway. Else the
    # contract's entry in its tenant's index of live contracts tells it matches, read alone
    # (an index-only scan): thousands of them cost a few hundred microseconds, and only a
    # list of at most TOTAL_CAP reads the rows, for the page's sort.
    keyed = filters.keywords is not None
    contract_row = (
        select(*_keys(order) if keyed else [col(Contract.id).label("match_id")])
        .where(col(Contract.id) == linked.c.contract_id)
        .where(and_(*_conditions(tenant_id, filters, per_row=True, skip=name)))
        .offset(0)
        .lateral("matched_row")
    )
    matched = (
        select(*contract_row.c)
        .select_from(linked.join(contract_row, true()))
        .limit(TOTAL_CAP + 1)
        .cte("matched")
        .prefix_with("MATERIALIZED")
    )
    return _Probe(matched, keyed, complete)


@dataclass(frozen=True, slots=True)
class _Sorted:
    contracts: list[Contract]
    keys: list[tuple[Any, ...]]
    matches: int


async def _page_of_matches(
    session: AsyncSession, probe: _Probe, order: Ordering, at: Window
) -> _Sorted | bool:
    """The page sorted out of the probe's matches when they are all of them and at most
    ``TOTAL_CAP``, with their number; else whether there are more than ``TOTAL_CAP`` (False:
    the probe read too few link rows to tell).

    Sorting the matches would read them all when they are many; the count of this one
    statement tells which case holds (then a walk of the sort's index finds a page soon, the
    matches being a hundredth of the tenant at least), and is the list's total too. Only the
    page's contracts are loaded."""
    counted = select(func.count()).select_from(probe.matched).scalar_subquery()
    complete = probe.complete if probe.complete is not None else true().label("complete")
    totals = select(counted.label("matches"), complete).subquery("totals")
    if probe.keyed:
        keys = list(probe.matched.c)
        among = Ordering(tuple(keys), order.descending, order.signature)
        page = page_of(select(keys[-1]), among, at).subquery("page")
    else:
        # The rows are read for their keys only when the matches are all there and at most
        # TOTAL_CAP, each by primary key (LATERAL, OFFSET 0: PostgreSQL, not knowing how few
        # they are, would hash them against a scan of the tenant).
        ids = probe.matched.c[0]
        wanted = counted <= TOTAL_CAP if probe.complete is None else and_(counted <= TOTAL_CAP, complete)
        row = select(*_keys(order)).where(col(Contract.id) == ids).offset(0).lateral("match_row")
        keys = list(row.c)
        among = Ordering(tuple(keys), order.descending, order.signature)
        of_matches = select(keys[-1]).select_from(probe.matched.join(row, true())).where(wanted)
        page = page_of(of_matches, among, at).subquery("page")
    # Outer-joined to the one row of totals: the count comes back with no page too (past the
    # last page, or no match), without a second statement that would read the matches again.
    shown = page.join(Contract.__table__, page.c[0] == col(Contract.id))  # type: ignore[attr-defined]
    statement = (
        select(totals.c.matches, totals.c.complete, Contract, *list(page.c)[1:])
        .select_from(totals)
        .outerjoin(shown, true())
        .order_by(*among.order_of(list(page.c)[1:]))
    )
    rows = (await session.execute(statement)).all()
    matches, whole = rows[0][0], rows[0][1]
    if matches > TOTAL_CAP:
        return True
    if not whole:
        return False
    rows = [row for row in rows if row[2] is not None]
    return _Sorted([row[2] for row in rows], [tuple(row[3:]) for row in rows], matches)


async def list_page(
    session: AsyncSession, tenant_id: uuid.UUID, filters: ContractFilter, query: ListQuery
) -> tuple[list[Contract], KeysetPage]:
    """One page of the list, cut by an index whatever the filter.

    Filtered by a link or by keywords (not by ``ids[]``), the matches are probed first: at
    most ``TOTAL_CAP + 1`` of them, from a link index or the GIN index (``_probes``). When
    that is all of them, the page is sorted out of them and their number is the total. When
    there are more, the page is a walk of the sort's index that checks each row (links by
    the row's primary key), and the total is ``TOTAL_CAP`` as a lower bound, not counted."""
    order = ordering(query.sort, SORTS, _columns.id)
    at = window(query, order)
    probes = _probes(tenant_id, filters, order)
    for probe in probes:
        found = await _page_of_matches(session, probe, order, at)
        if isinstance(found, _Sorted):
            total = PageTotal(found.matches, exact=True)
            return found.contracts[: at.limit], keyset_page(order, at, found.keys, total)
        if found:
            break
    filtered = _walked(tenant_id, filters) if probes else _filtered(tenant_id, filters)
    page = page_of(filtered, order, at).subquery("page")
    keys = list(page.c)[1:]
    statement = (
        select(Contract, *keys).join(page, page.c[0] == col(Contract.id)).order_by(*order.order_of(keys))
    )
    rows = (await session.execute(statement)).all()
    shown, sort_keys = [row[0] for row in rows[: at.limit]], [tuple(row[1:]) for row in rows]
    if probes:
        # More than TOTAL_CAP matched (a probe counted them): no need to count again.
        if at.after is None and 0 < len(sort_keys) <= at.limit:
            total = PageTotal(at.offset + len(sort_keys), exact=True)
        else:
            total = PageTotal(TOTAL_CAP, exact=False)
    else:
        total = await capped_total(session, filtered, at, len(sort_keys))
    return shown, keyset_page(order, at, sort_keys, total)
