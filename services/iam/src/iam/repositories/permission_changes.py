"""What may have changed some users' effective permissions: one row per use case, written in
its transaction, naming the groups whose own row, state, items, owners or inherit edges changed
(an inherit edge: the inheriting group) and the parties whose replica changed. The effective
permission worker consumes the rows in ``id`` order and deletes what it has applied."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import BigInteger, Column, Identity, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel

from proximity.db.columns import stamp


class PermissionChange(SQLModel, table=True):
    __tablename__ = "permission_change"

    id: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=False), primary_key=True)
    )
    tenant_id: uuid.UUID = Field(index=True)
    group_ids: list[uuid.UUID] = Field(
        default_factory=list,
        sa_column=Column(ARRAY(UUID(as_uuid=True)), nullable=False, server_default=text("'{}'")),
    )
    party_ids: list[uuid.UUID] = Field(
        default_factory=list,
        sa_column=Column(ARRAY(UUID(as_uuid=True)), nullable=False, server_default=text("'{}'")),
    )
    created_at: datetime = stamp(nullable=False)


async def record_change(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    group_ids: Collection[uuid.UUID] = (),
    party_ids: Collection[uuid.UUID] = (),
) -> None:
    """One row for the use case's whole change, in its transaction; nothing when it names none."""
    if not group_ids and not party_ids:
        return
    session.add(
        PermissionChange(
            tenant_id=tenant_id, group_ids=sorted(set(group_ids)), party_ids=sorted(set(party_ids))
        )
    )
