"""Dynamic fields and their values (seed 004 "Dynamic Fields"). A field belongs to one object
type; a value is one field's value for a subject (an asset) and an object of the field's type.
A deleted field is kept (its values stay as history) but no longer listed or found."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Column, ColumnElement, Index, Text, and_, func, select, text
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col

from assets.repositories.columns import now, stamp
from proximity.db.listing import capped_total, keyset_page, ordering, page_of, window
from proximity.http.list_query import KeysetPage, ListQuery


class DynamicField(SQLModel, table=True):
    __tablename__ = "dynamic_fields"
    __table_args__ = (
        Index(
            "ix_dynamic_fields_list_label",
            "tenant_id",
            "object_type",
            text("lower(label)"),
            "id",
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    object_type: str = Field(max_length=20)
    label: str = Field(max_length=150)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    field_type: str = Field(max_length=20)
    config: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    version: int = 1
    created_at: datetime = stamp(nullable=False)
    updated_at: datetime | None = stamp()
    archived_at: datetime | None = stamp()
    deleted_at: datetime | None = stamp()


class DynamicValue(SQLModel, table=True):
    __tablename__ = "dynamic_values"
    __table_args__ = (Index("ix_dynamic_values_subject", "tenant_id", "subject_id"),)

    field_id: uuid.UUID = Field(foreign_key="dynamic_fields.id", primary_key=True)
    subject_id: uuid.UUID = Field(primary_key=True)
    object_id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID
    subject_type: str = Field(max_length=20)
    object_type: str = Field(max_length=20)
    value: Any = Field(default=None, sa_column=Column(JSONB, nullable=True))
    updated_by: uuid.UUID | None = None
    updated_at: datetime = stamp(nullable=False)
    version: int = 1


_columns = DynamicField.__table__.c  # type: ignore[attr-defined]  # typed Core columns of the model
SORTS: dict[str, tuple[ColumnElement[Any], ...]] = {"label": (func.lower(_columns.label),)}


async def list_page(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    object_type: str,
    query: ListQuery,
    field_types: Collection[str],
) -> tuple[list[DynamicField], KeysetPage]:
    conditions: list[ColumnElement[bool]] = [
        col(DynamicField.tenant_id) == tenant_id,
        col(DynamicField.object_type) == object_type,
    ]
    if query.ids:
        conditions.append(col(DynamicField.id).in_(query.ids))
    else:
        conditions.append(col(DynamicField.deleted_at).is_(None))
    if field_types:
        conditions.append(col(DynamicField.field_type).in_(list(field_types)))
    order = ordering(query.sort, SORTS, _columns.id)
    at = window(query, order)
    filtered = select(col(DynamicField.id)).where(and_(*conditions))
    page = page_of(filtered, order, at).subquery("page")
    keys = list(page.c)[1:]
    statement = (
        select(DynamicField, *keys)
        .join(page, page.c[0] == col(DynamicField.id))
        .order_by(*order.order_of(keys))
    )
    rows = (await session.execute(statement)).all()
    shown, sort_keys = [row[0] for row in rows[: at.limit]], [tuple(row[1:]) for row in rows]
    total = await capped_total(session, filtered, at, len(sort_keys))
    return shown, keyset_page(order, at, sort_keys, total)


async def live_field(
    session: AsyncSession, tenant_id: uuid.UUID, field_id: uuid.UUID, *, for_update: bool = False
) -> DynamicField | None:
    query = select(DynamicField).where(
        col(DynamicField.tenant_id) == tenant_id,
        col(DynamicField.id) == field_id,
        col(DynamicField.deleted_at).is_(None),
    )
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    found: DynamicField | None = (await session.execute(query)).scalar_one_or_none()
    return found


async def live_fields(
    session: AsyncSession, tenant_id: uuid.UUID, field_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, DynamicField]:
    query = select(DynamicField).where(
        col(DynamicField.tenant_id) == tenant_id,
        col(DynamicField.id).in_(list(field_ids)),
        col(DynamicField.deleted_at).is_(None),
    )
    return {found.id: found for found in (await session.execute(query)).scalars()}


async def save_value(session: AsyncSession, row: dict[str, Any]) -> DynamicValue:
    """Insert or replace one value; its version counts its changes (events carry it)."""
    inserted = insert(DynamicValue).values(**row, updated_at=now(), version=1)
    statement = inserted.on_conflict_do_update(
        index_elements=["field_id", "subject_id", "object_id"],
        set_={
            "value": inserted.excluded.value,
            "updated_by": inserted.excluded.updated_by,
            "updated_at": inserted.excluded.updated_at,
            "version": DynamicValue.__table__.c.version + 1,  # type: ignore[attr-defined]
        },
    ).returning(DynamicValue)
    saved: DynamicValue = (await session.execute(statement)).scalar_one()
    return saved


async def values_of(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    subject_id: uuid.UUID,
    object_type: str,
    field_ids: Sequence[uuid.UUID],
    object_ids: Sequence[uuid.UUID],
) -> Sequence[DynamicValue]:
    query = (
        select(DynamicValue)
        .join(DynamicField, col(DynamicField.id) == col(DynamicValue.field_id))
        .where(
            col(DynamicValue.tenant_id) == tenant_id,
            col(DynamicValue.subject_id) == subject_id,
            col(DynamicValue.object_type) == object_type,
            col(DynamicField.deleted_at).is_(None),
        )
        .order_by(col(DynamicValue.field_id), col(DynamicValue.object_id))
    )
    if field_ids:
        query = query.where(col(DynamicValue.field_id).in_(field_ids))
    if object_ids:
        query = query.where(col(DynamicValue.object_id).in_(object_ids))
    return (await session.execute(query)).scalars().all()
