"""Use cases of a login session: log in (by email, or desktop id; with a second step when a
factor is on), refresh (rotating), log out."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from identity.bootstrap import Collaborators
from identity.domain.email_address import normalise_email
from identity.domain.refresh import RefreshVerdict, judge_refresh
from identity.domain.standing import in_good_standing
from identity.errors import InvalidCredentials, InvalidRefreshToken
from identity.events import published
from identity.repositories.people import (
    LoginCandidate,
    credential_for_update,
    login_candidate,
    user_with_party,
)
from identity.repositories.second_factors import desktop_candidate
from identity.repositories.sessions import (
    live_sessions_for_update,
    refresh_token_for_update,
    refresh_token_hash,
    session_in_tenant,
)
from identity.repositories.tables import RefreshToken, Session, User
from identity.services.clients import resolve_client
from identity.services.login_challenges import SecondStep, open_challenge
from identity.services.login_failures import lockout_of, record_failure, record_success
from identity.services.permissions_replica import flattened, permission_groups
from proximity.auth.claims import Claims
from proximity.db.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int


def _now() -> datetime:
    return datetime.now(UTC)


async def _issue(ctx: Collaborators, uow: UnitOfWork, user: User, session: Session) -> IssuedTokens:
    """A new refresh token (stored hashed) and an access token for ``session``, whose
    ``perms`` are the user's effective permissions from the replica of iam's."""
    perms = flattened(await permission_groups(uow.session, user.tenant_id, user.party_id))
    refresh = secrets.token_urlsafe(32)
    uow.session.add(
        RefreshToken(
            token_hash=refresh_token_hash(refresh), session_id=session.id, tenant_id=session.tenant_id
        )
    )
    settings = ctx.settings
    access = ctx.keys.sign(
        {
            "iss": settings.jwt_issuer,
            "aud": settings.jwt_audience,
            "sub": str(user.id),
            "pid": str(user.party_id),
            "tid": str(user.tenant_id),
            "sid": str(session.id),
            "perms": perms,
            "adm": user.is_system_admin,
            "typ": "access",
        },
        ttl_seconds=settings.access_token_ttl_seconds,
    )
    return IssuedTokens(access, refresh, settings.access_token_ttl_seconds)


def _revoke(uow: UnitOfWork, session: Session, reason: str) -> None:
    if session.revoked_at is None:
        session.revoked_at = _now()
        session.revoked_reason = reason
        uow.publish(published.session_revoked(session))


async def end_sessions(
    uow: UnitOfWork,
    tenant_id: uuid.UUID,
    reason: str,
    *,
    user_id: uuid.UUID | None = None,
    party_id: uuid.UUID | None = None,
) -> None:
    """End every live session of a user (or of a party's user): their refresh tokens stop at
    once, their access tokens as soon as the gateway sees ``identity.session.revoked``."""
    sessions = await live_sessions_for_update(
        uow.session, tenant_id, _now(), user_id=user_id, party_id=party_id
    )
    for session in sessions:
        _revoke(uow, session, reason)


async def start_session(ctx: Collaborators, uow: UnitOfWork, user: User, now: datetime) -> IssuedTokens:
    """A new session of ``user`` and its first tokens, once every factor has been proven."""
    session = Session(
        tenant_id=user.tenant_id,
        user_id=user.id,
        expires_at=now + timedelta(seconds=ctx.settings.refresh_token_ttl_seconds),
    )
    uow.session.add(session)
    await uow.session.flush()
    tokens = await _issue(ctx, uow, user, session)
    uow.publish(published.session_started(session))
    return tokens


async def _candidate(
    session: AsyncSession, tenant_id: uuid.UUID, email: str | None, desktop_id: str | None
) -> LoginCandidate | None:
    """By email; when no email matches and a desktop id is given, by desktop id (seed 002)."""
    found = await login_candidate(session, tenant_id, normalise_email(email)) if email else None
    if found is None and desktop_id and desktop_id.strip():
        found = await desktop_candidate(session, tenant_id, desktop_id.strip())
    return found


async def login(
    ctx: Collaborators,
    *,
    client_key: str | None,
    email: str | None,
    password: str,
    desktop_id: str | None = None,
) -> IssuedTokens | SecondStep:
    """Tokens for a right password; a ``SecondStep`` instead when the user has a second factor.

    Read, verify, record: the Argon2 check (64 MiB and tens of milliseconds of a hashing
    worker) runs holding neither a connection nor the credential's row lock; the outcome is
    then recorded in a short transaction that locks the row for its few statements only."""
    settings = ctx.settings
    async with ctx.reading() as session:
        client = await resolve_client(session, client_key)
        found = await _candidate(session, client.tenant_id, email, desktop_id)
    seen = found.credential if found is not None else None
    # Always verified (against a dummy hash when nobody matches): the answer takes as long
    # for an unknown email as for a wrong password.
    password_ok = await ctx.passwords.verify(seen.password_hash if seen else None, password)
    if found is None or seen is None:
        raise InvalidCredentials()
    async with ctx.unit_of_work() as uow:
        # The lockout is judged on the row as it is now, read after its lock is granted:
        # parallel guesses are counted one after another and cannot slip past the threshold.
        credential = await credential_for_update(uow.session, seen.user_id)
        now = _now()
        if credential is None:
            raise InvalidCredentials()
        if not password_ok:
            record_failure(settings, uow, credential, now)
            await uow.commit()
            raise InvalidCredentials()
        # A password changed while this one was checked: what was verified is no longer it.
        if lockout_of(credential).is_locked(now) or credential.password_hash != seen.password_hash:
            raise InvalidCredentials()
        user = found.user
        if not in_good_standing(user, found.party):
            raise InvalidCredentials()
        second_step = await open_challenge(ctx, uow, user, now)
        if second_step is not None:
            # The failure count stays as it is until the second step succeeds: otherwise the
            # password, known, would reset it between every few guesses at a code.
            await uow.commit()
            return second_step
        record_success(credential)
        tokens = await start_session(ctx, uow, user, now)
        await uow.commit()
        return tokens


async def refresh(ctx: Collaborators, *, client_key: str | None, refresh_token: str) -> IssuedTokens:
    async with ctx.unit_of_work() as uow:
        client = await resolve_client(uow.session, client_key)
        found = await refresh_token_for_update(
            uow.session, client.tenant_id, refresh_token_hash(refresh_token)
        )
        if found is None:
            raise InvalidRefreshToken()
        token, session = found
        now = _now()
        verdict = judge_refresh(
            token_used_at=token.used_at,
            session_revoked_at=session.revoked_at,
            session_expires_at=session.expires_at,
            now=now,
        )
        if verdict is RefreshVerdict.REUSED:
            _revoke(uow, session, "refresh_token_reuse")
            await uow.commit()
            raise InvalidRefreshToken()
        if verdict is RefreshVerdict.SESSION_OVER:
            raise InvalidRefreshToken()
        owner = await user_with_party(uow.session, session.tenant_id, session.user_id)
        if owner is None or not in_good_standing(*owner):
            _revoke(uow, session, "user_inactive")
            await uow.commit()
            raise InvalidRefreshToken()
        token.used_at = now
        tokens = await _issue(ctx, uow, owner[0], session)
        await uow.commit()
        return tokens


async def logout(ctx: Collaborators, claims: Claims) -> None:
    """Ends the caller's session: its refresh token stops working, and the gateway refuses its
    access tokens as soon as it sees ``identity.session.revoked``."""
    if claims.session_id is None:
        return
    async with ctx.unit_of_work() as uow:
        session = await session_in_tenant(uow.session, claims.tenant_id, claims.session_id)
        if session is not None:
            _revoke(uow, session, "logout")
            await uow.commit()
