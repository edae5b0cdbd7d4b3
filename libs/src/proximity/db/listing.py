"""Lists that stay fast however many rows a tenant has: the page is cut by an index, the total
is counted only up to a cap, and deep pages continue from a keyset cursor.

How a service uses it (``identity.repositories.parties`` is the worked example):

- each sortable field maps to key expressions that a partial index serves, as
  ``(tenant_id, <keys>, id) WHERE deleted_at IS NULL``; a nullable value is keyed with
  ``nullable_key`` (value IS NULL, coalesce(value, zero)) so keys are never NULL;
- ``ordering()`` puts every key, and the id that makes the order total, in one direction, so
  one index serves ``+field`` scanning forward and ``-field`` scanning backward (a NULLS LAST
  on a descending key, or an ascending id after a descending key, fits no index and makes
  PostgreSQL sort every row of the tenant);
- ``page_of()`` selects only the ids and keys of one page (offset bounded by the caller, or
  after a cursor's position); the service joins that page to whatever else it shows (counts,
  flags), so those are computed for the page's rows only;
- ``capped_total()`` counts at most ``cap + 1`` rows: exact up to the cap, a lower bound
  (``exact=False``) beyond it;
- ``few_page_of()`` is ``page_of()`` for a filter PostgreSQL misjudges (a rare prefix
  keyword looks common to it, so it walks the sort's index past every row): once
  ``count_up_to()`` has shown that few rows match, the page is cut from just those rows;
- ``gathered_page_of()`` is ``count_up_to()`` and ``few_page_of()`` in one statement, for a
  filter whose every match costs a probe (a party's assets, each looked up in the primary
  key): the matches are found once, counted, and the page sorted out of them;
- ``bound_page()`` / ``page_params()`` and ``capped_count()`` are the same statements with
  the window as bind parameters: a service that also binds its filters builds each statement
  once per shape of request (sort, which filters, cursor or not) and reuses it, so SQLAlchemy
  neither rebuilds it nor walks it for its cache key on every request.

A compound sort whose fields go in different directions stays correct but no index serves it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, and_, bindparam, func, literal, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import UnaryExpression

from proximity.http.cursor import Position, decode_cursor, encode_cursor, sort_signature
from proximity.http.list_query import KeysetPage, ListQuery, PageTotal, SortKey

# Rows a request may make PostgreSQL skip (page x per_page), and rows a total counts exactly:
# on two cores each costs ~1-3 us a row, so 1,000 keeps both within a few milliseconds.
MAX_OFFSET = 1000
TOTAL_CAP = 1000
# Rows ``few_page_of()`` sorts at most: materialising and sorting 5,000 rows costs a few
# milliseconds, about what walking 5,000 rows of a sort's index past non-matching ones does.
FEW_ROWS = 5 * TOTAL_CAP


def nullable_key(value: ColumnElement[Any], zero: ColumnElement[Any]) -> tuple[ColumnElement[Any], ...]:
    """Key a nullable value as ``(value IS NULL, coalesce(value, zero))``: never NULL (so a
    row comparison continues a cursor), rows without a value last when ascending."""
    return (value.is_(None), func.coalesce(value, zero))


@dataclass(frozen=True, slots=True)
class Ordering:
    """The keys of one sort, id last, each with its direction."""

    keys: tuple[ColumnElement[Any], ...]
    descending: tuple[bool, ...]
    signature: str

    def order_by(self) -> list[UnaryExpression[Any]]:
        pairs = zip(self.keys, self.descending, strict=True)
        return [key.desc() if desc else key.asc() for key, desc in pairs]

    def order_of(self, columns: Sequence[ColumnElement[Any]]) -> list[UnaryExpression[Any]]:
        """The same order over ``columns`` that hold the keys (a page subquery's)."""
        pairs = zip(columns, self.descending, strict=True)
        return [column.desc() if desc else column.asc() for column, desc in pairs]

    def after(self, values: Sequence[Any]) -> ColumnElement[bool]:
        """Rows that come after ``values`` in this order."""
        # Bound as values of each key's type: a Python True or None would become IS TRUE / IS NULL.
        return self._after([literal(value, key.type) for key, value in zip(self.keys, values, strict=True)])

    def after_bound(self) -> ColumnElement[bool]:
        """``after()`` with each value a bind parameter (``after_params()`` gives them)."""
        return self._after([bindparam(f"after_{i}", type_=key.type) for i, key in enumerate(self.keys)])

    def after_params(self, values: Sequence[Any]) -> dict[str, Any]:
        return {f"after_{i}": value for i, value in enumerate(values)}

    def _after(self, bounds: Sequence[ColumnElement[Any]]) -> ColumnElement[bool]:
        if len(set(self.descending)) == 1:
            # One row comparison: the index's own range condition in either direction.
            row, bound = tuple_(*self.keys), tuple_(*bounds)
            return row < bound if self.descending[0] else row > bound
        later: list[ColumnElement[bool]] = []
        for i, (key, desc) in enumerate(zip(self.keys, self.descending, strict=True)):
            equal = [k == v for k, v in zip(self.keys[:i], bounds[:i], strict=True)]
            later.append(and_(*equal, key < bounds[i] if desc else key > bounds[i]))
        return or_(*later)


def ordering(
    sort: Sequence[SortKey], keys_of: Mapping[str, Sequence[ColumnElement[Any]]], row_id: ColumnElement[Any]
) -> Ordering:
    """The ORDER BY of ``sort``: each field's keys in its direction, then ``row_id`` in the
    direction of the last field, so a one-field sort is one index scan either way."""
    keys: list[ColumnElement[Any]] = []
    descending: list[bool] = []
    for item in sort:
        for key in keys_of[item.field]:
            keys.append(key)
            descending.append(item.direction == "desc")
    keys.append(row_id)
    descending.append(sort[-1].direction == "desc" if sort else False)
    signature = sort_signature([(item.field, item.direction) for item in sort])
    return Ordering(tuple(keys), tuple(descending), signature)


@dataclass(frozen=True, slots=True)
class Window:
    """Which rows a request asks for: after a cursor's position, or at a bounded offset."""

    page: int
    offset: int
    limit: int
    after: tuple[Any, ...] | None = None


def window(query: ListQuery, order: Ordering) -> Window:
    if query.cursor is not None:
        position = decode_cursor(query.cursor, order.signature, len(order.keys))
        return Window(position.page, 0, query.per_page, position.values)
    return Window(query.page, query.offset, query.per_page)


def page_of(filtered: Select[Any], order: Ordering, at: Window) -> Select[Any]:
    """The ids and keys of the window's rows, and one more row to tell whether a next page
    exists. ``filtered`` selects the row id with the list's filters (tenant, live, ...)."""
    # Labelled: the keys are read back by position from the page's subquery.
    statement = filtered.add_columns(*(key.label(f"sort_key_{i}") for i, key in enumerate(order.keys)))
    if at.after is not None:
        statement = statement.where(order.after(at.after))
    return statement.order_by(*order.order_by()).offset(at.offset).limit(at.limit + 1)


def few_page_of(filtered: Select[Any], order: Ordering, at: Window) -> Select[Any]:
    """``page_of()``'s rows, cut from the matching rows gathered first (a MATERIALIZED CTE:
    its scan is planned without the ORDER BY, so by the filter's own index) and then sorted.
    Only for a filter known to match few rows (at most ``FEW_ROWS``, by ``count_up_to()``):
    the sort costs a few microseconds a row, where walking the sort's index to find rare
    matches costs about one a row of the tenant."""
    labelled = (key.label(f"sort_key_{i}") for i, key in enumerate(order.keys))
    matched = filtered.add_columns(*labelled).cte("matched").prefix_with("MATERIALIZED")
    columns = list(matched.c)
    keys = Ordering(tuple(columns[1:]), order.descending, order.signature)
    statement = select(*columns)
    if at.after is not None:
        statement = statement.where(keys.after(at.after))
    return statement.order_by(*keys.order_by()).offset(at.offset).limit(at.limit + 1)


GATHERED = "gathered_count"


def gathered_page_of(
    filtered: Select[Any], order: Ordering, at: Window, *, cap: int = FEW_ROWS
) -> Select[Any]:
    """``few_page_of()``'s rows, each also carrying in a last column (``GATHERED``) what
    ``count_up_to(filtered, cap)`` counts: the matches (at most ``cap + 1``) are gathered once
    into a MATERIALIZED CTE that both the count and the page read. When the count is at most
    ``cap`` the CTE holds every match, so the page is the full ORDER BY's (a cursor continues
    it as ``page_of()``'s would); beyond ``cap`` it holds any ``cap + 1`` of them, and the
    caller cuts the page with ``page_of()`` instead. No row comes back for a window past the
    end: the caller counts with ``count_up_to()`` then."""
    labelled = (key.label(f"sort_key_{i}") for i, key in enumerate(order.keys))
    matched = filtered.add_columns(*labelled).limit(cap + 1).cte("matched").prefix_with("MATERIALIZED")
    columns = list(matched.c)
    keys = Ordering(tuple(columns[1:]), order.descending, order.signature)
    counted = select(func.count()).select_from(matched).scalar_subquery().label(GATHERED)
    statement = select(*columns, counted)
    if at.after is not None:
        statement = statement.where(keys.after(at.after))
    return statement.order_by(*keys.order_by()).offset(at.offset).limit(at.limit + 1)


async def count_up_to(session: AsyncSession, filtered: Select[Any], cap: int) -> int:
    """How many rows ``filtered`` selects, counting at most ``cap + 1``: for a list that
    counts before it chooses how to cut the page (``few_page_of()`` up to ``FEW_ROWS``)."""
    connection = await session.connection()  # a Core count: no ORM result processing
    counted: int = (await connection.execute(capped_count(filtered, cap=cap))).scalar_one()
    return counted


def page_total(counted: int, *, cap: int = TOTAL_CAP) -> PageTotal:
    """The total a list shows for ``counted`` rows: exact up to ``cap``, else ``cap``."""
    return PageTotal(min(counted, cap), exact=counted <= cap)


def bound_page(filtered: Select[Any], order: Ordering, *, after: bool) -> Select[Any]:
    """``page_of()`` with the window as bind parameters (``page_params()`` gives them): one
    statement for every window of its shape, a cursor's (``after``) or an offset's."""
    statement = filtered.add_columns(*(key.label(f"sort_key_{i}") for i, key in enumerate(order.keys)))
    if after:
        statement = statement.where(order.after_bound())
    offset, limit = bindparam("page_offset", type_=Integer), bindparam("page_limit", type_=Integer)
    return statement.order_by(*order.order_by()).offset(offset).limit(limit)


def page_params(order: Ordering, at: Window) -> dict[str, Any]:
    """The parameters of ``bound_page()`` for the window's rows and one more."""
    params = {"page_offset": at.offset, "page_limit": at.limit + 1}
    if at.after is not None:
        params |= order.after_params(at.after)
    return params


def next_cursor(order: Ordering, at: Window, keys: Sequence[Sequence[Any]]) -> str | None:
    """The cursor after the page whose rows had ``keys`` (the window's ``limit + 1`` rows)."""
    if len(keys) <= at.limit:
        return None
    return encode_cursor(order.signature, Position(at.page + 1, tuple(keys[at.limit - 1])))


def capped_count(filtered: Select[Any], *, cap: int = TOTAL_CAP) -> Select[Any]:
    """How many rows ``filtered`` selects, counting at most ``cap + 1``."""
    return select(func.count()).select_from(filtered.limit(cap + 1).subquery())


async def capped_total(
    session: AsyncSession,
    filtered: Select[Any],
    at: Window,
    shown: int,
    *,
    cap: int = TOTAL_CAP,
    counted: Select[Any] | None = None,
    params: Mapping[str, Any] | None = None,
) -> PageTotal:
    """The list's size: exact up to ``cap``, else ``cap`` as a lower bound. A page that ends
    the list already tells its size when no cursor led to it (offset + rows shown), without
    counting; ``shown`` is the number of rows the page query returned (up to ``limit + 1``).
    ``counted`` is ``capped_count(filtered, cap=cap)`` built once, run with ``params``."""
    if at.after is None and shown <= at.limit and (shown > 0 or at.offset == 0):
        return PageTotal(at.offset + shown, exact=True)
    statement = capped_count(filtered, cap=cap) if counted is None else counted
    connection = await session.connection()  # a Core count: no ORM result processing
    total: int = (await connection.execute(statement, params)).scalar_one()
    return PageTotal(min(total, cap), exact=total <= cap)


def keyset_page(order: Ordering, at: Window, keys: Sequence[Sequence[Any]], total: PageTotal) -> KeysetPage:
    return KeysetPage(at.page, total, next_cursor(order, at, keys))
