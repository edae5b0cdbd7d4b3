"""The gateway's settings, read from the environment."""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_network

from pydantic import AliasChoices, Field

from proximity.settings import ServiceSettings

MIB = 1024 * 1024


class GatewaySettings(ServiceSettings):
    """``PORT``, ``NATS_URL``, ``JWKS_URL`` and the upstream URLs; a context whose URL is
    unset is not deployed and answers 503."""

    service_name: str = "gateway"
    port: int = 8000

    identity_url: str | None = "http://127.0.0.1:8001"
    assets_url: str | None = None
    contracts_url: str | None = None
    iam_url: str | None = None
    consents_url: str | None = None
    heatmaps_url: str | None = None

    upstream_timeout_seconds: float = Field(default=30.0, gt=0)
    # Per context, e.g. UPSTREAM_TIMEOUTS='{"heatmaps": 60}'.
    upstream_timeouts: dict[str, float] = Field(default_factory=dict)
    # Per upstream service: each has a pool of its own, so one slow service holding all its
    # connections leaves every other service's untouched.
    upstream_max_connections: int = Field(default=512, ge=1)
    upstream_max_keepalive: int = Field(default=128, ge=0)
    # identity's client-key lookups and JWKS go through a client of their own, so a slow or
    # busy identity API (logins, uploads to it) never delays checking who calls.
    identity_lookup_max_connections: int = Field(default=64, ge=1)
    identity_lookup_timeout_seconds: float = Field(default=5.0, gt=0)

    max_body_bytes: int = Field(default=10 * MIB, ge=0)
    # A client that stops sending its body this long is answered 408 and let go, instead of
    # holding a gateway and an upstream connection until the upstream's own timeout.
    body_idle_timeout_seconds: float = Field(default=10.0, gt=0)
    # The whole body must have arrived within this long (time spent waiting for the client
    # only): a trickle that keeps beating the idle timeout is answered 408 too.
    body_timeout_seconds: float = Field(default=120.0, gt=0)
    access_token_ttl_seconds: int = Field(default=900, ge=1)
    # Added to the token lifetime when remembering revoked sessions (clock skew, late events).
    revocation_leeway_seconds: int = Field(default=60, ge=0)

    client_key_ttl_seconds: float = Field(default=60.0, ge=0)
    client_key_negative_ttl_seconds: float = Field(default=5.0, ge=0)
    client_key_negative_max: int = Field(default=10_000, ge=1)

    rate_limit_per_minute: int = Field(default=6000, ge=0)  # per client key; 0 disables
    # Requests refused for their client key, per client address: beyond this many a minute the
    # address gets 429 (with Retry-After) until its allowance refills; 0 disables. Guessing
    # keys from one address then costs identity at most this many lookups a minute.
    invalid_keys_per_minute: int = Field(default=60, ge=0)

    # Browser origins allowed to call the API, e.g. GATEWAY_CORS_ORIGINS='["https://app.example"]'
    # ("*": any). None by default: a deployment names its own front ends.
    cors_origins: list[str] = Field(
        default_factory=list, validation_alias=AliasChoices("GATEWAY_CORS_ORIGINS", "cors_origins")
    )
    # Origins by pattern (full match), e.g. any port on localhost for development.
    cors_origin_regex: str | None = Field(
        default=None, validation_alias=AliasChoices("GATEWAY_CORS_ORIGIN_REGEX", "cors_origin_regex")
    )

    # Who may read /metrics: the gateway is public, its metrics are for the operator's scraper.
    # Loopback and private ranges by default, e.g. METRICS_NETWORKS='["10.0.0.0/8"]'.
    metrics_networks: list[IPv4Network | IPv6Network] = Field(
        default_factory=lambda: [
            ip_network(n) for n in ("127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
        ]
    )

    def upstream_url(self, context: str) -> str | None:
        url: str | None = getattr(self, f"{context}_url", None)
        return url or None

    def upstream_timeout(self, context: str) -> float:
        return self.upstream_timeouts.get(context, self.upstream_timeout_seconds)
