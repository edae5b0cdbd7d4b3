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
    credential: PasswordCredential | None


async def login_candidate(session: AsyncSession, tenant_id: uuid.UUID, email: str) -> LoginCandidate | None:
    """The user an email names in a tenant, with its password credential."""
    query = (
        select(User, PasswordCredential)
        .join(Identity, col(Identity.user_id) == col(User.id))
        .join(PasswordCredential, col(PasswordCredential.user_id) == col(User.id), isouter=True)
        .where(Identity.tenant_id == tenant_id, Identity.kind == "email", Identity.value == email)
    )
    row = (await session.execute(query)).first()
    if row is None:
        return None
    return LoginCandidate(user=row[0], credential=row[1])


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
