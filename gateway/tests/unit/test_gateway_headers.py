"""Which headers cross the gateway."""

from __future__ import annotations

from gateway.headers import client_response_headers, upstream_request_headers


def test_request_headers_lose_hop_by_hop_and_client_claims() -> None:
    forwarded = upstream_request_headers(
        [
            (b"host", b"api.example.com"),
            (b"connection", b"keep-alive, X-Secret-Hop"),
            (b"x-secret-hop", b"1"),
            (b"transfer-encoding", b"chunked"),
            (b"te", b"trailers"),
            (b"upgrade", b"h2c"),
            (b"proxy-authorization", b"Basic abc"),
            (b"x-forwarded-for", b"6.6.6.6"),
            (b"forwarded", b"for=6.6.6.6"),
            (b"authorization", b"token"),
            (b"x-request-id", b"rid-12345678"),
            (b"content-length", b"5"),
        ],
        client_host="10.0.0.7",
        scheme="https",
    )
    assert forwarded == [
        (b"authorization", b"token"),
        (b"x-request-id", b"rid-12345678"),
        (b"content-length", b"5"),
        (b"x-forwarded-for", b"10.0.0.7"),
        (b"x-forwarded-proto", b"https"),
        (b"x-forwarded-host", b"api.example.com"),
    ]


def test_response_headers_keep_repeats_and_drop_hop_by_hop() -> None:
    kept = client_response_headers(
        [
            (b"Content-Type", b"application/json"),
            (b"Set-Cookie", b"a=1"),
            (b"Set-Cookie", b"b=2"),
            (b"Connection", b"close"),
            (b"Keep-Alive", b"timeout=5"),
            (b"Transfer-Encoding", b"chunked"),
            (b"Date", b"Mon, 01 Jan 2030 00:00:00 GMT"),
            (b"Server", b"uvicorn"),
        ]
    )
    assert kept == [(b"content-type", b"application/json"), (b"set-cookie", b"a=1"), (b"set-cookie", b"b=2")]


def test_client_credentials_are_passed_on_as_the_client_key() -> None:
    credentials = b"Basic Y2xpZW50X2lk:Y2xpZW50X3NlY3JldA=="
    forwarded = upstream_request_headers(
        [(b"proxy-authorization", credentials)], client_host=None, scheme="http"
    )
    assert (b"x-client-key", credentials) in forwarded
    assert all(name != b"proxy-authorization" for name, _ in forwarded)
    # A key sent alongside wins; it is not replaced or doubled.
    both = upstream_request_headers(
        [(b"x-client-key", b"k"), (b"proxy-authorization", credentials)], client_host=None, scheme="http"
    )
    assert [value for name, value in both if name == b"x-client-key"] == [b"k"]
