"""iam's replica of identity's users (``identity.user.created|updated``): which party each
user is, so ``iam.permissions.updated`` (keyed by party) can also name the user."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from proximity.db.columns import stamp
from proximity.events.replica import apply_if_newer


class UserReplica(SQLModel, table=True):
    __tablename__ = "user_replica"

    id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    party_id: uuid.UUID = Field(index=True)
    deleted_at: datetime | None = stamp()
    version: int


async def apply_user(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    party_id: uuid.UUID,
    deleted_at: datetime | None,
    version: int,
) -> bool:
    return await apply_if_newer(
        session,
        UserReplica,
        key={"id": user_id},
        version=version,
        values={"tenant_id": tenant_id, "party_id": party_id, "deleted_at": deleted_at},
    )


async def parties_of_users(
    session: AsyncSession, tenant_id: uuid.UUID, user_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """The party of each of ``user_ids`` that is a live user of the tenant."""
    if not user_ids:
        return {}
    query = select(col(UserReplica.id), col(UserReplica.party_id)).where(
        col(UserReplica.tenant_id) == tenant_id,
        col(UserReplica.id).in_(list(user_ids)),
        col(UserReplica.deleted_at).is_(None),
    )
    return {row[0]: row[1] for row in (await session.execute(query)).all()}
