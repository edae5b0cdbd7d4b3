"""Queries of the second factors: always within one tenant, row-locked where a code is spent."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from identity.domain.desktop_id import DESKTOP_ID
from identity.repositories.people import LoginCandidate, login_candidate
from identity.repositories.second_factor_tables import (
    EmailOtpCode,
    LoginChallenge,
    RecoveryCode,
    SecondFactor,
)


async def factor_for_update(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID) -> SecondFactor:
    """The user's row, created empty if missing, locked: two codes for one step cannot both pass."""
    query = (
        select(SecondFactor)
        .where(SecondFactor.tenant_id == tenant_id, SecondFactor.user_id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    found = (await session.execute(query)).scalar_one_or_none()
    if found is None:
        found = SecondFactor(user_id=user_id, tenant_id=tenant_id)
        session.add(found)
        await session.flush()
    return found


async def factor_of(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID) -> SecondFactor | None:
    query = select(SecondFactor).where(SecondFactor.tenant_id == tenant_id, SecondFactor.user_id == user_id)
    return (await session.execute(query)).scalar_one_or_none()


async def unused_recovery_codes(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID) -> int:
    query = select(func.count()).where(
        RecoveryCode.tenant_id == tenant_id,
        RecoveryCode.user_id == user_id,
        col(RecoveryCode.used_at).is_(None),
    )
    return int((await session.execute(query)).scalar_one())


async def drop_recovery_codes(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID) -> None:
    await session.execute(
        delete(RecoveryCode).where(
            col(RecoveryCode.tenant_id) == tenant_id, col(RecoveryCode.user_id) == user_id
        )
    )


async def recovery_code_for_update(
    session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, hashed: str
) -> RecoveryCode | None:
    query = (
        select(RecoveryCode)
        .where(
            RecoveryCode.code_hash == hashed,
            RecoveryCode.tenant_id == tenant_id,
            RecoveryCode.user_id == user_id,
        )
        .with_for_update()
    )
    return (await session.execute(query)).scalar_one_or_none()


async def latest_email_code_for_update(
    session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, purpose: str
) -> EmailOtpCode | None:
    """Only the newest code of a purpose counts: asking again replaces the one before."""
    query = (
        select(EmailOtpCode)
        .where(
            EmailOtpCode.tenant_id == tenant_id,
            EmailOtpCode.user_id == user_id,
            EmailOtpCode.purpose == purpose,
        )
        .order_by(col(EmailOtpCode.created_at).desc())
        .limit(1)
        .with_for_update()
    )
    return (await session.execute(query)).scalar_one_or_none()


async def challenge_for_update(
    session: AsyncSession, tenant_id: uuid.UUID, hashed: str
) -> LoginChallenge | None:
    query = (
        select(LoginChallenge)
        .where(LoginChallenge.token_hash == hashed, LoginChallenge.tenant_id == tenant_id)
        .with_for_update()
    )
    return (await session.execute(query)).scalar_one_or_none()


async def desktop_candidate(
    session: AsyncSession, tenant_id: uuid.UUID, desktop_id: str
) -> LoginCandidate | None:
    """The user a desktop id names in a tenant (seed 002's fallback when no email matches)."""
    return await login_candidate(session, tenant_id, desktop_id, kind=DESKTOP_ID)
