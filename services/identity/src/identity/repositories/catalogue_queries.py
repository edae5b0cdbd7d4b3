"""Pieces every list query of the catalogues shares: keyword matching, paging, totals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement
from sqlmodel.sql.expression import SelectOfScalar

from proximity.http.list_query import ListQuery

Row = TypeVar("Row")


def matching(column: Any, keywords: str) -> ColumnElement[bool]:
    """Every word of ``keywords`` appears in ``column`` (case-insensitive, wildcards literal)."""
    words = [w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in keywords.split()]
    condition: ColumnElement[bool] = column.ilike(f"%{words[0]}%", escape="\\")
    for word in words[1:]:
        condition = condition & column.ilike(f"%{word}%", escape="\\")
    return condition


async def paged(
    session: AsyncSession, query: SelectOfScalar[Row], listing: ListQuery, order: Sequence[Any]
) -> tuple[list[Row], int]:
    """One page of ``query`` in ``order`` and the total of every page."""
    total_query = select(func.count()).select_from(query.order_by(None).subquery())
    total = int((await session.execute(total_query)).scalar_one())
    rows = await session.execute(query.order_by(*order).offset(listing.offset).limit(listing.per_page))
    return list(rows.scalars().all()), total
