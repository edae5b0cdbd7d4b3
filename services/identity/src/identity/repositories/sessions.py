"""Queries on sessions and refresh tokens."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from identity.repositories.tables import Client, RefreshToken, Session, User
from identity.repositories.users_tables import EffectivePermissions, UserSettings
from proximity.db.tenancy import get_scoped


def refresh_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def refresh_token_for_update(
    session: AsyncSession, tenant_id: uuid.UUID, token_hash: str
) -> tuple[RefreshToken, Session] | None:
    """The token and its session, both row-locked so two concurrent refreshes cannot both rotate."""
    query = (
        select(RefreshToken, Session)
        .join(Session, RefreshToken.session_id == Session.id)  # type: ignore[arg-type]
        .where(RefreshToken.token_hash == token_hash, RefreshToken.tenant_id == tenant_id)
        .with_for_update()
    )
    row = (await session.execute(query)).first()
    return (row[0], row[1]) if row else None


@dataclass(frozen=True, slots=True)
class CallerState:
    session_live: bool
    party_id: uuid.UUID | None  # None: the user is gone (deleted, or never in this tenant)
    permission_groups: list[dict[str, Any]] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)


# Built once: these run on every user request, and building a statement costs more CPU than
# PostgreSQL spends answering it. Bound parameters keep each one a single cached compilation.
_TENANT, _SESSION, _USER, _KEY = (
    sa.bindparam("tenant_id", type_=sa.Uuid),
    sa.bindparam("session_id", type_=sa.Uuid),
    sa.bindparam("user_id", type_=sa.Uuid),
    sa.bindparam("key_hash", type_=sa.String),
)
_CALLER_STATE = (
    sa.select(  # six columns: more than sqlmodel's typed select() overloads take
        col(Session.revoked_at),
        col(Session.expires_at),
        col(User.party_id),
        col(User.deleted_at),
        col(EffectivePermissions.groups),
        col(UserSettings.settings),
    )
    .select_from(Session)
    .join(User, (col(User.id) == col(Session.user_id)) & (col(User.tenant_id) == _TENANT), isouter=True)
    .join(
        EffectivePermissions,
        (col(EffectivePermissions.party_id) == col(User.party_id))
        & (col(EffectivePermissions.tenant_id) == _TENANT),
        isouter=True,
    )
    .join(
        UserSettings,
        (col(UserSettings.user_id) == col(User.id)) & (col(UserSettings.tenant_id) == _TENANT),
        isouter=True,
    )
    .where(col(Session.id) == _SESSION, col(Session.tenant_id) == _TENANT, col(Session.user_id) == _USER)
)
# A null session id matches no session: the client alone, "not ended".
_CLIENT_STANDING = (
    sa.select(
        col(Client.id),
        col(Client.tenant_id),
        sa.func.coalesce(col(Session.revoked_at).is_not(None), sa.false()),
    )
    .select_from(Client)
    .join(
        Session,
        (col(Session.id) == _SESSION) & (col(Session.tenant_id) == col(Client.tenant_id)),
        isouter=True,
    )
    .where(col(Client.key_hash) == _KEY, col(Client.revoked_at).is_(None))
)


async def caller_state(
    session: AsyncSession, tenant_id: uuid.UUID, session_id: uuid.UUID, user_id: uuid.UUID
) -> CallerState:
    """The caller's session, user, permissions (iam's replica) and settings in one round trip:
    /users/me runs on every app start."""
    bound = {"tenant_id": tenant_id, "session_id": session_id, "user_id": user_id}
    row = (await session.execute(_CALLER_STATE, bound)).first()
    if row is None:
        return CallerState(session_live=False, party_id=None)
    revoked_at, expires_at, party_id, deleted_at, groups, settings = row
    return CallerState(
        session_live=revoked_at is None and expires_at > datetime.now(UTC),
        party_id=party_id if deleted_at is None else None,
        permission_groups=groups or [],
        settings=settings or {},
    )


async def session_revoked(session: AsyncSession, tenant_id: uuid.UUID, session_id: uuid.UUID) -> bool:
    """Only a session that identity ended: the gateway knows no more than that either, and a
    token's signature already vouches for the session it names."""
    query = select(col(Session.revoked_at)).where(
        col(Session.id) == session_id, col(Session.tenant_id) == tenant_id
    )
    return (await session.execute(query)).scalar_one_or_none() is not None


async def client_standing(
    session: AsyncSession, key_hash: str, session_id: uuid.UUID | None
) -> tuple[uuid.UUID, uuid.UUID, bool] | None:
    """The active client of a key (its id and tenant) and whether the named session of that
    tenant was ended, in one round trip: every user request asks both."""
    row = (await session.execute(_CLIENT_STANDING, {"key_hash": key_hash, "session_id": session_id})).first()
    return (row[0], row[1], bool(row[2])) if row is not None else None


async def session_in_tenant(
    session: AsyncSession, tenant_id: uuid.UUID, session_id: uuid.UUID
) -> Session | None:
    return await get_scoped(session, Session, tenant_id, session_id)


async def live_sessions_for_update(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    now: datetime,
    *,
    user_id: uuid.UUID | None = None,
    party_id: uuid.UUID | None = None,
) -> list[Session]:
    """The live sessions of a user, or of the user of a party, row-locked."""
    query = select(Session).where(
        Session.tenant_id == tenant_id, col(Session.revoked_at).is_(None), col(Session.expires_at) > now
    )
    if user_id is not None:
        query = query.where(Session.user_id == user_id)
    if party_id is not None:
        query = query.join(User, col(User.id) == col(Session.user_id)).where(User.party_id == party_id)
    return list((await session.execute(query.with_for_update(of=Session))).scalars().all())
