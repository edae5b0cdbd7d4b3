"""Which headers cross the gateway, each way.

Hop-by-hop headers (RFC 9110 §7.6.1, and any named in ``Connection``) stay on their hop.
The client's ``Host`` is replaced by the upstream's, and the gateway, being the edge, states
who the client is in ``X-Forwarded-*`` instead of passing on what the client claimed.

``Proxy-Authorization`` is the gateway's own (seed 000's client credentials) and stops here;
a client that sent it instead of ``X-Client-Key`` has it passed on *as* ``X-Client-Key``
(``Basic ...``), because identity names the tenant from that header at login and checks
the credentials again itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from proximity.auth.client_credentials import parse_client_credentials

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


def _client_credentials(value: bytes) -> bool:
    return parse_client_credentials(value.decode("latin-1")) is not None


def _named(headers: RawHeaders, name: bytes) -> bool:
    return any(have == name for have, _ in headers)


def upstream_request_headers(
    headers: Iterable[tuple[bytes, bytes]], *, client_host: str | None, scheme: str
) -> RawHeaders:
    pairs = list(headers)
    host = next((value for name, value in pairs if name.lower() == b"host"), None)
    forwarded = _without(pairs, HOP_BY_HOP | SET_BY_GATEWAY)
    credentials = next((value for name, value in pairs if name.lower() == b"proxy-authorization"), None)
    if (
        credentials is not None
        and _client_credentials(credentials)
        and not _named(forwarded, b"x-client-key")
    ):
        forwarded.append((b"x-client-key", credentials))
    if client_host:
        forwarded.append((b"x-forwarded-for", client_host.encode("latin-1")))
    forwarded.append((b"x-forwarded-proto", scheme.encode("latin-1")))
    if host:
        forwarded.append((b"x-forwarded-host", host))
    return forwarded


def client_response_headers(headers: Iterable[tuple[bytes, bytes]]) -> RawHeaders:
    return _without(headers, HOP_BY_HOP | SET_BY_SERVER)
