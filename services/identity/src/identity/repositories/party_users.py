"""Queries on the users of parties: always within one tenant.

Of a party only the columns the first migration made are read (id, names, email,
deleted_at), so the people area can grow the parties table freely.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, func, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from identity.repositories.tables import Identity, Party, Session, User
from identity.repositories.users_tables import UserLoginOptions
from proximity.http.list_query import ListQuery


@dataclass(frozen=True, slots=True)
class PartyUserRow:
    user: User
    first_name: str
    last_name: str | None
    email: str | None
    username: str | None
    allow_sso: bool
    last_signin: datetime | None


async def party_exists(
    session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID, *, lock: bool = False
) -> bool:
    """The party is in the tenant and not deleted. ``lock`` holds its row (FOR NO KEY UPDATE,
    so rows referring to it can still be written) until the transaction ends: two requests
    creating the party's user then run one after the other."""
    query = select(col(Party.id)).where(
        Party.id == party_id, Party.tenant_id == tenant_id, col(Party.deleted_at).is_(None)
    )
    if lock:
        query = query.with_for_update(key_share=True)
    return (await session.execute(query)).first() is not None


async def user_of_party(
    session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID, *, for_update: bool = False
) -> User | None:
    query = select(User).where(User.tenant_id == tenant_id, User.party_id == party_id)
    if for_update:
        query = query.with_for_update()
    user: User | None = (await session.execute(query)).scalar_one_or_none()
    return user


async def login_options(session: AsyncSession, user: User) -> UserLoginOptions:
    """The user's options row, made (unsaved defaults added to the session) if missing."""
    found = await session.get(UserLoginOptions, user.id)
    if found is None:
        found = UserLoginOptions(user_id=user.id, tenant_id=user.tenant_id)
        session.add(found)
    return found


_last_signin = (
    select(func.max(Session.created_at))
    .where(col(Session.user_id) == col(User.id))
    .correlate(User)
    .scalar_subquery()
    .label("last_signin")
)

_SORTS: dict[str, Sequence[Any]] = {
    "name": (col(Party.first_name), col(Party.last_name)),
    "first_name": (col(Party.first_name),),
    "last_name": (col(Party.last_name),),
    "email": (col(Party.email),),
    "last_signin": (_last_signin,),
    "created": (col(User.created_at),),
    "updated": (col(User.updated_at),),
}
SORTABLE = frozenset(_SORTS)


def _rows_query(tenant_id: uuid.UUID) -> Any:
    return (
        sa.select(  # sqlmodel's select has no overload for seven columns
            User,
            col(Party.first_name),
            col(Party.last_name),
            col(Party.email),
            col(UserLoginOptions.username),
            col(UserLoginOptions.allow_sso),
            _last_signin,
        )
        .join(Party, col(Party.id) == col(User.party_id))
        .join(UserLoginOptions, col(UserLoginOptions.user_id) == col(User.id), isouter=True)
        .where(col(User.tenant_id) == tenant_id, col(Party.tenant_id) == tenant_id)
    )


def _row(raw: Any) -> PartyUserRow:
    user, first, last, email, username, allow_sso, last_signin = raw
    return PartyUserRow(user, first, last, email, username, bool(allow_sso), last_signin)


def _escaped(keywords: str) -> str:
    """Keywords match literally: LIKE's wildcards in them are escaped."""
    return keywords.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filters(query: ListQuery) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = []
    if query.ids:
        filters.append(col(User.party_id).in_(query.ids))  # named rows show even when deleted
    else:
        filters += [col(User.deleted_at).is_(None), col(Party.deleted_at).is_(None)]
    if query.keywords:
        pattern = f"%{_escaped(query.keywords)}%"
        filters.append(
            or_(
                col(Party.first_name).ilike(pattern),
                col(Party.last_name).ilike(pattern),
                col(Party.email).ilike(pattern),
                col(UserLoginOptions.username).ilike(pattern),
            )
        )
    return filters


async def list_party_users(
    session: AsyncSession, tenant_id: uuid.UUID, query: ListQuery
) -> tuple[list[PartyUserRow], int]:
    filters = _filters(query)
    order: list[Any] = []
    for key in query.sort:
        order += [c.desc() if key.direction == "desc" else c.asc() for c in _SORTS[key.field]]
    page = (
        _rows_query(tenant_id)
        .where(*filters)
        .order_by(*order, col(User.id))
        .offset(query.offset)
        .limit(query.per_page)
    )
    rows = [_row(raw) for raw in (await session.execute(page)).all()]
    counting = (
        select(func.count())
        .select_from(User)
        .join(Party, col(Party.id) == col(User.party_id))
        .join(UserLoginOptions, col(UserLoginOptions.user_id) == col(User.id), isouter=True)
        .where(User.tenant_id == tenant_id, *filters)
    )
    total = (await session.execute(counting)).scalar_one()
    return rows, int(total)


async def party_user_row(
    session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID
) -> PartyUserRow | None:
    """The user of a party that is not deleted."""
    query = _rows_query(tenant_id).where(User.party_id == party_id, col(Party.deleted_at).is_(None))
    raw = (await session.execute(query)).first()
    return _row(raw) if raw is not None else None


async def identities_of(session: AsyncSession, user: User) -> list[Identity]:
    query = (
        select(Identity)
        .where(Identity.tenant_id == user.tenant_id, Identity.user_id == user.id)
        .order_by(col(Identity.created_at), col(Identity.value))
    )
    return list((await session.execute(query)).scalars().all())


async def identities_taken(
    session: AsyncSession, tenant_id: uuid.UUID, pairs: Sequence[tuple[str, str]], user_id: uuid.UUID | None
) -> list[str]:
    """Which of ``pairs`` another user of the tenant already holds."""
    if not pairs:
        return []
    query = select(col(Identity.value)).where(
        Identity.tenant_id == tenant_id,
        or_(*((col(Identity.kind) == kind) & (col(Identity.value) == value) for kind, value in pairs)),
    )
    if user_id is not None:
        query = query.where(Identity.user_id != user_id)
    return list((await session.execute(query)).scalars().all())
