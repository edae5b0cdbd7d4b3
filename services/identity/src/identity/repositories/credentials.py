"""Reading a password credential without locking it: what a password is checked against
before the transaction that records the outcome (which locks it: ``credential_for_update``)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from identity.repositories.tables import PasswordCredential


async def password_credential(session: AsyncSession, user_id: uuid.UUID) -> PasswordCredential | None:
    return await session.get(PasswordCredential, user_id)
