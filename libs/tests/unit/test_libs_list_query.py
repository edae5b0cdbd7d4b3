"""Seed 004 list parameters: every bad value is a 400 ``eValidationError``, never a 500."""

from __future__ import annotations

import uuid

import pytest
from starlette.datastructures import QueryParams

from proximity.errors import ValidationFailed
from proximity.http.list_query import (
    DEFAULT_PER_PAGE,
    MAX_IDS,
    MAX_PER_PAGE,
    ListQuery,
    SortKey,
    parse_list_query,
)

SORTABLE = ("name", "created")


def parse(query: str, **options: object) -> ListQuery:
    return parse_list_query(QueryParams(query), sortable=SORTABLE, **options)  # type: ignore[arg-type]


def rejected(query: str, **options: object) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        parse(query, **options)
    assert caught.value.status == 400
    assert caught.value.code == "eValidationError"
    return caught.value


def test_defaults() -> None:
    query = parse("")

    assert query == ListQuery(sort=(SortKey("name", "asc"),))
    assert query.page == 0
    assert query.per_page == DEFAULT_PER_PAGE
    assert query.offset == 0
    assert query.keywords is None


def test_ids_in_brackets_and_comma_lists_are_merged() -> None:
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()

    query = parse(f"ids[]={a}&ids[]={b}&ids={c},{a}")

    assert query.ids == (a, b, c, a)


def test_comma_list_in_brackets_and_blank_items() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()

    assert parse(f"ids[]={a},,{b},").ids == (a, b)


@pytest.mark.parametrize("query", ["ids[]=nope", f"ids={uuid.uuid4()},12", "ids[]=1234"])
def test_bad_uuid_is_rejected(query: str) -> None:
    assert rejected(query).fields == {"ids": "uuid"}


def test_too_many_ids_are_rejected() -> None:
    ids = ",".join(str(uuid.uuid4()) for _ in range(MAX_IDS + 1))

    assert rejected(f"ids={ids}").fields == {"ids": "too_many"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sort=name", [("name", "asc")]),
        ("sort=%2Bname", [("name", "asc")]),
        ("sort=+name", [("name", "asc")]),  # '+' arrives as a space
        ("sort=%20name", [("name", "asc")]),
        ("sort=-created", [("created", "desc")]),
        ("sort=-created,+name", [("created", "desc"), ("name", "asc")]),
        ("sort[]=-name&sort[]=created", [("name", "desc"), ("created", "asc")]),
    ],
)
def test_sort(query: str, expected: list[tuple[str, str]]) -> None:
    assert [(k.field, k.direction) for k in parse(query).sort] == expected


def test_default_sort_is_used_when_none_given() -> None:
    assert parse("sort=", default_sort="-created").sort == (SortKey("created", "desc"),)


@pytest.mark.parametrize("query", ["sort=password", "sort=-nam", "sort=name,secret"])
def test_unknown_sort_field_is_rejected(query: str) -> None:
    error = rejected(query)

    assert "created, name" in error.message
    assert "sort" in error.fields


def test_page_and_per_page() -> None:
    query = parse(f"page=3&per_page={MAX_PER_PAGE}")

    assert (query.page, query.per_page, query.offset) == (3, MAX_PER_PAGE, 3 * MAX_PER_PAGE)


def test_empty_page_values_take_the_defaults() -> None:
    query = parse("page=&per_page=")

    assert (query.page, query.per_page) == (0, DEFAULT_PER_PAGE)


@pytest.mark.parametrize(
    ("query", "field", "reason"),
    [
        ("page=-1", "page", "range"),
        ("per_page=0", "per_page", "range"),
        (f"per_page={MAX_PER_PAGE + 1}", "per_page", "range"),
        ("page=two", "page", "integer"),
        ("page=1.5", "page", "integer"),
        ("per_page=ten", "per_page", "integer"),
        ("per_page=1e2", "per_page", "integer"),
    ],
)
def test_bad_page_values_are_rejected(query: str, field: str, reason: str) -> None:
    assert rejected(query).fields == {field: reason}


def test_per_page_maximum_is_configurable() -> None:
    assert parse("per_page=500", max_per_page=500).per_page == 500
    rejected("per_page=51", max_per_page=50)


def test_include() -> None:
    query = parse("include[]=owner&include=tags,owner", includes=("owner", "tags", "fields"))

    assert query.include == frozenset({"owner", "tags"})


def test_unknown_include_is_rejected() -> None:
    error = rejected("include[]=owner&include[]=secrets", includes=("owner",))

    assert error.fields == {"include": "unknown"}
    assert "secrets" in error.message


def test_keywords_are_trimmed_and_blank_means_none() -> None:
    assert parse("keywords=%20tower%20").keywords == "tower"
    assert parse("keywords=%20%20").keywords is None


def test_keywords_length_limit() -> None:
    assert parse("keywords=" + "k" * 200).keywords == "k" * 200
    assert rejected("keywords=" + "k" * 201).fields == {"keywords": "too_long"}
