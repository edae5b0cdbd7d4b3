"""Queries on sessions and refresh tokens."""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from identity.repositories.tables import RefreshToken, Session


def refresh_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def refresh_token_for_update(
    session: AsyncSession, tenant_id: uuid.UUID, token_hash: str
) -> tuple[RefreshToken, Session] | None:
    """The token and its session, both row-locked so two concurrent refreshes cannot both rotate."""
    query = (
        select(RefreshToken, Session)
        .join(Session, RefreshToken.session_id == Session.id)  # type: ignore[arg-type]
        .where(RefreshToken.token_hash == token_hash, RefreshToken.tenant_id == tenant_id)
        .with_for_update()
    )
    row = (await session.execute(query)).first()
    return (row[0], row[1]) if row else None


async def session_in_tenant(
    session: AsyncSession, tenant_id: uuid.UUID, session_id: uuid.UUID
) -> Session | None:
    found = await session.get(Session, session_id)
    return found if found is not None and found.tenant_id == tenant_id else None
