"""Which headers cross the gateway, each way.

Hop-by-hop headers (RFC 9110 §7.6.1, and any named in ``Connection``) stay on their hop.
The client's ``Host`` is replaced by the upstream's, and the gateway, being the edge, states
who the client is in ``X-Forwarded-*`` instead of passing on what the client claimed.
"""

from __future__ import annotations

from collections.abc import Iterable

RawHeaders = list[tuple[bytes, bytes]]

HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)
SET_BY_GATEWAY = frozenset(
    {b"host", b"forwarded", b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-host"}
)
# The gateway's own server adds these to every response.
SET_BY_SERVER = frozenset({b"date", b"server"})


def _named_in_connection(headers: Iterable[tuple[bytes, bytes]]) -> set[bytes]:
    return {
        token.strip().lower()
        for name, value in headers
        if name.lower() == b"connection"
        for token in value.split(b",")
        if token.strip()
    }


def _without(headers: Iterable[tuple[bytes, bytes]], names: frozenset[bytes]) -> RawHeaders:
    pairs = [(name.lower(), value) for name, value in headers]
    dropped = names | _named_in_connection(pairs)
    return [(name, value) for name, value in pairs if name not in dropped]


def upstream_request_headers(
    headers: Iterable[tuple[bytes, bytes]], *, client_host: str | None, scheme: str
) -> RawHeaders:
    pairs = list(headers)
    host = next((value for name, value in pairs if name.lower() == b"host"), None)
    forwarded = _without(pairs, HOP_BY_HOP | SET_BY_GATEWAY)
    if client_host:
        forwarded.append((b"x-forwarded-for", client_host.encode("latin-1")))
    forwarded.append((b"x-forwarded-proto", scheme.encode("latin-1")))
    if host:
        forwarded.append((b"x-forwarded-host", host))
    return forwarded


def client_response_headers(headers: Iterable[tuple[bytes, bytes]]) -> RawHeaders:
    return _without(headers, HOP_BY_HOP | SET_BY_SERVER)
