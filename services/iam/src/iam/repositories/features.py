"""Features (seed 004 "Features"): each opens one permission tag (``assets.view``), grouped in
categories. A tenant's system features are provisioned from the permission catalogue
(``proximity.auth.permission_catalogue``); feature groups hold them as items."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, ColumnElement, Computed, Index, Select, and_, func, text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from proximity.db.columns import stamp
from proximity.db.keywords import matches_keywords
from proximity.db.listing import capped_total, keyset_page, ordering, page_of, window
from proximity.http.list_query import KeysetPage, ListQuery

FEATURE_SEARCH_WORDS = "to_tsvector('simple'::regconfig, name)"


class FeatureCategory(SQLModel, table=True):
    __tablename__ = "feature_category"
    __table_args__ = (Index("uq_feature_category_sys_name", "tenant_id", "sys_name", unique=True),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    name: str = Field(max_length=150)
    # The catalogue resource it stands for (``assets``): what provisioning finds it again by.
    sys_name: str = Field(max_length=100)
    parent_id: uuid.UUID | None = Field(default=None, foreign_key="feature_category.id")


class Feature(SQLModel, table=True):
    __tablename__ = "feature"
    __table_args__ = (
        # One feature per tag in a tenant: provisioning twice adds nothing.
        Index("uq_feature_permission", "tenant_id", "permission", unique=True),
        Index("ix_feature_search_words", "search_words", postgresql_using="gin"),
        Index(
            "ix_feature_list_name",
            "tenant_id",
            text("lower(name)"),
            "id",
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    name: str = Field(max_length=150)
    permission: str = Field(max_length=100)
    category_id: uuid.UUID | None = Field(default=None, foreign_key="feature_category.id", index=True)
    is_system: bool = False
    created_at: datetime = stamp(nullable=False)
    updated_at: datetime | None = stamp()
    deleted_at: datetime | None = stamp()
    search_words: Any = Field(
        default=None,
        sa_column=Column(TSVECTOR, Computed(FEATURE_SEARCH_WORDS, persisted=True), nullable=True),
        exclude=True,
    )


@dataclass(frozen=True, slots=True)
class FeatureFilter:
    ids: tuple[uuid.UUID, ...] = ()
    keywords: str | None = None


_columns = Feature.__table__.c  # type: ignore[attr-defined]  # typed Core columns of the model

SORTS: dict[str, tuple[ColumnElement[Any], ...]] = {
    "name": (func.lower(_columns.name),),
    "created": (_columns.created_at,),
    "updated": (func.coalesce(_columns.updated_at, _columns.created_at),),
}


async def feature(session: AsyncSession, tenant_id: uuid.UUID, feature_id: uuid.UUID) -> Feature | None:
    """One feature of the tenant, a deleted one too (naming an id asks for it explicitly)."""
    query = select(Feature).where(col(Feature.tenant_id) == tenant_id, col(Feature.id) == feature_id)
    found: Feature | None = (await session.execute(query)).scalar_one_or_none()
    return found


async def missing_features(
    session: AsyncSession, tenant_id: uuid.UUID, ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """The ids among ``ids`` that are no live feature of the tenant."""
    if not ids:
        return set()
    query = select(col(Feature.id)).where(
        col(Feature.tenant_id) == tenant_id,
        col(Feature.id).in_(list(ids)),
        col(Feature.deleted_at).is_(None),
    )
    return set(ids) - set((await session.execute(query)).scalars())


async def categories_of(session: AsyncSession, tenant_id: uuid.UUID) -> Sequence[FeatureCategory]:
    query = (
        select(FeatureCategory)
        .where(col(FeatureCategory.tenant_id) == tenant_id)
        .order_by(func.lower(col(FeatureCategory.name)), col(FeatureCategory.id))
    )
    return (await session.execute(query)).scalars().all()


def _conditions(tenant_id: uuid.UUID, filters: FeatureFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [col(Feature.tenant_id) == tenant_id]
    if filters.ids:
        conditions.append(col(Feature.id).in_(filters.ids))  # deleted ones only when named
    else:
        conditions.append(col(Feature.deleted_at).is_(None))
    if filters.keywords is not None:
        conditions.append(matches_keywords(_columns.search_words, filters.keywords))
    return conditions


async def list_page(
    session: AsyncSession, tenant_id: uuid.UUID, filters: FeatureFilter, query: ListQuery
) -> tuple[list[Feature], KeysetPage]:
    order = ordering(query.sort, SORTS, _columns.id)
    at = window(query, order)
    filtered: Select[Any] = select(col(Feature.id)).where(and_(*_conditions(tenant_id, filters)))
    page = page_of(filtered, order, at).subquery("page")
    keys = list(page.c)[1:]
    statement = (
        select(Feature, *keys).join(page, page.c[0] == col(Feature.id)).order_by(*order.order_of(keys))
    )
    rows = (await session.execute(statement)).all()
    shown: list[Feature] = [row[0] for row in rows[: at.limit]]
    sort_keys: list[tuple[Any, ...]] = [tuple(row[1:]) for row in rows]
    total = await capped_total(session, filtered, at, len(sort_keys))
    return shown, keyset_page(order, at, sort_keys, total)
