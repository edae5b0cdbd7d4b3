"""``POST /auth/login/second-factor`` ``{challenge, method, code}``: the code of a factor the
user has turns the challenge into the usual tokens. Every failure is the same 401
``eInvalidCredentials``, and a wrong code counts towards the login lockout."""

from __future__ import annotations

from datetime import UTC, datetime

from identity.bootstrap import Collaborators
from identity.domain.second_factor import EMAIL_OTP, RECOVERY_CODE, TOTP, normalise_recovery_code
from identity.domain.standing import in_good_standing
from identity.errors import InvalidCredentials
from identity.repositories.people import credential_for_update, user_with_party
from identity.repositories.second_factor_tables import LoginChallenge
from identity.repositories.second_factors import (
    challenge_for_update,
    factor_for_update,
    recovery_code_for_update,
)
from identity.services.clients import resolve_client
from identity.services.email_otp import spend_code
from identity.services.factor_secrets import token_hash
from identity.services.login_failures import lockout_of, record_failure, record_success
from identity.services.second_factor_mail import LOGIN
from identity.services.sessions import IssuedTokens, start_session
from identity.services.totp import accept_code
from proximity.db.unit_of_work import UnitOfWork


def _now() -> datetime:
    return datetime.now(UTC)


async def complete(
    ctx: Collaborators, *, client_key: str | None, challenge: str, method: str, code: str
) -> IssuedTokens:
    async with ctx.unit_of_work() as uow:
        tenant_id = (await resolve_client(uow.session, client_key)).tenant_id
        now = _now()
        # Looked up with the caller's tenant: another tenant's challenge is no challenge here.
        found = await challenge_for_update(uow.session, tenant_id, token_hash(challenge))
        if found is None or found.used_at is not None or found.expires_at <= now:
            raise InvalidCredentials()
        owner = await user_with_party(uow.session, tenant_id, found.user_id)
        credential = await credential_for_update(uow.session, found.user_id)
        if owner is None or credential is None or not in_good_standing(*owner):
            raise InvalidCredentials()
        if lockout_of(credential).is_locked(now):
            raise InvalidCredentials()
        if not await _proven(ctx, uow, found, method, code, now):
            if record_failure(ctx.settings, uow, credential, now):
                found.used_at = now  # locked: this login is over, the password is needed again
            await uow.commit()
            raise InvalidCredentials()
        found.used_at = now
        record_success(credential)
        tokens = await start_session(ctx, uow, owner[0], now)
        await uow.commit()
        return tokens


async def _proven(
    ctx: Collaborators, uow: UnitOfWork, challenge: LoginChallenge, method: str, code: str, now: datetime
) -> bool:
    tenant_id, user_id = challenge.tenant_id, challenge.user_id
    if method == TOTP:
        factor = await factor_for_update(uow.session, tenant_id, user_id)
        return factor.totp_confirmed_at is not None and accept_code(ctx, factor, code, now)
    if method == EMAIL_OTP:
        factor = await factor_for_update(uow.session, tenant_id, user_id)
        return factor.email_otp_enabled_at is not None and await spend_code(
            ctx, uow, tenant_id=tenant_id, user_id=user_id, purpose=LOGIN, code=code
        )
    if method == RECOVERY_CODE:
        hashed = token_hash(normalise_recovery_code(code))
        found = await recovery_code_for_update(uow.session, tenant_id, user_id, hashed)
        if found is None or found.used_at is not None:
            return False
        found.used_at = now
        return True
    return False
