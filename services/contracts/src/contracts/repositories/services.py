"""Services (seed 004 "Type: Service"): what a tenant provides under its contracts, each of a
service type and a service category. Contracts owns them; assets keeps a replica of their ids
and state from ``contracts.service.*``.

``GET /services`` is cut by partial indexes only (``proximity.db.listing``): one per sort,
``(tenant_id, <keys>, id) WHERE deleted_at IS NULL``, so a page costs the same at 100,000
services as at 10. The type's and the category's names the sorts read are kept on the row by
migration 0004's trigger."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Computed,
    Index,
    Select,
    Text,
    and_,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col

from proximity.db.columns import stamp
from proximity.db.keywords import matches_keywords
from proximity.db.listing import capped_total, keyset_page, nullable_key, ordering, page_of, window
from proximity.http.list_query import KeysetPage, ListQuery

# The key expressions of each sort's partial index, as PostgreSQL prints them back (so the
# migration's indexes and the model's compare equal); SORTS below are the same expressions.
SERVICE_SORT_INDEXES: dict[str, tuple[str, ...]] = {
    "name": ("lower(name)",),
    # A prefix: a 5000-character description does not fit in a btree index row.
    "description": ('lower("left"(description, 200))',),
    "type": ("(sort_type IS NULL)", "COALESCE(sort_type, '')"),
    "category": ("(sort_category IS NULL)", "COALESCE(sort_category, '')"),
    "created": ("created_at",),
    "updated": ("COALESCE(updated_at, created_at)",),
}
SERVICE_SEARCH_WORDS = "to_tsvector('simple'::regconfig, name)"


def _service_indexes() -> tuple[Index, ...]:
    def key(expression: str) -> Any:
        return expression if expression.isidentifier() else text(expression)

    live = text("deleted_at IS NULL")
    return (
        Index("ix_services_search_words", "search_words", postgresql_using="gin"),
        # ``type_id=`` with the default sort: the type's page straight from the index.
        Index(
            "ix_services_of_type", "tenant_id", "type_id", text("lower(name)"), "id", postgresql_where=live
        ),
        *(
            Index(f"ix_services_list_{name}", "tenant_id", *map(key, keys), "id", postgresql_where=live)
            for name, keys in SERVICE_SORT_INDEXES.items()
        ),
    )


class Service(SQLModel, table=True):
    __tablename__ = "services"
    __table_args__ = _service_indexes()

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    name: str = Field(max_length=150)
    description: str = Field(sa_column=Column(Text, nullable=False))
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=16)
    type_id: uuid.UUID | None = Field(default=None, foreign_key="service_types.id")
    category_id: uuid.UUID | None = Field(default=None, foreign_key="service_categories.id")
    version: int = 1
    created_at: datetime = stamp(nullable=False)
    updated_at: datetime | None = stamp()
    suspended_at: datetime | None = stamp()
    deleted_at: datetime | None = stamp()
    search_words: Any = Field(
        default=None, sa_column=Column(TSVECTOR, Computed(SERVICE_SEARCH_WORDS, persisted=True))
    )
    # Kept by migration 0004's trigger from the catalogues, so lists can sort by them.
    sort_type: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    sort_category: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


@dataclass(frozen=True, slots=True)
class ServiceFilter:
    ids: tuple[uuid.UUID, ...] = ()
    keywords: str | None = None
    type_id: uuid.UUID | None = None


_columns = Service.__table__.c  # type: ignore[attr-defined]  # typed Core columns of the model

SORTS: dict[str, tuple[ColumnElement[Any], ...]] = {
    "name": (func.lower(_columns.name),),
    "description": (func.lower(func.left(_columns.description, 200)),),
    "type": nullable_key(_columns.sort_type, literal_column("''")),
    "category": nullable_key(_columns.sort_category, literal_column("''")),
    "created": (_columns.created_at,),
    "updated": (func.coalesce(_columns.updated_at, _columns.created_at),),
}


async def service(
    session: AsyncSession, tenant_id: uuid.UUID, service_id: uuid.UUID, *, for_update: bool = False
) -> Service | None:
    """One service of the tenant, deleted ones too (naming an id asks for it explicitly)."""
    query = select(Service).where(col(Service.tenant_id) == tenant_id, col(Service.id) == service_id)
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    found: Service | None = (await session.execute(query)).scalar_one_or_none()
    return found


async def services_for_update(
    session: AsyncSession, tenant_id: uuid.UUID, service_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Service]:
    query = (
        select(Service)
        .where(col(Service.tenant_id) == tenant_id, col(Service.id).in_(service_ids))
        .order_by(col(Service.id))  # one lock order, so two batches cannot deadlock
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {found.id: found for found in (await session.execute(query)).scalars()}


async def missing_services(
    session: AsyncSession, tenant_id: uuid.UUID, ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """The ids among ``ids`` that are no live service of the tenant: unknown, another tenant's
    or deleted (a suspended service is still a service and may be linked)."""
    if not ids:
        return set()
    query = select(col(Service.id)).where(
        col(Service.tenant_id) == tenant_id,
        col(Service.id).in_(list(ids)),
        col(Service.deleted_at).is_(None),
    )
    live = set((await session.execute(query)).scalars())
    return set(ids) - live


def _conditions(tenant_id: uuid.UUID, filters: ServiceFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [col(Service.tenant_id) == tenant_id]
    if filters.ids:
        conditions.append(col(Service.id).in_(filters.ids))  # deleted ones only when named
    else:
        conditions.append(col(Service.deleted_at).is_(None))
    if filters.type_id is not None:
        conditions.append(col(Service.type_id) == filters.type_id)
    if filters.keywords is not None:
        conditions.append(matches_keywords(_columns.search_words, filters.keywords))
    return conditions


async def list_page(
    session: AsyncSession, tenant_id: uuid.UUID, filters: ServiceFilter, query: ListQuery
) -> tuple[list[Service], KeysetPage]:
    order = ordering(query.sort, SORTS, _columns.id)
    at = window(query, order)
    filtered: Select[Any] = select(col(Service.id)).where(and_(*_conditions(tenant_id, filters)))
    page = page_of(filtered, order, at).subquery("page")
    keys = list(page.c)[1:]
    statement = (
        select(Service, *keys).join(page, page.c[0] == col(Service.id)).order_by(*order.order_of(keys))
    )
    rows = (await session.execute(statement)).all()
    shown, sort_keys = [row[0] for row in rows[: at.limit]], [tuple(row[1:]) for row in rows]
    total = await capped_total(session, filtered, at, len(sort_keys))
    return shown, keyset_page(order, at, sort_keys, total)
