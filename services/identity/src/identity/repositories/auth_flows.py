"""Queries of the email-based flows (password reset, guest login): always within one tenant."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from typing import Protocol

from sqlalchemy import func, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from identity.repositories.auth_flow_tables import GuestLoginToken, PasswordResetToken
from identity.repositories.tables import Identity


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def serialise_mail_flow(session: AsyncSession, flow: str, user_id: uuid.UUID) -> None:
    """Holds a transaction-scoped lock per (flow, user), so parallel requests count the tokens
    already issued one after another and cannot together pass the rate limit."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": f"{flow}:{user_id}"}
    )


class IssuedRecord(Protocol):
    """A mailed flow's record (reset token, guest token, email code): whose, and when."""

    tenant_id: uuid.UUID
    user_id: uuid.UUID
    created_at: datetime


async def issued_since(
    session: AsyncSession,
    record: type[IssuedRecord],
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    since: datetime,
) -> int:
    """How many ``record`` rows a user was issued since ``since``."""
    query = select(func.count()).where(
        col(record.tenant_id) == tenant_id,
        col(record.user_id) == user_id,
        col(record.created_at) >= since,
    )
    return int((await session.execute(query)).scalar_one())


async def reset_token(
    session: AsyncSession, tenant_id: uuid.UUID, hashed: str, *, for_update: bool = False
) -> PasswordResetToken | None:
    """``for_update``: row-locked, so two resets with one token cannot both succeed."""
    query = select(PasswordResetToken).where(
        PasswordResetToken.token_hash == hashed, PasswordResetToken.tenant_id == tenant_id
    )
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def guest_token_for_update(
    session: AsyncSession, tenant_id: uuid.UUID, hashed: str
) -> GuestLoginToken | None:
    query = (
        select(GuestLoginToken)
        .where(GuestLoginToken.token_hash == hashed, GuestLoginToken.tenant_id == tenant_id)
        .with_for_update()
    )
    return (await session.execute(query)).scalar_one_or_none()


async def spend_reset_tokens(
    session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, now: datetime
) -> None:
    """Every unused reset token of the user: once the password has changed, older links die too."""
    await session.execute(
        update(PasswordResetToken)
        .where(
            col(PasswordResetToken.tenant_id) == tenant_id,
            col(PasswordResetToken.user_id) == user_id,
            col(PasswordResetToken.used_at).is_(None),
        )
        .values(used_at=now)
    )


async def login_email(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID) -> str | None:
    query = select(col(Identity.value)).where(
        Identity.tenant_id == tenant_id, Identity.user_id == user_id, Identity.kind == "email"
    )
    return (await session.execute(query)).scalars().first()
