"""Heatmap configurations (seed 004 "Heatmaps"): the table and reading one of a tenant.

``owner_ids`` and ``group_ids`` are uuid arrays (checked against the party and group replicas
when written, never joined as foreign keys: they are other contexts' ids); ``metrics`` is the
list of metric objects as the API shows them. Deleting is soft (``deleted_at``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Computed, Index, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR, UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from proximity.db.columns import stamp

# The key expressions of each sort's partial index, as PostgreSQL prints them back (so the
# migration's indexes and the model's compare equal); heatmap_queries.SORTS are the same.
HEATMAP_SORT_INDEXES: dict[str, tuple[str, ...]] = {
    "name": ("lower(name)",),
    # A prefix: a long description does not fit in a btree index row.
    "description": (
        '(lower("left"(description, 200)) IS NULL)',
        "COALESCE(lower(\"left\"(description, 200)), ''::text)",
    ),
    "type": ("type",),
    "created": ("created_at",),
    "updated": ("COALESCE(updated_at, created_at)",),
}
HEATMAP_SEARCH_WORDS = "to_tsvector('simple'::regconfig, (name || ' ') || COALESCE(description, ''))"


def _heatmap_indexes() -> tuple[Index, ...]:
    def key(expression: str) -> Any:
        return expression if expression.isidentifier() else text(expression)

    live = text("deleted_at IS NULL")
    return (
        Index("ix_heatmaps_search_words", "search_words", postgresql_using="gin"),
        *(
            Index(f"ix_heatmaps_list_{name}", "tenant_id", *map(key, keys), "id", postgresql_where=live)
            for name, keys in HEATMAP_SORT_INDEXES.items()
        ),
    )


class Heatmap(SQLModel, table=True):
    __tablename__ = "heatmaps"
    __table_args__ = _heatmap_indexes()

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    name: str = Field(max_length=150)
    description: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    type: str = Field(max_length=20)
    owner_ids: list[uuid.UUID] = Field(
        default_factory=list, sa_column=Column(ARRAY(UUID(as_uuid=True)), nullable=False)
    )
    group_ids: list[uuid.UUID] = Field(
        default_factory=list, sa_column=Column(ARRAY(UUID(as_uuid=True)), nullable=False)
    )
    metrics: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    version: int = 1
    created_at: datetime = stamp(nullable=False)
    updated_at: datetime | None = stamp()
    suspended_at: datetime | None = stamp()
    deleted_at: datetime | None = stamp()
    search_words: Any = Field(
        default=None, sa_column=Column(TSVECTOR, Computed(HEATMAP_SEARCH_WORDS, persisted=True))
    )


async def heatmap(
    session: AsyncSession, tenant_id: uuid.UUID, heatmap_id: uuid.UUID, *, for_update: bool = False
) -> Heatmap | None:
    """One heatmap of the tenant, a deleted one too (naming an id asks for it explicitly)."""
    query = select(Heatmap).where(col(Heatmap.tenant_id) == tenant_id, col(Heatmap.id) == heatmap_id)
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    found: Heatmap | None = (await session.execute(query)).scalar_one_or_none()
    return found
