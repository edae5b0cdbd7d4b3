"""``X-Forwarded-Proto``, ``-Host`` and ``-For``, believed only from the proxies in front of us.

Behind a TLS ingress the gateway is called over plain HTTP, and behind the gateway a service
is called by the gateway: what the client really called (``https://api.example.com``) and who
it is arrive in these headers. Anyone can send them, though, so they count only when the peer
is a configured proxy (``TRUSTED_PROXIES``): the ingress for the gateway, the gateway for a
service. Then the scope's scheme, ``Host`` and client become the forwarded ones, so
``request.url`` (and every ``Link`` built from it) is the URL the client called; from anyone
else they are ignored. Either way the headers are removed, so nothing downstream reads a
claim nobody vouched for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

from starlette.types import ASGIApp, Receive, Scope, Send

ProxyNetworks = Sequence[IPv4Network | IPv6Network]

LOOPBACK: tuple[IPv4Network | IPv6Network, ...] = (ip_network("127.0.0.0/8"), ip_network("::1/128"))
FORWARDED_HEADERS = frozenset({b"x-forwarded-proto", b"x-forwarded-host", b"x-forwarded-for"})
SCHEMES = frozenset({"http", "https"})
# A host name or address with an optional port: nothing that could turn a link into another URL.
_HOST = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$")


def trusted(address: str | None, proxies: ProxyNetworks) -> bool:
    if not address:
        return False
    try:
        ip = ip_address(address)
    except ValueError:
        return False  # a unix socket or a name: not an address we were told to trust
    mapped = getattr(ip, "ipv4_mapped", None)
    return any((mapped or ip) in network for network in proxies)


def _nearest(values: list[bytes]) -> str | None:
    """The value the nearest proxy set: a proxy that appends puts its own last."""
    items = [item.strip() for value in values for item in value.decode("latin-1").split(",")]
    items = [item for item in items if item]
    return items[-1] if items else None


def _client(values: list[bytes], proxies: ProxyNetworks) -> str | None:
    """The right-most address in ``X-Forwarded-For`` that is not one of our proxies: what
    the first trusted proxy saw; further left is whatever the client wrote."""
    hops = [item.strip() for value in values for item in value.decode("latin-1").split(",")]
    hops = [hop for hop in hops if hop]
    for hop in reversed(hops):
        if not trusted(hop, proxies):
            return hop if _is_address(hop) else None
    return hops[0] if hops and _is_address(hops[0]) else None


def _is_address(value: str) -> bool:
    try:
        ip_address(value)
    except ValueError:
        return False
    return True


def forwarded_scope(scope: Scope, proxies: ProxyNetworks) -> Scope:
    """``scope`` as the client made the request, when its peer is one of ``proxies``."""
    headers: list[tuple[bytes, bytes]] = scope["headers"]
    if not any(name in FORWARDED_HEADERS for name, _ in headers):
        return scope
    kept = [(name, value) for name, value in headers if name not in FORWARDED_HEADERS]
    peer = scope.get("client")
    if not trusted(peer[0] if peer else None, proxies):
        return {**scope, "headers": kept}

    def named(wanted: bytes) -> list[bytes]:
        return [value for name, value in headers if name == wanted]

    forwarded: Scope = {**scope}
    scheme = _nearest(named(b"x-forwarded-proto"))
    if scheme is not None and scheme.lower() in SCHEMES:
        scheme = scheme.lower()
        forwarded["scheme"] = scheme.replace("http", "ws") if scope["type"] == "websocket" else scheme
    host = _nearest(named(b"x-forwarded-host"))
    if host is not None and _HOST.match(host):
        kept = [(name, value) for name, value in kept if name != b"host"]
        kept.append((b"host", host.encode("latin-1")))
    client = _client(named(b"x-forwarded-for"), proxies)
    if client is not None:
        forwarded["client"] = (client, 0)
    forwarded["headers"] = kept
    return forwarded


class ForwardedByTrustedProxies:
    """Installed by ``build_app`` outermost, so the request id, access log, ``/metrics``
    access check and every route see the client, not the proxy."""

    def __init__(self, app: ASGIApp, proxies: ProxyNetworks = LOOPBACK) -> None:
        self.app = app
        self.proxies = tuple(proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            scope = forwarded_scope(scope, self.proxies)
        await self.app(scope, receive, send)
