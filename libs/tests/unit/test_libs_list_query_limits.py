"""The list parameters at their limits: integers read strictly and bounded so every offset
fits a bigint, and text PostgreSQL cannot store refused. Whatever the query string, the
answer is a ``ListQuery`` or a 400 ``ValidationFailed``, never another exception."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.datastructures import QueryParams

from proximity.errors import ValidationFailed
from proximity.http.list_query import MAX_PER_PAGE, ListQuery, max_page, parse_list_query
from proximity.http.query_integers import OUT_OF_RANGE, query_integer
from proximity.http.storable import BIGINT_MAX, BIGINT_MIN, integer_fault, text_fault

SORTABLE = ("name", "created")


def parse(query: str | bytes) -> ListQuery:
    return parse_list_query(QueryParams(query), sortable=SORTABLE, includes=("stats",))


def rejected(query: str | bytes) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        parse(query)
    assert caught.value.status == 400
    assert caught.value.code == "eValidationError"
    return caught.value


@pytest.mark.parametrize(
    ("raw", "value"),
    [("0", 0), ("+7", 7), ("-7", -7), ("007", 7), (str(BIGINT_MAX), BIGINT_MAX), ("0" * 5000 + "1", 1)],
)
def test_integers_are_ascii_digits_with_a_sign(raw: str, value: int) -> None:
    assert query_integer(raw) == value


@pytest.mark.parametrize(
    "raw", ["", " 7", "7 ", "1_000", "1e3", "0x10", "\u0661", "\uff17", "--1", "+", "1.0"]
)
def test_anything_else_is_not_an_integer(raw: str) -> None:
    assert query_integer(raw) is None


@pytest.mark.parametrize(("raw", "value"), [("9" * 20, OUT_OF_RANGE), ("-" + "9" * 5000, -OUT_OF_RANGE)])
def test_a_literal_longer_than_any_bigint_is_out_of_range_unparsed(raw: str, value: int) -> None:
    assert query_integer(raw) == value


@pytest.mark.parametrize("raw", ["-" + "9" * 20, "9" * 20, str(BIGINT_MIN - 1), str(BIGINT_MAX + 1)])
def test_a_literal_beyond_a_bigint_is_no_bigint_either_way(raw: str) -> None:
    value = query_integer(raw)

    assert value is not None
    assert integer_fault(value) is not None


def test_the_last_page_keeps_its_rows_addressable() -> None:
    last = max_page(MAX_PER_PAGE)
    query = parse(f"page={last}&per_page={MAX_PER_PAGE}")

    assert query.offset + query.per_page <= BIGINT_MAX
    assert rejected(f"page={last + 1}").fields == {"page": "range"}


@pytest.mark.parametrize(
    "page", [str(2**63), str(2**70), "9" * 5000, "-" + "9" * 5000, "99999999999999999999"]
)
def test_a_page_beyond_a_bigint_is_a_range_error(page: str) -> None:
    assert rejected(f"page={page}").fields == {"page": "range"}


@pytest.mark.parametrize("page", ["%D9%A1", "1_0", "1e3", "0x1"])
def test_a_page_that_is_no_ascii_integer_is_refused(page: str) -> None:
    assert rejected(f"page={page}").fields == {"page": "integer"}


def test_a_page_with_blanks_around_it_is_still_read() -> None:
    assert parse("page=+3+").page == 3  # '+' is a space in a query string


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("keywords=a%00b", "keywords"),
        ("sort=%00name", "sort"),
        ("include=%00", "include"),
        ("other=%00", "other"),
        ("na%00me=1", "na\ufffdme"),
    ],
)
def test_nul_in_any_parameter_is_refused_by_name(query: str, field: str) -> None:
    assert rejected(query).fields == {field: "must not contain the NUL character"}


def test_a_lone_surrogate_in_a_parameter_is_refused_and_never_echoed() -> None:
    error = rejected("sort=\ud800name")

    assert error.fields == {"sort": "must not contain a lone surrogate"}
    assert text_fault(error.message) is None


# --- any query string ------------------------------------------------------------------------

_NAMES = st.one_of(
    st.sampled_from(["page", "per_page", "ids", "ids[]", "sort", "include", "include[]", "keywords"]),
    st.text(max_size=6),
)
_ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=()), max_size=12)
_VALUES = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.sampled_from(
        ["0", "1", "100", "101", str(max_page(MAX_PER_PAGE)), "9" * 5000, "0" * 5000 + "1", "\u0661", "1_0"]
    ),
    st.uuids().map(str),
    st.sampled_from(["name", "-name", "+created", "stats", "nope"]),
    _ANY_TEXT,
)


def _pair(name: str, value: str, encoded: bool) -> str:
    if not encoded:
        return f"{name}={value}"
    return f"{quote(name.encode('utf-8', 'surrogatepass'))}={quote(value.encode('utf-8', 'surrogatepass'))}"


_QUERIES = st.one_of(
    st.lists(st.tuples(_NAMES, _VALUES, st.booleans()), max_size=6).map(
        lambda pairs: "&".join(_pair(*pair) for pair in pairs)
    ),
    _ANY_TEXT,
    st.binary(max_size=40),
)


@settings(derandomize=True, max_examples=400, deadline=None, database=None)
@given(query=_QUERIES)
def test_any_query_string_is_a_list_query_within_bigint_or_a_400(query: str | bytes) -> None:
    try:
        listed = parse(query)
    except ValidationFailed:
        return
    assert listed.offset >= 0
    assert listed.offset + listed.per_page <= BIGINT_MAX
    assert 1 <= listed.per_page <= MAX_PER_PAGE
    assert listed.keywords is None or text_fault(listed.keywords) is None
