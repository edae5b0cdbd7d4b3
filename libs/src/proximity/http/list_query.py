"""Parsing of the seed 004 list parameters: ``ids[]``, ``keywords``, ``sort``, ``page``,
``per_page``, ``include[]``, and the ``cursor`` extension. Bad values are a 400
``eValidationError``, never a 500: nor is text PostgreSQL cannot store, and ``page`` is bounded
so that the offset always fits a bigint, or, for a list that pages by keyset
(``max_offset=``), so that no request makes the database walk more than that many rows to
skip them: deeper pages are reached through the cursor."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Literal

from starlette.datastructures import QueryParams

from proximity.errors import ValidationFailed
from proximity.http.cursor import MAX_CURSOR_LENGTH
from proximity.http.query_integers import query_integer
from proximity.http.storable import BIGINT_MAX, printable_name, text_fault

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_IDS = 500


@dataclass(frozen=True, slots=True)
class SortKey:
    field: str
    direction: Literal["asc", "desc"]


@dataclass(frozen=True, slots=True)
class ListQuery:
    ids: tuple[uuid.UUID, ...] = ()
    keywords: str | None = None
    sort: tuple[SortKey, ...] = ()
    page: int = 0
    per_page: int = DEFAULT_PER_PAGE
    include: frozenset[str] = field(default_factory=frozenset)
    # Opaque: where the previous page ended (``proximity.http.cursor``); replaces ``page``.
    cursor: str | None = None
    # Set for a list that pages by keyset: the deepest offset a page number may reach.
    max_offset: int | None = None

    @property
    def offset(self) -> int:
        return self.page * self.per_page


@dataclass(frozen=True, slots=True)
class PageTotal:
    """What a keyset list knows of its size: ``total`` is exact when ``exact``, else a lower
    bound (counting stops at a cap, so a total never costs a walk of the whole table)."""

    total: int
    exact: bool


@dataclass(frozen=True, slots=True)
class KeysetPage:
    """One page of a keyset list: its number (a cursor's page too), the total, and the cursor
    of the next page when there is one."""

    page: int
    total: PageTotal
    next_cursor: str | None


def _values(params: QueryParams, name: str) -> list[str]:
    # Clients send both ``ids[]=a&ids[]=b`` and ``ids=a,b``.
    raw = params.getlist(f"{name}[]") + params.getlist(name)
    return [v.strip() for item in raw for v in item.split(",") if v.strip()]


def _int(params: QueryParams, name: str, default: int, low: int, high: int) -> int:
    raw = (params.get(name) or "").strip()
    if raw == "":
        return default
    value = query_integer(raw)
    if value is None:
        raise ValidationFailed(f"'{name}' must be an integer.", fields={name: "integer"})
    if not low <= value <= high:
        raise ValidationFailed(f"'{name}' must be between {low} and {high}.", fields={name: "range"})
    return value


def max_page(max_per_page: int) -> int:
    """The last page whose rows (offset + per_page) are still addressable with a bigint."""
    return BIGINT_MAX // max_per_page - 1


def refuse_unstorable(params: QueryParams) -> None:
    """Every name and value must be text PostgreSQL can store (the 400 names the parameter):
    values reach SQL (``keywords``) or are echoed in error bodies (``sort``)."""
    for name, value in params.multi_items():
        problem = text_fault(name) or text_fault(value)
        if problem is not None:
            shown = printable_name(name)
            raise ValidationFailed(f"'{shown}' {problem}.", fields={shown: problem})


def parse_uuids(values: list[str], name: str) -> tuple[uuid.UUID, ...]:
    try:
        return tuple(uuid.UUID(v) for v in values)
    except ValueError:
        raise ValidationFailed(f"'{name}' must hold UUIDs.", fields={name: "uuid"}) from None


def parse_list_query(
    params: QueryParams,
    *,
    sortable: Collection[str],
    default_sort: str = "+name",
    includes: Collection[str] = (),
    max_per_page: int = MAX_PER_PAGE,
    max_offset: int | None = None,
) -> ListQuery:
    """``max_offset``: the list pages by keyset; ``page x per_page`` beyond it is refused and
    points to the cursor, and ``cursor`` is read (it replaces ``page``)."""
    refuse_unstorable(params)
    ids = _values(params, "ids")
    if len(ids) > MAX_IDS:
        raise ValidationFailed(f"At most {MAX_IDS} ids may be given.", fields={"ids": "too_many"})
    sort: list[SortKey] = []
    for token in _values(params, "sort") or [default_sort]:
        # '+' in a query string arrives as a space.
        direction: Literal["asc", "desc"] = "desc" if token.startswith("-") else "asc"
        name = token.lstrip("+- ")
        if name not in sortable:
            allowed = ", ".join(sorted(sortable))
            raise ValidationFailed(f"Cannot sort by '{name}'; use one of: {allowed}.", fields={"sort": name})
        sort.append(SortKey(name, direction))
    include = set(_values(params, "include"))
    unknown = include - set(includes)
    if unknown:
        raise ValidationFailed(f"Unknown include '{sorted(unknown)[0]}'.", fields={"include": "unknown"})
    keywords = (params.get("keywords") or "").strip() or None
    if keywords is not None and len(keywords) > 200:
        raise ValidationFailed("'keywords' is longer than 200 characters.", fields={"keywords": "too_long"})
    page = _int(params, "page", 0, 0, max_page(max_per_page))
    per_page = _int(params, "per_page", DEFAULT_PER_PAGE, 1, max_per_page)
    cursor = None
    if max_offset is not None:
        cursor = _cursor(params, page_given=bool((params.get("page") or "").strip()))
        if cursor is None and page * per_page > max_offset:
            raise ValidationFailed(
                f"'page' x 'per_page' may be at most {max_offset}; follow the Link rel=\"next\" "
                "(pagination.next_cursor) to go further.",
                fields={"page": "too_deep"},
            )
    return ListQuery(
        ids=parse_uuids(ids, "ids"),
        keywords=keywords,
        sort=tuple(sort),
        page=page,
        per_page=per_page,
        include=frozenset(include),
        cursor=cursor,
        max_offset=max_offset,
    )


def _cursor(params: QueryParams, *, page_given: bool) -> str | None:
    raw = (params.get("cursor") or "").strip()
    if not raw:
        return None
    if page_given:
        raise ValidationFailed("Give 'page' or 'cursor', not both.", fields={"cursor": "with_page"})
    if len(raw) > MAX_CURSOR_LENGTH:
        raise ValidationFailed("'cursor' is too long.", fields={"cursor": "invalid"})
    return raw
