"""Email OTP (seed 002): ``GET /auth/email-otp`` mails a six-digit code, ``POST /auth/email-otp``
with it turns email OTP on as a second factor. The same mailed codes finish a login's second
step (purpose ``login``). Codes are keyed hashes, expire, work once, and are rate-limited."""

from __future__ import annotations

import hmac
import logging
import uuid
from datetime import UTC, datetime, timedelta

from identity.bootstrap import Collaborators
from identity.domain.second_factor import new_email_code
from identity.errors import InvalidSecondFactorCode, UserNotFound
from identity.events import published
from identity.repositories.auth_flows import login_email
from identity.repositories.second_factor_tables import EmailOtpCode
from identity.repositories.second_factors import (
    factor_for_update,
    latest_email_code_for_update,
)
from identity.services.factor_secrets import code_hash
from identity.services.mail import MailDelivery, enqueue
from identity.services.mail_flows import mail_flow_open
from identity.services.second_factor_mail import ENABLE, email_code
from proximity.auth.claims import Claims
from proximity.db.unit_of_work import UnitOfWork
from proximity.errors import TooManyRequests

log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


async def mail_code(
    ctx: Collaborators, uow: UnitOfWork, *, tenant_id: uuid.UUID, user_id: uuid.UUID, purpose: str
) -> bool:
    """Write a new code and its email in ``uow``; False (nothing sent) when the user has no
    email or has had ``mail_flow_limit`` codes within the window."""
    settings = ctx.settings
    email = await login_email(uow.session, tenant_id, user_id)
    if email is None:
        return False
    now = _now()
    if not await mail_flow_open(
        uow, settings, "email_otp", EmailOtpCode, tenant_id=tenant_id, user_id=user_id, now=now
    ):
        return False
    code = new_email_code()
    ttl = settings.email_otp_ttl_seconds
    uow.session.add(
        EmailOtpCode(
            tenant_id=tenant_id,
            user_id=user_id,
            purpose=purpose,
            code_hash=code_hash(settings, str(user_id), code),
            created_at=now,
            expires_at=now + timedelta(seconds=ttl),
        )
    )
    subject, body = email_code(code, purpose=purpose, ttl_seconds=ttl)
    enqueue(uow, tenant_id=tenant_id, to=email, subject=subject, body=body)
    return True


async def spend_code(
    ctx: Collaborators, uow: UnitOfWork, *, tenant_id: uuid.UUID, user_id: uuid.UUID, purpose: str, code: str
) -> bool:
    """True, and the code is used up, when ``code`` is the newest live code of ``purpose``."""
    settings = ctx.settings
    found = await latest_email_code_for_update(uow.session, tenant_id, user_id, purpose)
    now = _now()
    if (
        found is None
        or found.used_at is not None
        or found.expires_at <= now
        or found.failed_attempts >= settings.email_otp_max_attempts
    ):
        return False
    if not hmac.compare_digest(found.code_hash, code_hash(settings, str(user_id), code.strip())):
        found.failed_attempts += 1
        return False
    found.used_at = now
    return True


async def send_enable_code(ctx: Collaborators, delivery: MailDelivery, claims: Claims) -> None:
    """``GET /auth/email-otp``: 429 ``eTooManyRequests`` past the rate limit."""
    async with ctx.unit_of_work() as uow:
        if not await mail_code(ctx, uow, tenant_id=claims.tenant_id, user_id=claims.user_id, purpose=ENABLE):
            if await login_email(uow.session, claims.tenant_id, claims.user_id) is None:
                raise UserNotFound()
            raise TooManyRequests("Too many codes were asked for; wait a few minutes and try again.")
        uow.publish(published.email_otp_requested(claims.user_id, claims.tenant_id))
        await uow.commit()
    delivery.wake()


async def enable(ctx: Collaborators, claims: Claims, code: str) -> None:
    """``POST /auth/email-otp`` ``{code}``: wrong, expired or used → 400 ``eInvalidCode``."""
    async with ctx.unit_of_work() as uow:
        factor = await factor_for_update(uow.session, claims.tenant_id, claims.user_id)
        if not await spend_code(
            ctx, uow, tenant_id=claims.tenant_id, user_id=claims.user_id, purpose=ENABLE, code=code
        ):
            await uow.commit()  # the failed try counts against the code
            raise InvalidSecondFactorCode()
        now = _now()
        factor.email_otp_enabled_at = factor.email_otp_enabled_at or now
        factor.updated_at = now
        uow.publish(published.second_factor_changed(claims.user_id, claims.tenant_id, "email_otp", "enabled"))
        await uow.commit()
