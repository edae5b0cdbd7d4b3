"""The async engine on psycopg 3, built by a service's lifespan (never at import)."""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def normalise_url(url: str | URL) -> URL:
    """Accept ``postgres://``, ``postgresql://`` or ``postgresql+psycopg://`` and use psycopg 3."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.drivername in ("postgres", "postgresql", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def with_database(url: str | URL, database: str) -> URL:
    """The same server as ``url``, another database on it."""
    return normalise_url(url).set(database=database)


def build_engine(url: str | URL, *, pool_size: int = 10, echo: bool = False) -> AsyncEngine:
    return create_async_engine(
        normalise_url(url),
        pool_size=pool_size,
        max_overflow=pool_size,
        # No pre-ping: it costs a round trip on every checkout. A connection the server
        # dropped fails one statement, is invalidated by the pool, and the next one is fresh.
        pool_recycle=1800,
        # Statement parameters (password hashes, token hashes) never reach error messages or logs.
        hide_parameters=True,
        echo=echo,
    )


def build_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: use cases read what they saved after the unit of work commits.
    return async_sessionmaker(engine, expire_on_commit=False)
