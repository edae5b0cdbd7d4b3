"""The async engine on psycopg 3, built by a service's lifespan (never at import)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from proximity.settings import ServiceSettings


def normalise_url(url: str | URL) -> URL:
    """Accept ``postgres://``, ``postgresql://`` or ``postgresql+psycopg://`` and use psycopg 3."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.drivername in ("postgres", "postgresql", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def with_database(url: str | URL, database: str) -> URL:
    """The same server as ``url``, another database on it."""
    return normalise_url(url).set(database=database)


def build_engine(
    url: str | URL,
    *,
    pool_size: int = 10,
    max_overflow: int | None = None,
    pool_timeout_seconds: float = 2.5,
    statement_timeout_ms: int | None = None,
    echo: bool = False,
) -> AsyncEngine:
    """``max_overflow`` defaults to ``pool_size``. A checkout that waits ``pool_timeout_seconds``
    raises ``sqlalchemy.exc.TimeoutError``; a statement PostgreSQL cancels after
    ``statement_timeout_ms`` raises ``QueryCanceled``: the HTTP layer answers both with 503, so
    a slow dependency costs its callers seconds, not the 30 s SQLAlchemy waits by default."""
    connect_args: dict[str, Any] = {}
    if statement_timeout_ms:
        # Sent in the startup packet: every connection has it from the first statement, with
        # no SET round trip, and a pooled connection cannot lose it.
        connect_args["options"] = f"-c statement_timeout={int(statement_timeout_ms)}"
    return create_async_engine(
        normalise_url(url),
        pool_size=pool_size,
        max_overflow=pool_size if max_overflow is None else max_overflow,
        pool_timeout=pool_timeout_seconds,
        # No pre-ping: it costs a round trip on every checkout. A connection the server
        # dropped fails one statement, is invalidated by the pool, and the next one is fresh.
        pool_recycle=1800,
        # Statement parameters (password hashes, token hashes) never reach error messages or logs.
        hide_parameters=True,
        connect_args=connect_args,
        echo=echo,
    )


def service_engine(settings: ServiceSettings) -> AsyncEngine:
    """The engine a service's runtime serves requests, relay and consumers with."""
    return build_engine(
        settings.database_url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
        pool_timeout_seconds=settings.database_pool_timeout_seconds,
        statement_timeout_ms=settings.database_statement_timeout_ms,
    )


def build_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: use cases read what they saved after the unit of work commits.
    return async_sessionmaker(engine, expire_on_commit=False)
