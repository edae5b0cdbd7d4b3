"""Request bodies holding what PostgreSQL cannot store (NUL, lone surrogates, integers beyond
bigint, date-times outside UTC years 1-9999, deep nesting) are a 400 ``eValidationError``
naming the JSON path of the field; anything else is parsed as before."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import AwareDatetime, BaseModel
from starlette.requests import Request
from starlette.types import Message

from proximity.errors import PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from proximity.http.body import read_json, read_model
from proximity.http.body_values import MAX_NESTING
from proximity.http.storable import BIGINT_MAX, BIGINT_MIN

INT64_RANGE = "must be an integer between -9223372036854775808 and 9223372036854775807"


def request_of(body: bytes, content_type: str = "application/json") -> Request:
    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/",
        "headers": [(b"content-type", content_type.encode("latin-1"))],
        "query_string": b"",
    }
    return Request(scope, receive)


def parsed(body: bytes, **options: Any) -> Any:
    return asyncio.run(read_json(request_of(body), **options))


def refused(body: bytes) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        parsed(body)
    assert caught.value.status == 400
    return caught.value


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def test_nul_in_a_nested_value_names_its_path() -> None:
    error = refused(b'{"addresses": [{"city": "New\\u0000ark"}]}')

    assert error.code == "eValidationError"
    assert error.fields == {"addresses.0.city": "must not contain the NUL character"}


def test_nul_in_a_key_is_refused_and_shown_replaced() -> None:
    error = refused(b'{"profile": {"ti\\u0000tle": "x"}}')

    assert error.fields == {"profile.ti\ufffdtle": "the key must not contain the NUL character"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b'{"name": "a\\ud800b"}', "name"),
        (b'{"name": "\\udc00"}', "name"),
        (b'{"list": ["ok", "\\ud83d"]}', "list.1"),
        (b'{"\\ud800": 1}', "\ufffd"),
    ],
)
def test_a_lone_surrogate_is_named_though_orjson_refuses_it(body: bytes, field: str) -> None:
    error = refused(body)

    assert error.code == "eValidationError"
    assert list(error.fields) == [field]
    assert "lone surrogate" in error.fields[field]


def test_a_surrogate_pair_is_an_ordinary_character() -> None:
    assert parsed(b'{"name": "\\ud83d\\ude00"}') == {"name": "\U0001f600"}


@pytest.mark.parametrize("value", [BIGINT_MAX, BIGINT_MIN, 0, -1])
def test_integers_of_a_bigint_pass(value: int) -> None:
    assert parsed(f'{{"n": {value}}}'.encode()) == {"n": value}


@pytest.mark.parametrize(
    "literal",
    [
        str(BIGINT_MAX + 1),
        str(BIGINT_MIN - 1),
        str(2**64 - 1),  # orjson's largest integer
        str(2**70),  # orjson turns this one into a float
        str(-(2**70)),
        "1" + "0" * 400,  # beyond a double: orjson refuses it outright
        "9" * 5000,  # beyond Python's 4300-digit int() limit
    ],
)
def test_integers_beyond_a_bigint_are_refused_by_path(literal: str) -> None:
    error = refused(f'{{"data": {{"counter": {literal}}}}}'.encode())

    assert error.fields == {"data.counter": INT64_RANGE}


@pytest.mark.parametrize("literal", ["1.2e21", "-9.3e18", "1e300", "18446744073709551616.0", "-0.0", "0.5"])
def test_floats_pass_however_large(literal: str) -> None:
    assert parsed(f'{{"x": {literal}}}'.encode()) == {"x": float(literal)}


def test_minus_zero_is_zero() -> None:
    assert parsed(b'{"x": -0}') == {"x": 0}


@pytest.mark.parametrize("literal", ["1e400", "-1e400"])
def test_a_number_beyond_a_double_is_refused_by_path(literal: str) -> None:
    error = refused(f'{{"x": [{literal}]}}'.encode())

    assert error.fields == {"x.0": "must be a finite number"}


@pytest.mark.parametrize(
    "body", [b'{"x": NaN}', b'{"x": Infinity}', b'{"x": -Infinity}', b'{"x": 1', b"\xef\xbb\xbf{}", b'"\xff"']
)
def test_what_is_not_json_stays_malformed(body: bytes) -> None:
    assert refused(body).code == "eMalformedJson"


def test_nesting_to_the_limit_passes() -> None:
    assert parsed(nested(MAX_NESTING + 1)) is not None  # the root and MAX_NESTING levels below it


@pytest.mark.parametrize("depth", [MAX_NESTING + 2, 254, 255, 1000])
def test_deeper_nesting_is_refused_without_recursion(depth: int) -> None:
    error = refused(nested(depth))

    assert error.code == "eValidationError"
    (path,) = error.fields
    assert path == ".".join(["0"] * (MAX_NESTING + 1))


def test_nesting_orjson_refuses_stays_malformed() -> None:
    assert refused(nested(5000)).code == "eMalformedJson"


def test_the_first_fault_in_document_order_is_named() -> None:
    error = refused(b'{"a": "fine", "b": ["\\u0000"], "c": 99999999999999999999}')

    assert error.fields == {"b.0": "must not contain the NUL character"}


class Schedule(BaseModel):
    count: int
    at: datetime | None = None
    due: AwareDatetime | None = None
    tags: list[int] = []


def model_of(body: dict[str, Any]) -> Schedule:
    return asyncio.run(read_model(request_of(json.dumps(body).encode()), Schedule))


def model_refused(body: dict[str, Any]) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        model_of(body)
    assert caught.value.code == "eValidationError"
    return caught.value


# A string passes the JSON checks; pydantic turns it into an integer of any size.
@pytest.mark.parametrize("count", ["99999999999999999999", "-9223372036854775809"])
def test_an_integer_pydantic_makes_beyond_bigint_is_refused(count: str) -> None:
    assert model_refused({"count": count}).fields == {"count": INT64_RANGE}


def test_integers_in_lists_of_the_model_are_checked() -> None:
    assert model_refused({"count": 1, "tags": [1, "1" + "0" * 19]}).fields == {"tags.1": INT64_RANGE}


def test_a_float_beyond_bigint_for_an_integer_is_refused_by_pydantic_itself() -> None:
    assert list(model_refused({"count": 1e20}).fields) == ["count"]


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"])
@pytest.mark.parametrize("field", ["at", "due"])
def test_a_date_time_outside_utc_years_1_to_9999_is_refused(moment: str, field: str) -> None:
    assert model_refused({"count": 1, field: moment}).fields == {
        field: "must fall between years 1 and 9999 in UTC"
    }


@pytest.mark.parametrize(
    "moment", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "9999-12-31T10:00:00-13:00"]
)
def test_date_times_at_the_edges_of_utc_pass(moment: str) -> None:
    assert model_of({"count": 1, "due": moment}).due is not None


def test_a_naive_date_time_is_taken_as_utc() -> None:
    assert model_of({"count": 1, "at": "9999-12-31T23:59:59"}).at == datetime(9999, 12, 31, 23, 59, 59)


# --- any body: a value, or one of the documented refusals; never another exception ---------

_TEXT = st.text(alphabet=st.characters(exclude_categories=()), max_size=8)
_NUMBERS = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([2**63 - 1, 2**63, -(2**63), 2**64 - 1, 2**64, 10**30]),
)
_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), _NUMBERS, _TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_TEXT, inner, max_size=4)),
    max_leaves=20,
)


def _serialised(value: Any) -> bytes:
    # ensure_ascii writes lone surrogates as \\udXXX escapes, the way a client can send them.
    return json.dumps(value, ensure_ascii=True).encode()


_BODIES = st.one_of(
    _JSON.map(_serialised),
    st.binary(max_size=64),
    st.tuples(_JSON.map(_serialised), st.binary(max_size=4), st.integers(0, 64)).map(
        lambda parts: parts[0][: parts[2]] + parts[1] + parts[0][parts[2] :]
    ),
    st.integers(1, 1100).map(nested),
)


def _holds_only_storable(value: Any, depth: int = 0) -> bool:
    assert depth <= MAX_NESTING
    if isinstance(value, str):
        return "\x00" not in value and not any(0xD800 <= ord(c) <= 0xDFFF for c in value)
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return True
    if isinstance(value, int):
        return BIGINT_MIN <= value <= BIGINT_MAX
    if isinstance(value, list):
        return all(_holds_only_storable(item, depth + 1) for item in value)
    assert isinstance(value, dict)
    return all(
        _holds_only_storable(key, depth + 1) and _holds_only_storable(item, depth + 1)
        for key, item in value.items()
    )


@settings(
    derandomize=True,
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    body=_BODIES,
    content_type=st.sampled_from(["application/json", "application/merge-patch+json", "text/plain", ""]),
    max_bytes=st.sampled_from([16, 1024 * 1024]),
)
def test_any_body_is_a_storable_value_or_a_documented_refusal(
    body: bytes, content_type: str, max_bytes: int
) -> None:
    try:
        document = asyncio.run(read_json(request_of(body, content_type), max_bytes=max_bytes))
    except (ValidationFailed, UnsupportedMediaType, PayloadTooLarge):
        return
    assert _holds_only_storable(document)
