"""``start`` and ``limit``: read as the shared strict integers. Not a 64-bit integer is
malformed (400), a 64-bit integer outside the range is not allowed (422); nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.datastructures import QueryParams

from consents.domain.errors import InvalidQueryValue, MalformedQuery
from consents.routes.consents import integer_param


def start(raw: str) -> int:
    return integer_param(QueryParams({"start": raw}), "start", 0, 0, 10**9)


@pytest.mark.parametrize(
    ("raw", "value"), [("", 0), (" ", 0), ("7", 7), (" 7 ", 7), ("+7", 7), ("0" * 5000, 0)]
)
def test_integers_within_range(raw: str, value: int) -> None:
    assert start(raw) == value


@pytest.mark.parametrize("raw", ["x", "1_0", "1e3", "\u0661", str(2**63), str(-(2**70)), "9" * 5000])
def test_not_a_64_bit_integer_is_malformed(raw: str) -> None:
    with pytest.raises(MalformedQuery) as raised:
        start(raw)
    assert raised.value.status == 400
    assert len(str(raised.value.attributes["value"])) <= 43  # a 5000-digit value is not echoed


@pytest.mark.parametrize("raw", ["-1", str(10**9 + 1), str(2**63 - 1)])
def test_a_64_bit_integer_out_of_range_is_not_allowed(raw: str) -> None:
    with pytest.raises(InvalidQueryValue) as raised:
        start(raw)
    assert raised.value.status == 422


@settings(derandomize=True, max_examples=200, deadline=None, database=None)
@given(raw=st.one_of(st.text(max_size=30), st.integers(-(2**80), 2**80).map(str)))
def test_any_value_is_an_integer_in_range_or_a_consents_error(raw: str) -> None:
    try:
        value = start(raw)
    except (MalformedQuery, InvalidQueryValue):
        return
    assert 0 <= value <= 10**9
