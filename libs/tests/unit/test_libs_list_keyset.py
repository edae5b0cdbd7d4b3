"""The keyset list mechanism's pure parts: cursors, the page bound, and the ORDER BY shape an
index serves in both directions."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, Uuid
from sqlalchemy.dialects import postgresql
from starlette.datastructures import QueryParams

from proximity.db.listing import nullable_key, ordering
from proximity.errors import ValidationFailed
from proximity.http.cursor import Position, decode_cursor, encode_cursor
from proximity.http.list_query import SortKey, parse_list_query

_items = Table("items", MetaData(), Column("id", Uuid), Column("name", String), Column("rank", Integer))
KEYS = {"name": nullable_key(_items.c.name, _items.c.name), "rank": (_items.c.rank,)}


def _sql(clauses: object) -> str:
    return str(clauses.compile(dialect=postgresql.dialect()))  # type: ignore[attr-defined]


def test_a_cursor_round_trips_its_typed_values() -> None:
    values = (True, "Smith", 3, uuid.uuid4(), datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), None)
    raw = encode_cursor("name:asc", Position(4, values))
    assert decode_cursor(raw, "name:asc", len(values)) == Position(4, values)


@pytest.mark.parametrize(
    ("raw", "signature", "keys"),
    [
        (encode_cursor("name:asc", Position(1, ("a",))), "name:desc", 1),  # another sort
        (encode_cursor("name:asc", Position(1, ("a",))), "name:asc", 2),  # another key count
        ("not a cursor", "name:asc", 1),
        ("eyJzIjoibmFtZTphc2MiLCJwIjoxLCJrIjpbWyJkIiwiMjAyNiJdXX0", "name:asc", 1),  # naive time
        ("", "name:asc", 1),
    ],
)
def test_a_foreign_or_edited_cursor_is_a_validation_error(raw: str, signature: str, keys: int) -> None:
    with pytest.raises(ValidationFailed) as refused:
        decode_cursor(raw, signature, keys)
    assert refused.value.fields == {"cursor": "invalid"}


def test_pages_are_bounded_only_for_a_keyset_list() -> None:
    deep = QueryParams("page=51&per_page=20")
    assert parse_list_query(deep, sortable={"name"}).page == 51
    with pytest.raises(ValidationFailed) as refused:
        parse_list_query(deep, sortable={"name"}, max_offset=1000)
    assert refused.value.fields == {"page": "too_deep"}
    assert parse_list_query(QueryParams("page=50&per_page=20"), sortable={"name"}, max_offset=1000).page == 50
    with_cursor = parse_list_query(QueryParams("cursor=abc"), sortable={"name"}, max_offset=1000)
    assert with_cursor.cursor == "abc"
    assert parse_list_query(QueryParams("cursor=abc"), sortable={"name"}).cursor is None
    with pytest.raises(ValidationFailed):
        parse_list_query(QueryParams("cursor=abc&page=2"), sortable={"name"}, max_offset=1000)


def test_one_direction_for_every_key_and_the_id() -> None:
    descending = ordering([SortKey("name", "desc")], KEYS, _items.c.id)
    order = ", ".join(_sql(clause) for clause in descending.order_by())
    assert order == "items.name IS NULL DESC, coalesce(items.name, items.name) DESC, items.id DESC"
    assert "NULLS" not in order
    assert _sql(descending.after(("x", "y", uuid.uuid4()))).startswith(
        "(items.name IS NULL, coalesce(items.name, items.name), items.id) <"
    )
    ascending = ordering([SortKey("rank", "asc")], KEYS, _items.c.id)
    assert [_sql(clause) for clause in ascending.order_by()] == ["items.rank ASC", "items.id ASC"]
    assert ">" in _sql(ascending.after((1, uuid.uuid4())))


def test_mixed_directions_continue_correctly_without_a_row_comparison() -> None:
    mixed = ordering([SortKey("rank", "asc"), SortKey("name", "desc")], KEYS, _items.c.id)
    assert mixed.descending == (False, True, True, True)
    after = _sql(mixed.after((1, False, "b", uuid.uuid4())))
    assert after.count(" OR ") == 3
    assert "items.rank >" in after
