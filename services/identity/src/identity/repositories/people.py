"""Queries on users, their identities and credentials: always within one tenant."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from identity.repositories.tables import Identity, Party, PasswordCredential, User


@dataclass(frozen=True, slots=True)
class LoginCandidate:
    user: User
    party: Party
    credential: PasswordCredential | None


async def login_candidate(
    session: AsyncSession, tenant_id: uuid.UUID, value: str, *, kind: str = "email"
) -> LoginCandidate | None:
    """The user an identity (an email by default) names in a tenant, with party and credential."""
    query = (
        select(User, Party, PasswordCredential)
        .join(Identity, col(Identity.user_id) == col(User.id))
        .join(Party, col(Party.id) == col(User.party_id))
        .join(PasswordCredential, col(PasswordCredential.user_id) == col(User.id), isouter=True)
        .where(Identity.tenant_id == tenant_id, Identity.kind == kind, Identity.value == value)
    )
    row = (await session.execute(query)).first()
    if row is None:
        return None
    return LoginCandidate(user=row[0], party=row[1], credential=row[2])


async def credential_for_update(session: AsyncSession, user_id: uuid.UUID) -> PasswordCredential | None:
    """The credential, row-locked and read after the lock is granted.

    A statement of its own on purpose: under READ COMMITTED a joined, unlocked row would keep
    the values of the snapshot taken before waiting, and concurrent failures would be lost.
    """
    return await session.get(PasswordCredential, user_id, with_for_update=True, populate_existing=True)


async def user_with_party(
    session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID
) -> tuple[User, Party] | None:
    query = (
        select(User, Party)
        .join(Party, col(Party.id) == col(User.party_id))
        .where(User.tenant_id == tenant_id, User.id == user_id)
    )
    row = (await session.execute(query)).first()
    return (row[0], row[1]) if row else None
