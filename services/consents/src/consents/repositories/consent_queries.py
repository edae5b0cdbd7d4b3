"""``GET /consents``: the tenant's consents by ``type/state/userId/contextUri`` alternatives,
a ``filter`` expression (the domain's AST, translated to SQL), ``q``, ``sortBy`` and a page."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from consents.domain.consent import Consent
from consents.domain.filter_expression import And, Comparator, Compare, Expression, In, Not, Or
from consents.repositories.consents import to_consent
from consents.repositories.tables import ConsentRow

COLUMNS: dict[str, Any] = {
    "_id": col(ConsentRow.id),
    "type": col(ConsentRow.type),
    "state": col(ConsentRow.state),
    "userId": col(ConsentRow.user_id),
    "contextUri": col(ConsentRow.context_uri),
    "document.uri": col(ConsentRow.document_uri),
    "document.revisionId": col(ConsentRow.document_revision_id),
    "document.revisedAt": col(ConsentRow.document_revised_at),
    "givenAt": col(ConsentRow.given_at),
    "requestRevokedAt": col(ConsentRow.request_revoked_at),
    "requestRescindedAt": col(ConsentRow.request_rescinded_at),
}
SORTABLE = frozenset(COLUMNS)


@dataclass(frozen=True, slots=True)
class Listing:
    start: int = 0
    limit: int = 100
    types: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    user_ids: tuple[str, ...] = ()
    context_uris: tuple[str, ...] = ()
    filter: Expression | None = None
    q: str | None = None
    sort: tuple[tuple[str, bool], ...] = ()  # (field, descending)


def _value(field: str, value: Any) -> Any:
    if field == "_id":
        try:
            return uuid.UUID(str(value))
        except ValueError:
            return None  # no consent has that id
    return str(value) if isinstance(value, str) else value


def _leaf(expression: Compare | In) -> ColumnElement[bool]:
    column = COLUMNS[expression.field]
    if isinstance(expression, In):
        values = [v for v in (_value(expression.field, x) for x in expression.values) if v is not None]
        return column.in_(values) if values else false()
    value = _value(expression.field, expression.value)
    if value is None:
        return false() if expression.op is not Comparator.NE else column.is_not(None) | column.is_(None)
    ops = {
        Comparator.EQ: lambda: column == value,
        Comparator.NE: lambda: column.is_distinct_from(value),
        Comparator.LT: lambda: column < value,
        Comparator.LE: lambda: column <= value,
        Comparator.GT: lambda: column > value,
        Comparator.GE: lambda: column >= value,
    }
    # Two-valued, like the domain's ``matches``: a comparison with a missing value is false.
    return func.coalesce(ops[expression.op](), false())


def condition(expression: Expression) -> ColumnElement[bool]:
    match expression:
        case And(operands):
            return and_(*(condition(o) for o in operands))
        case Or(operands):
            return or_(*(condition(o) for o in operands))
        case Not(operand):
            return not_(condition(operand))
        case Compare() | In():
            return _leaf(expression)
    raise TypeError(f"not a filter expression: {expression!r}")


def _where(tenant_id: uuid.UUID, listing: Listing) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [col(ConsentRow.tenant_id) == tenant_id]
    for column, values in (
        (col(ConsentRow.type), listing.types),
        (col(ConsentRow.state), listing.states),
        (col(ConsentRow.user_id), listing.user_ids),
        (col(ConsentRow.context_uri), listing.context_uris),
    ):
        if values:
            where.append(column.in_(values))
    if listing.filter is not None:
        where.append(condition(listing.filter))
    if listing.q:
        pattern = "%" + listing.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        searched = (
            ConsentRow.type,
            ConsentRow.document_uri,
            ConsentRow.context_uri,
            ConsentRow.user_id,
            ConsentRow.document_revision_id,
        )
        where.append(or_(*(col(c).ilike(pattern, escape="\\") for c in searched)))
    return where


async def search(session: AsyncSession, tenant_id: uuid.UUID, listing: Listing) -> tuple[list[Consent], int]:
    where = _where(tenant_id, listing)
    total = (await session.execute(select(func.count()).select_from(ConsentRow).where(*where))).scalar_one()
    order = [COLUMNS[f].desc().nulls_last() if d else COLUMNS[f].asc().nulls_last() for f, d in listing.sort]
    query = (
        select(ConsentRow)
        .where(*where)
        .order_by(*order, col(ConsentRow.created_at), col(ConsentRow.id))
        .offset(listing.start)
        .limit(listing.limit)
    )
    rows = (await session.execute(query)).scalars()
    return [to_consent(row) for row in rows], int(total)
