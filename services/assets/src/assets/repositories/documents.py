"""Documents: files held on an asset or an entity (seed 003 "Documents"), their metadata here,
their bytes in the document store under ``storage_key``. A row exists only for a file whose
upload finished; deleting a document deletes its row (the file goes after the commit)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, Text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from proximity.db.columns import stamp

# The documentable kinds, as rows name them (seed 003's URL says ``assets`` / ``entities``).
DOCUMENTABLE_KINDS = ("asset", "entity")


class Document(SQLModel, table=True):
    __tablename__ = "documents"
    __table_args__ = (
        Index("ix_documents_of", "tenant_id", "documentable_type", "documentable_id", "created_at", "id"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    documentable_type: str = Field(max_length=20)
    documentable_id: uuid.UUID
    name: str = Field(max_length=255)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=255)
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    checksum: str = Field(max_length=64)  # sha256, hex
    storage_key: str = Field(max_length=200)
    version: int = 1
    created_at: datetime = stamp(nullable=False)
    updated_at: datetime | None = stamp()


async def documents_of(
    session: AsyncSession, tenant_id: uuid.UUID, kind: str, documentable_id: uuid.UUID
) -> Sequence[Document]:
    """Oldest first: the order they were added."""
    query = (
        select(Document)
        .where(
            col(Document.tenant_id) == tenant_id,
            col(Document.documentable_type) == kind,
            col(Document.documentable_id) == documentable_id,
        )
        .order_by(col(Document.created_at), col(Document.id))
    )
    return (await session.execute(query)).scalars().all()


async def images_of(
    session: AsyncSession, tenant_id: uuid.UUID, kind: str, documentable_id: uuid.UUID
) -> list[Document]:
    return [d for d in await documents_of(session, tenant_id, kind, documentable_id) if is_image(d)]


def is_image(found: Document) -> bool:
    return found.content_type.startswith("image/")


async def document(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    kind: str,
    documentable_id: uuid.UUID,
    document_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> Document | None:
    query = select(Document).where(
        col(Document.tenant_id) == tenant_id,
        col(Document.documentable_type) == kind,
        col(Document.documentable_id) == documentable_id,
        col(Document.id) == document_id,
    )
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    found: Document | None = (await session.execute(query)).scalar_one_or_none()
    return found


async def documents_by_id(session: AsyncSession, ids: Collection[uuid.UUID]) -> Sequence[Document]:
    """The rows of ``ids``, in any tenant (the sweep's question: which files have a row)."""
    if not ids:
        return []
    query = select(Document).where(col(Document.id).in_(list(ids)))
    return (await session.execute(query)).scalars().all()
