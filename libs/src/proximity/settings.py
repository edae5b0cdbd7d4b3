"""The settings every service shares; each service's own settings extend ``ServiceSettings``."""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from proximity.http.forwarded import LOOPBACK


class ServiceSettings(BaseSettings):
    """Read from the environment (``DATABASE_URL``, ``NATS_URL``, ``JWKS_URL``, ``PORT`` ...)."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    service_name: str = "proximity"
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/proximity"
    nats_url: str = "nats://127.0.0.1:4222"
    jwks_url: str = "http://127.0.0.1:8001/.well-known/jwks.json"
    jwt_audience: str = "proximity"
    jwt_issuer: str = "proximity-identity"
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "info"
    # Publishing outbox rows and consuming events can be switched off for one-shot tools.
    events_enabled: bool = True
    # Checking callers (``proximity.auth.caller``): identity resolves client keys; a revoked
    # session is remembered as long as its access tokens live, plus a leeway for clock skew
    # and late events; known keys are cached for a minute, unknown ones for a few seconds.
    identity_url: str | None = "http://127.0.0.1:8001"
    access_token_ttl_seconds: int = Field(default=900, ge=1)
    revocation_leeway_seconds: int = Field(default=60, ge=0)
    client_key_ttl_seconds: float = Field(default=60.0, ge=0)
    client_key_negative_ttl_seconds: float = Field(default=5.0, ge=0)
    client_key_negative_max: int = Field(default=10_000, ge=1)
    # Database pool (``proximity.db.engine.service_engine``): each process opens at most pool
    # size + overflow connections (overflow defaults to the pool size). A request that cannot
    # get one within the pool timeout, or whose statement PostgreSQL cancels at the statement
    # timeout (0: none), answers 503 with Retry-After instead of queueing behind a slow
    # dependency. Migrations run on their own engine, without the statement timeout.
    database_pool_size: int = Field(default=10, ge=1)
    database_max_overflow: int | None = Field(default=None, ge=0)
    database_pool_timeout_seconds: float = Field(default=2.5, gt=0)
    database_statement_timeout_ms: int = Field(default=10_000, ge=0)
    # NATS authentication (``proximity.events.bus_permissions``): the bus user this process
    # connects as, held to its own subjects and the streams it consumes. Unset: anonymous, for
    # a broker without authentication (the tests' shared server).
    nats_user: str | None = None
    nats_password: SecretStr | None = None
    # Event streams and consumers (``proximity.events.streams``, ``proximity.events.consumer``).
    # A service declares only its own stream, with these limits (0 / -1: unlimited; storage
    # "file" or "memory"; 3 replicas on a three-node NATS cluster). A consumer's handler that
    # fails is redelivered after a delay that doubles from the initial one up to the maximum;
    # the delivery that reaches ``events_max_deliveries`` parks the message (table
    # ``parked_message``, ``python -m proximity.events.parked``). At most
    # ``events_max_ack_pending`` messages per consumer wait for an acknowledgement (retries
    # included), so a flood of failing messages does not hold back the healthy ones. A
    # consumer looks for replays an operator requested every ``events_replay_poll_seconds``.
    events_stream_max_age_seconds: float = Field(default=0.0, ge=0)
    events_stream_max_bytes: int = Field(default=-1, ge=-1)
    events_stream_max_msgs: int = Field(default=-1, ge=-1)
    events_stream_max_msg_size: int = Field(default=-1, ge=-1)
    events_stream_storage: Literal["file", "memory"] = "file"
    events_stream_replicas: int = Field(default=1, ge=1, le=5)
    events_stream_duplicate_window_seconds: float = Field(default=900.0, gt=0)
    events_max_deliveries: int = Field(default=8, ge=1)
    events_redelivery_initial_delay_seconds: float = Field(default=1.0, gt=0)
    events_redelivery_max_delay_seconds: float = Field(default=60.0, gt=0)
    events_max_ack_pending: int = Field(default=10_000, ge=1)
    events_replay_poll_seconds: float = Field(default=5.0, gt=0)
    # The outbox relay (``proximity.events.relay``): a row whose publish fails is retried after
    # a delay that doubles from the first one up to the maximum, and parked (left unsent, later
    # events of its aggregate waiting behind it) at the attempt that reaches the maximum.
    outbox_max_attempts: int = Field(default=10, ge=1)
    outbox_retry_first_delay_seconds: float = Field(default=1.0, gt=0)
    outbox_retry_max_delay_seconds: float = Field(default=300.0, gt=0)
    # Behind proxies (``proximity.http.forwarded``): X-Forwarded-Proto/-Host/-For count only
    # from a peer in these networks, so links keep the https and host the client called and
    # nobody else can change them. JSON, e.g. TRUSTED_PROXIES='["10.0.0.0/8"]': the gateway's
    # network for a service, the TLS ingress's for the gateway. Loopback by default.
    trusted_proxies: list[IPv4Network | IPv6Network] = Field(default_factory=lambda: list(LOOPBACK))
    # Client keys not in the cache (``proximity.auth.client_keys``): at most this many are
    # being looked up at identity at once; a request for one more answers 503 at once instead
    # of queueing (a flood of random keys cannot tie up identity's lookups or our connections).
    client_key_max_concurrent_lookups: int = Field(default=64, ge=1)
