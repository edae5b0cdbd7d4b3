"""TOTP (RFC 6238, pyotp): enrol (a secret and an ``otpauth://`` URI, shown this once), confirm
with a first code, disable with a code or the password. A code is good for the current
30-second step or the one either side, and only once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NoReturn

from identity.bootstrap import Collaborators
from identity.domain.second_factor import TOTP, matching_totp_step, new_totp_secret, provisioning_uri
from identity.errors import InvalidSecondFactorCode, SecondFactorState, UserNotFound
from identity.events import published
from identity.repositories.auth_flows import login_email
from identity.repositories.credentials import password_credential
from identity.repositories.people import credential_for_update
from identity.repositories.second_factor_tables import SecondFactor
from identity.repositories.second_factors import factor_for_update
from identity.repositories.tables import PasswordCredential
from identity.services.factor_secrets import seal, unseal
from identity.services.login_failures import lockout_of, record_failure
from proximity.auth.claims import Claims
from proximity.db.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class Enrolment:
    secret: str
    provisioning_uri: str


def _now() -> datetime:
    return datetime.now(UTC)


def accept_code(ctx: Collaborators, factor: SecondFactor, code: str, now: datetime) -> bool:
    """True, and the code's step recorded as used, when ``code`` is good for ``factor``'s secret."""
    if factor.totp_secret is None:
        return False
    step = matching_totp_step(
        unseal(ctx.settings, factor.totp_secret), code, now, last_used_step=factor.totp_last_step
    )
    if step is None:
        return False
    factor.totp_last_step = step
    return True


async def enrol(ctx: Collaborators, claims: Claims) -> Enrolment:
    """``POST /auth/totp``: a new pending secret (replacing a pending one); refused once enabled."""
    async with ctx.unit_of_work() as uow:
        email = await login_email(uow.session, claims.tenant_id, claims.user_id)
        if email is None:
            raise UserNotFound()
        factor = await factor_for_update(uow.session, claims.tenant_id, claims.user_id)
        if factor.totp_confirmed_at is not None:
            raise SecondFactorState("TOTP is already enabled; disable it before enrolling again.")
        secret = new_totp_secret()
        factor.totp_secret, factor.totp_last_step, factor.updated_at = (
            seal(ctx.settings, secret),
            None,
            _now(),
        )
        uow.publish(published.second_factor_changed(claims.user_id, claims.tenant_id, TOTP, "enrolled"))
        await uow.commit()
        return Enrolment(secret, provisioning_uri(secret, email))


async def confirm(ctx: Collaborators, claims: Claims, code: str) -> None:
    """``PUT /auth/totp`` ``{code}``: the pending secret becomes the user's second factor."""
    async with ctx.unit_of_work() as uow:
        factor = await factor_for_update(uow.session, claims.tenant_id, claims.user_id)
        if factor.totp_secret is None or factor.totp_confirmed_at is not None:
            raise SecondFactorState("There is no pending TOTP enrolment to confirm.")
        now = _now()
        if not accept_code(ctx, factor, code, now):
            raise InvalidSecondFactorCode()
        factor.totp_confirmed_at, factor.updated_at = now, now
        uow.publish(published.second_factor_changed(claims.user_id, claims.tenant_id, TOTP, "enabled"))
        await uow.commit()


async def disable(ctx: Collaborators, claims: Claims, *, code: str | None, password: str | None) -> None:
    """``DELETE /auth/totp`` ``{code}`` or ``{password}``. A wrong one counts towards the login
    lockout: a stolen session must not be a way to guess the password or a code at leisure.

    A password is checked before the transaction, holding no connection or row lock while
    Argon2 runs; the transaction then makes sure the hash it was checked against still holds."""
    checked_hash: str | None = None
    password_ok = False
    if code is None:
        async with ctx.reading() as session:
            seen = await password_credential(session, claims.user_id)
        checked_hash = seen.password_hash if seen else None
        password_ok = await ctx.passwords.verify(checked_hash, password or "")
    async with ctx.unit_of_work() as uow:
        factor = await factor_for_update(uow.session, claims.tenant_id, claims.user_id)
        if factor.totp_secret is None:
            raise SecondFactorState("TOTP is not enrolled.")
        credential = await credential_for_update(uow.session, claims.user_id)
        now = _now()
        locked = lockout_of(credential).is_locked(now)
        if code is not None:
            proven = not locked and accept_code(ctx, factor, code, now)
        else:
            unchanged = credential is not None and credential.password_hash == checked_hash
            proven = password_ok and unchanged and not locked
        if not proven:
            await _failed(ctx, uow, credential, now)
        factor.totp_secret, factor.totp_confirmed_at, factor.totp_last_step = None, None, None
        factor.updated_at = now
        uow.publish(published.second_factor_changed(claims.user_id, claims.tenant_id, TOTP, "disabled"))
        await uow.commit()


async def _failed(
    ctx: Collaborators, uow: UnitOfWork, credential: PasswordCredential | None, now: datetime
) -> NoReturn:
    if credential is not None:
        record_failure(ctx.settings, uow, credential, now)  # no-op while locked
        await uow.commit()
    raise InvalidSecondFactorCode()
