"""The documents the assets service announces (``assets.document.*``): what validating a
contract's ``media_ids`` needs. A deleted document stays as a tombstone (``deleted_at``), so a
late, older event cannot bring it back."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from proximity.db.columns import stamp
from proximity.events.replica import apply_if_newer


class ReplicatedDocument(SQLModel, table=True):
    __tablename__ = "document_replica"

    document_id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    # What the document is attached to in assets (``asset`` | ``entity``); kept so an answer
    # can say where a medium lives without calling assets.
    documentable_type: str = Field(max_length=20)
    documentable_id: uuid.UUID
    deleted_at: datetime | None = stamp()
    version: int


async def apply_document(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    document_id: uuid.UUID,
    version: int,
    documentable_type: str,
    documentable_id: uuid.UUID,
    deleted_at: datetime | None,
) -> bool:
    return await apply_if_newer(
        session,
        ReplicatedDocument,
        key={"document_id": document_id},
        version=version,
        values={
            "tenant_id": tenant_id,
            "documentable_type": documentable_type,
            "documentable_id": documentable_id,
            "deleted_at": deleted_at,
        },
    )


async def missing_documents(
    session: AsyncSession, tenant_id: uuid.UUID, document_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """The ids among ``document_ids`` that are no live document of the tenant."""
    if not document_ids:
        return set()
    query = select(col(ReplicatedDocument.document_id)).where(
        col(ReplicatedDocument.tenant_id) == tenant_id,
        col(ReplicatedDocument.document_id).in_(list(document_ids)),
        col(ReplicatedDocument.deleted_at).is_(None),
    )
    return set(document_ids) - set((await session.execute(query)).scalars())
