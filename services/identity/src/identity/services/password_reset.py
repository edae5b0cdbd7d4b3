"""Password reset (seed 002): a mailed, single-use, expiring token lets a user choose a new
password; every session of the user ends with it."""

from __future__ import annotations

import logging
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncSession

from identity.bootstrap import Collaborators
from identity.domain.email_address import normalise_email
from identity.domain.password_policy import ensure_acceptable
from identity.domain.standing import in_good_standing
from identity.errors import InactiveUser, InvalidResetToken
from identity.events import published
from identity.repositories.auth_flow_tables import PasswordResetToken
from identity.repositories.auth_flows import login_email, reset_token, spend_reset_tokens, token_hash
from identity.repositories.people import credential_for_update, login_candidate, user_with_party
from identity.repositories.tables import PasswordCredential, User
from identity.services import mail_templates
from identity.services.clients import resolve_client
from identity.services.mail import MailDelivery, enqueue
from identity.services.mail_flows import mail_flow_open
from identity.services.sessions import end_sessions
from proximity.db.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


def _link(base: str, token: str) -> str:
    return f"{base}{'&' if '?' in base else '?'}{urlencode({'token': token})}"


async def client_tenant(ctx: Collaborators, client_key: str | None) -> uuid.UUID:
    """The tenant of the calling client; 401 ``eInvalidClientKey`` otherwise."""
    async with ctx.reading() as session:
        return (await resolve_client(session, client_key)).tenant_id


async def request_reset(
    ctx: Collaborators, delivery: MailDelivery, *, tenant_id: uuid.UUID, email: str
) -> None:
    """Mail a reset link if ``email`` names a user of the tenant. Runs after the 202 has been
    sent, so neither the answer nor its timing tells whether anyone matched; never raises."""
    try:
        if await _issue_token(ctx, tenant_id, normalise_email(email)):
            delivery.wake()
    except Exception as exc:
        log.error("password reset request failed", extra={"error": type(exc).__name__})


async def _issue_token(ctx: Collaborators, tenant_id: uuid.UUID, email: str) -> bool:
    settings = ctx.settings
    async with ctx.unit_of_work() as uow:
        found = await login_candidate(uow.session, tenant_id, email)
        if found is None or found.user.deleted_at is not None or found.party.deleted_at is not None:
            return False
        user = found.user
        now = _now()
        if not await mail_flow_open(
            uow, settings, "password_reset", PasswordResetToken, tenant_id=tenant_id, user_id=user.id, now=now
        ):
            return False
        token = secrets.token_urlsafe(32)
        ttl = settings.password_reset_ttl_seconds
        uow.session.add(
            PasswordResetToken(
                token_hash=token_hash(token),
                tenant_id=tenant_id,
                user_id=user.id,
                created_at=now,
                expires_at=now + timedelta(seconds=ttl),
            )
        )
        subject, body = mail_templates.password_reset(
            _link(settings.password_reset_url, token), ttl_seconds=ttl
        )
        enqueue(uow, tenant_id=tenant_id, to=email, subject=subject, body=body)
        uow.publish(published.password_reset_requested(user.id, tenant_id))
        await uow.commit()
        return True


async def _reset_owner(
    session: AsyncSession, tenant_id: uuid.UUID, hashed_token: str, now: datetime, *, for_update: bool
) -> User:
    found = await reset_token(session, tenant_id, hashed_token, for_update=for_update)
    if found is None or found.used_at is not None or found.expires_at <= now:
        raise InvalidResetToken()
    owner = await user_with_party(session, tenant_id, found.user_id)
    if owner is None or not in_good_standing(*owner):
        raise InactiveUser()
    return owner[0]


async def reset_password(ctx: Collaborators, *, client_key: str | None, token: str, password: str) -> None:
    """``PUT /auth/reset-password``: wrong, used or expired token → ``eInvalidResetToken``;
    suspended or deleted user → ``eInactiveUser``; policy → ``eInvalidPassword`` (the token
    stays usable, so the user can try another password).

    The token and the policy are checked first (a wrong token costs no Argon2 run), the new
    password is hashed holding no connection, and the token is checked again under its row
    lock in the short transaction that saves the hash."""
    hashed_token = token_hash(token)
    async with ctx.reading() as session:
        tenant_id = (await resolve_client(session, client_key)).tenant_id
        user = await _reset_owner(session, tenant_id, hashed_token, _now(), for_update=False)
        ensure_acceptable(password, email=await login_email(session, tenant_id, user.id))
    password_hash = await ctx.passwords.hash(password)
    async with ctx.unit_of_work() as uow:
        now = _now()
        user = await _reset_owner(uow.session, tenant_id, hashed_token, now, for_update=True)
        await _set_password(uow, user, password_hash, now)
        await spend_reset_tokens(uow.session, tenant_id, user.id, now)
        # Whoever knew the old password may hold a session: all of them end, and the gateway
        # refuses their access tokens once it sees identity.session.revoked.
        await end_sessions(uow, tenant_id, "password_reset", user_id=user.id)
        uow.publish(published.password_changed(user.id, tenant_id, reason="reset"))
        await uow.commit()


async def _set_password(uow: UnitOfWork, user: User, password_hash: str, now: datetime) -> None:
    """The new hash, and a clean lockout state: the owner proved who they are by email."""
    credential = await credential_for_update(uow.session, user.id)
    if credential is None:
        uow.session.add(
            PasswordCredential(user_id=user.id, tenant_id=user.tenant_id, password_hash=password_hash)
        )
        return
    credential.password_hash = password_hash
    credential.failed_attempts, credential.locked_until = 0, None
    credential.changed_at = now
