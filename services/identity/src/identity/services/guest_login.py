"""Guest login (seed 004): a user allowed OTP gets a single-use link at the tenant's own domain
(``https://{dk}/auth/guest?token=...``); confirming the token starts a session."""

from __future__ import annotations

import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from identity.bootstrap import Collaborators
from identity.domain.email_address import normalise_email
from identity.domain.standing import in_good_standing
from identity.errors import InvalidGuestToken
from identity.events import published
from identity.repositories.auth_flow_tables import GuestLoginToken
from identity.repositories.auth_flows import (
    guest_token_for_update,
    token_hash,
)
from identity.repositories.people import login_candidate, user_with_party
from identity.repositories.tables import Party, Session, User
from identity.repositories.tenants import domain_key
from identity.services import mail_templates
from identity.services.clients import resolve_client
from identity.services.mail import MailDelivery, enqueue
from identity.services.mail_flows import mail_flow_open
from identity.services.sessions import _issue

log = logging.getLogger(__name__)

APP_ID = "proximity"


@dataclass(frozen=True, slots=True)
class GuestSession:
    domain: str
    user_id: uuid.UUID
    email: str
    access_token: str


def _now() -> datetime:
    return datetime.now(UTC)


def _may_use_guest_login(user: User, party: Party) -> bool:
    return user.allow_otp and in_good_standing(user, party)


async def initiate(
    ctx: Collaborators, delivery: MailDelivery, *, tenant_id: uuid.UUID, domain: str, email: str
) -> None:
    """Mail a guest link if the domain key is the tenant's and the email names a user allowed
    OTP. Runs after the 202 has been sent, so nothing about the outcome reaches the caller;
    never raises."""
    try:
        if await _issue_token(ctx, tenant_id, domain.strip().lower(), normalise_email(email)):
            delivery.wake()
    except Exception as exc:
        log.error("guest login request failed", extra={"error": type(exc).__name__})


async def _issue_token(ctx: Collaborators, tenant_id: uuid.UUID, domain: str, email: str) -> bool:
    settings = ctx.settings
    async with ctx.unit_of_work() as uow:
        # The link goes to the domain the caller named: only a domain of the caller's own
        # tenant, or anyone could send a tenant's users to a page of their choosing.
        known = await domain_key(uow.session, domain)
        if known is None or known.tenant_id != tenant_id:
            return False
        found = await login_candidate(uow.session, tenant_id, email)
        if found is None or not _may_use_guest_login(found.user, found.party):
            return False
        user = found.user
        now = _now()
        if not await mail_flow_open(
            uow, settings, "guest_login", GuestLoginToken, tenant_id=tenant_id, user_id=user.id, now=now
        ):
            return False
        token = secrets.token_urlsafe(32)
        ttl = settings.guest_login_ttl_seconds
        uow.session.add(
            GuestLoginToken(
                token_hash=token_hash(token),
                tenant_id=tenant_id,
                user_id=user.id,
                domain=known.domain,
                email=email,
                created_at=now,
                expires_at=now + timedelta(seconds=ttl),
            )
        )
        link = f"https://{known.domain}/auth/guest?{urlencode({'token': token})}"
        subject, body = mail_templates.guest_login(link, ttl_seconds=ttl)
        enqueue(uow, tenant_id=tenant_id, to=email, subject=subject, body=body)
        uow.publish(published.guest_login_requested(user.id, tenant_id, known.domain))
        await uow.commit()
        return True


async def confirm(ctx: Collaborators, *, client_key: str | None, token: str) -> GuestSession:
    """Spend the token and start a session. Unknown, used, expired, or the user no longer
    allowed: the same 401 ``eInvalidGuestToken``."""
    settings = ctx.settings
    async with ctx.unit_of_work() as uow:
        tenant_id = (await resolve_client(uow.session, client_key)).tenant_id
        now = _now()
        found = await guest_token_for_update(uow.session, tenant_id, token_hash(token))
        if found is None or found.used_at is not None or found.expires_at <= now:
            raise InvalidGuestToken()
        found.used_at = now
        owner = await user_with_party(uow.session, tenant_id, found.user_id)
        if owner is None or not _may_use_guest_login(*owner):
            await uow.commit()  # spent all the same: a token is good for one try
            raise InvalidGuestToken()
        user = owner[0]
        # A guest gets no refresh token to keep: the session lasts as long as its access token.
        session = Session(
            tenant_id=tenant_id,
            user_id=user.id,
            created_at=now,
            expires_at=now + timedelta(seconds=settings.access_token_ttl_seconds),
        )
        uow.session.add(session)
        await uow.session.flush()
        tokens = await _issue(ctx, uow, user, session)
        uow.publish(published.session_started(session))
        await uow.commit()
        return GuestSession(found.domain, user.id, found.email, tokens.access_token)
