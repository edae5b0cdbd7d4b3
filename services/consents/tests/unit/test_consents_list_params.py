"""``sortBy`` and the ``|`` alternatives of the list's query parameters."""

from __future__ import annotations

import pytest

from consents.domain.errors import InvalidQueryValue, MalformedQuery
from consents.domain.list_params import SortKey, parse_alternatives, parse_sort, parse_states
from consents.domain.states import ConsentState


def test_sort_keys_in_order_with_direction() -> None:
    assert parse_sort("type,-givenAt, +state") == (
        SortKey("type"),
        SortKey("givenAt", descending=True),
        SortKey("state"),
    )
    assert parse_sort("document.revisedAt") == (SortKey("document.revisedAt"),)


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_no_sort(raw: str | None) -> None:
    assert parse_sort(raw) == ()


@pytest.mark.parametrize("raw", ["type,", ",type", "-", "+", "--type", "type,,state", "-+type"])
def test_malformed_sort_is_a_400(raw: str) -> None:
    with pytest.raises(MalformedQuery) as raised:
        parse_sort(raw)
    assert raised.value.status == 400
    assert raised.value.attributes["parameter"] == "sortBy"


def test_unknown_sort_field_is_a_422() -> None:
    with pytest.raises(InvalidQueryValue) as raised:
        parse_sort("type,-color")
    assert raised.value.status == 422
    assert raised.value.attributes["value"] == "color"
    assert "givenAt" in raised.value.attributes["allowed"]  # type: ignore[operator]


def test_a_field_sorted_twice_is_a_422() -> None:
    with pytest.raises(InvalidQueryValue, match="twice"):
        parse_sort("type,-type")


def test_alternatives() -> None:
    assert parse_alternatives("privacyPolicy|electronicConsent", parameter="type") == (
        "privacyPolicy",
        "electronicConsent",
    )
    assert parse_alternatives(" a | b |a", parameter="userId") == ("a", "b")
    assert parse_alternatives("/p/1", parameter="contextUri") == ("/p/1",)
    assert parse_alternatives(None, parameter="type") == ()


@pytest.mark.parametrize("raw", ["", "a||b", "a|", "|a", " | "])
def test_empty_alternative_is_a_400(raw: str) -> None:
    with pytest.raises(MalformedQuery) as raised:
        parse_alternatives(raw, parameter="type")
    assert raised.value.attributes == {"parameter": "type", "value": raw}


def test_states() -> None:
    assert parse_states("given|stale") == (ConsentState.GIVEN, ConsentState.STALE)
    assert parse_states(None) == ()


def test_unknown_state_is_a_422() -> None:
    with pytest.raises(InvalidQueryValue) as raised:
        parse_states("given|approved|nope")
    assert raised.value.status == 422
    assert raised.value.attributes["value"] == ["approved", "nope"]
