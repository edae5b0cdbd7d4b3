"""What iam last published for each user (``iam.permissions.updated``): the entries, at the
user's own version, so the next computation publishes only users whose set differs.

``op_group_ids`` repeats the entries' operational groups as an array with a GIN index: "who
was last told something by these groups" (a group that no longer reaches them) is then one
index lookup, not a scan of every entry."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column, Index, PrimaryKeyConstraint, func, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from iam.domain.effective_permissions import Entry
from proximity.db.columns import stamp


class UserPermissions(SQLModel, table=True):
    __tablename__ = "user_permissions"
    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "party_id"),
        Index("ix_user_permissions_op_group_ids", "op_group_ids", postgresql_using="gin"),
    )

    tenant_id: uuid.UUID
    party_id: uuid.UUID
    version: int = Field(sa_column=Column(BigInteger, nullable=False))
    entries: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False, server_default=text("'[]'::jsonb"))
    )
    op_group_ids: list[uuid.UUID] = Field(
        default_factory=list,
        sa_column=Column(ARRAY(UUID(as_uuid=True)), nullable=False, server_default=text("'{}'")),
    )
    published_at: datetime = stamp(nullable=False)


@dataclass(frozen=True, slots=True)
class Published:
    version: int
    entries: tuple[Entry, ...]


async def told_by(
    session: AsyncSession, tenant_id: uuid.UUID, op_group_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The parties whose last published entries name one of these operational groups, each
    with every operational group its entries name."""
    if not op_group_ids:
        return {}
    query = select(col(UserPermissions.party_id), col(UserPermissions.op_group_ids)).where(
        col(UserPermissions.tenant_id) == tenant_id,
        col(UserPermissions.op_group_ids).op("&&")(sorted(op_group_ids)),
    )
    return {party_id: op_ids for party_id, op_ids in await session.execute(query)}


async def published_for(
    session: AsyncSession, tenant_id: uuid.UUID, party_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, Published]:
    query = select(
        col(UserPermissions.party_id), col(UserPermissions.version), col(UserPermissions.entries)
    ).where(
        col(UserPermissions.tenant_id) == tenant_id,
        col(UserPermissions.party_id).in_(list(party_ids)),
    )
    return {
        party_id: Published(version, tuple(sorted(Entry.from_payload(e) for e in entries)))
        for party_id, version, entries in (await session.execute(query)).all()
    }


async def store(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    changed: Mapping[uuid.UUID, tuple[int, Sequence[Entry]]],
) -> None:
    """Upserts each party's new ``(version, entries)`` in one statement."""
    if not changed:
        return
    rows = [
        {
            "tenant_id": tenant_id,
            "party_id": party_id,
            "version": version,
            "entries": [entry.as_payload() for entry in entries],
            "op_group_ids": sorted({entry.op_group_id for entry in entries}),
        }
        for party_id, (version, entries) in changed.items()
    ]
    table = UserPermissions.__table__  # type: ignore[attr-defined]
    statement = insert(table).values(published_at=func.now())
    statement = statement.on_conflict_do_update(
        index_elements=["tenant_id", "party_id"],
        set_={
            "version": statement.excluded.version,
            "entries": statement.excluded.entries,
            "op_group_ids": statement.excluded.op_group_ids,
            "published_at": func.now(),
        },
    )
    await session.execute(statement, rows)


async def granted_entries(
    session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID
) -> list[dict[str, Any]] | None:
    """What iam last published for the party's user, as the event carried it; None if never."""
    query = select(col(UserPermissions.entries)).where(
        col(UserPermissions.tenant_id) == tenant_id, col(UserPermissions.party_id) == party_id
    )
    found: list[dict[str, Any]] | None = (await session.execute(query)).scalar_one_or_none()
    return found
