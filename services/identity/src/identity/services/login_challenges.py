"""The middle of a two-step login: after a right password, a user with a second factor gets
a challenge (single use, 5 minutes, bound to the user and tenant, stored as SHA-256) instead
of tokens; with email OTP on, the code is mailed at that moment."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from identity.bootstrap import Collaborators
from identity.domain.second_factor import FactorState
from identity.repositories.second_factor_tables import LoginChallenge
from identity.repositories.second_factors import factor_of, unused_recovery_codes
from identity.repositories.tables import User
from identity.services.email_otp import mail_code
from identity.services.factor_secrets import token_hash
from identity.services.second_factor_mail import LOGIN
from proximity.db.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class SecondStep:
    challenge: str
    methods: list[str]
    mailed: bool  # a code went into the mail outbox: wake the sender after the commit


async def factor_state(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID) -> FactorState:
    factor = await factor_of(session, tenant_id, user_id)
    return FactorState(
        totp=factor is not None and factor.totp_confirmed_at is not None,
        email_otp=factor is not None and factor.email_otp_enabled_at is not None,
        recovery_codes=await unused_recovery_codes(session, tenant_id, user_id),
    )


async def open_challenge(ctx: Collaborators, uow: UnitOfWork, user: User, now: datetime) -> SecondStep | None:
    """A challenge when ``user`` has a second factor on; None when the password is enough."""
    state = await factor_state(uow.session, user.tenant_id, user.id)
    if not state.second_step_required:
        return None
    challenge = secrets.token_urlsafe(32)
    uow.session.add(
        LoginChallenge(
            token_hash=token_hash(challenge),
            tenant_id=user.tenant_id,
            user_id=user.id,
            created_at=now,
            expires_at=now + timedelta(seconds=ctx.settings.login_challenge_ttl_seconds),
        )
    )
    mailed = state.email_otp and await mail_code(
        ctx, uow, tenant_id=user.tenant_id, user_id=user.id, purpose=LOGIN
    )
    return SecondStep(challenge, state.methods(), mailed)
