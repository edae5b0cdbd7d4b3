"""Seed 000's ``Proxy-Authorization: Basic base64(id):base64(secret)``."""

from __future__ import annotations

import base64

from proximity.auth.client_credentials import parse_client_credentials


def b64(value: str) -> str:
    return base64.b64encode(value.encode()).decode()


def test_the_seed_example_parses() -> None:
    parsed = parse_client_credentials("Basic Y2xpZW50X2lk:Y2xpZW50X3NlY3JldA==")
    assert parsed is not None
    assert (parsed.client_id, parsed.secret) == ("client_id", "client_secret")
    assert "client_secret" not in repr(parsed)


def test_the_standard_basic_form_parses_too() -> None:
    parsed = parse_client_credentials(f"basic {b64('id-1:s3cret:with:colons')}")
    assert parsed is not None
    assert (parsed.client_id, parsed.secret) == ("id-1", "s3cret:with:colons")


def test_malformed_headers_are_none() -> None:
    for header in (
        None,
        "",
        "Basic",
        "Bearer abc",
        f"Basic {b64('no-secret')}",
        f"Basic {b64('id')}:",
        f"Basic :{b64('secret')}",
        "Basic !!!:???",
        f"Basic {b64('id')}:{b64('x' * 2000)}",
        f"Basic {base64.b64encode(bytes([0xFF, 0xFE])).decode()}:{b64('s')}",
    ):
        assert parse_client_credentials(header) is None, header
