"""Dynamic fields and their values (seed 004 "Dynamic Fields"). A field belongs to one object
type; a value is one field's value for a subject (an asset) and an object of the field's type.
A deleted field is kept (its values stay as history) but no longer listed or found."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, ColumnElement, Index, Text, and_, distinct, func, literal_column, select, text
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col

from assets.repositories.asset_records import Asset
from assets.repositories.layouts import Layout
from proximity.db.columns import now, stamp
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


_PLACED_FIELDS: ColumnElement[Any] = literal_column("'$[*].items[*].field_id ? (@ != null)'::jsonpath")


@dataclass(frozen=True, slots=True)
class FieldCounts:
    """What uses a field: its values set (not cleared) on live assets, those assets, the
    contracts among their objects, and the live layouts that place it."""

    values: int = 0
    assets: int = 0
    contracts: int = 0
    layouts: int = 0


async def counts_of(
    session: AsyncSession, tenant_id: uuid.UUID, field_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, FieldCounts]:
    """Two grouped reads for a page of fields, however many values they hold."""
    if not field_ids:
        return {}
    value = col(DynamicValue.value)
    held = (
        select(
            col(DynamicValue.field_id),
            func.count(),
            func.count(distinct(col(DynamicValue.subject_id))),
            func.count(distinct(col(DynamicValue.object_id))).filter(
                col(DynamicValue.object_type) == "contract"
            ),
        )
        .join(Asset, col(Asset.id) == col(DynamicValue.subject_id))
        .where(
            col(DynamicValue.tenant_id) == tenant_id,
            col(DynamicValue.field_id).in_(list(field_ids)),
            func.jsonb_typeof(value) != "null",  # a cleared value (also SQL NULL) is no value
            col(Asset.deleted_at).is_(None),
        )
        .group_by(col(DynamicValue.field_id))
    )
    found: dict[uuid.UUID, dict[str, int]] = {}
    for field_id, values, assets, contracts in await session.execute(held):
        found[field_id] = {"values": values, "assets": assets, "contracts": contracts}
    item = (
        func.jsonb_path_query(col(Layout.cards), _PLACED_FIELDS)
        .table_valued("field_id")
        .render_derived(name="placed")
    )
    placed_id = item.c.field_id.op("#>>")(literal_column("'{}'"))  # the JSON string's text
    placing = (
        select(placed_id, func.count(distinct(col(Layout.id))))
        .select_from(Layout)
        .join(item, literal_column("true"))
        .where(
            col(Layout.tenant_id) == tenant_id,
            col(Layout.deleted_at).is_(None),
            placed_id.in_([str(field_id) for field_id in field_ids]),
        )
        .group_by(placed_id)
    )
    for field_id, layouts in await session.execute(placing):
        found.setdefault(uuid.UUID(field_id), {})["layouts"] = layouts
    return {field_id: FieldCounts(**found.get(field_id, {})) for field_id in field_ids}


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
