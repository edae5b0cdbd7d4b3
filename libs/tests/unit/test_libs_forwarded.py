"""``X-Forwarded-*`` count only from a trusted proxy (``proximity.http.forwarded``)."""

from __future__ import annotations

from ipaddress import ip_network
from typing import Any

from starlette.requests import Request

from proximity.http.forwarded import LOOPBACK, forwarded_scope, trusted

GATEWAYS = (ip_network("10.0.0.0/8"),)


def scope(peer: str, *headers: tuple[str, str], scheme: str = "http") -> dict[str, Any]:
    return {
        "type": "http",
        "scheme": scheme,
        "method": "GET",
        "path": "/parties",
        "raw_path": b"/parties",
        "query_string": b"page=1",
        "server": ("10.0.0.20", 8001),
        "client": (peer, 40000),
        "headers": [(b"host", b"identity:8001"), *((k.encode(), v.encode()) for k, v in headers)],
    }


def url_of(given: dict[str, Any]) -> str:
    return str(Request(given).url)


def test_a_trusted_proxy_says_what_the_client_called() -> None:
    seen = forwarded_scope(
        scope(
            "10.1.2.3",
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "api.example.com"),
            ("x-forwarded-for", "203.0.113.7"),
        ),
        GATEWAYS,
    )

    assert url_of(seen) == "https://api.example.com/parties?page=1"
    assert seen["client"] == ("203.0.113.7", 0)
    assert not any(name.startswith(b"x-forwarded") for name, _ in seen["headers"])


def test_anyone_else_changes_nothing_and_their_claims_are_dropped() -> None:
    given = scope("198.51.100.4", ("x-forwarded-proto", "https"), ("x-forwarded-host", "evil"))
    seen = forwarded_scope(given, GATEWAYS)

    assert url_of(seen) == "http://identity:8001/parties?page=1"
    assert seen["client"] == ("198.51.100.4", 40000)
    assert [name for name, _ in seen["headers"]] == [b"host"]


def test_loopback_is_trusted_by_default_and_mapped_addresses_count() -> None:
    assert trusted("127.0.0.1", LOOPBACK)
    assert trusted("::1", LOOPBACK)
    assert trusted("::ffff:10.2.3.4", GATEWAYS)
    assert not trusted("10.2.3.4", LOOPBACK)
    assert not trusted(None, LOOPBACK)
    assert not trusted("unix-socket", LOOPBACK)


def test_the_nearest_proxys_value_wins_over_what_the_client_prepended() -> None:
    seen = forwarded_scope(
        scope(
            "10.1.2.3",
            ("x-forwarded-proto", "http, https"),
            ("x-forwarded-host", "evil, api.example.com"),
            ("x-forwarded-for", "1.2.3.4, 203.0.113.7, 10.9.9.9"),
        ),
        GATEWAYS,
    )

    assert url_of(seen) == "https://api.example.com/parties?page=1"
    # 10.9.9.9 is one of our proxies; 1.2.3.4 is whatever the client wrote.
    assert seen["client"] == ("203.0.113.7", 0)


def test_values_that_are_not_a_scheme_host_or_address_are_ignored() -> None:
    seen = forwarded_scope(
        scope(
            "10.1.2.3",
            ("x-forwarded-proto", "javascript"),
            ("x-forwarded-host", "evil.example/path@x"),
            ("x-forwarded-for", "not-an-address"),
        ),
        GATEWAYS,
    )

    assert url_of(seen) == "http://identity:8001/parties?page=1"
    assert seen["client"] == ("10.1.2.3", 40000)


def test_a_request_without_forwarded_headers_is_left_as_it_is() -> None:
    given = scope("10.1.2.3")
    assert forwarded_scope(given, GATEWAYS) is given
