"""Rules of the second factors: which methods a user can finish a login with, when a TOTP code
is good (this step or the one either side, never a step already used), and the shape of
recovery codes. Pure: the caller passes the time and the stored state."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp

TOTP = "totp"
EMAIL_OTP = "email_otp"
RECOVERY_CODE = "recovery_code"
METHODS = (TOTP, EMAIL_OTP, RECOVERY_CODE)

ISSUER = "Proximity"
TOTP_STEP_SECONDS = 30
# Clocks drift: a code of the step before or after the current one is accepted too.
TOTP_DRIFT_STEPS = 1

RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by hand
_RECOVERY_GROUPS, _RECOVERY_GROUP_LENGTH = 4, 4  # 16 characters of 32: 80 bits


@dataclass(frozen=True, slots=True)
class FactorState:
    totp: bool
    email_otp: bool
    recovery_codes: int

    @property
    def second_step_required(self) -> bool:
        # Recovery codes alone are a way back in, not a factor: they never ask for a second step.
        return self.totp or self.email_otp

    def methods(self) -> list[str]:
        offered = [(TOTP, self.totp), (EMAIL_OTP, self.email_otp), (RECOVERY_CODE, self.recovery_codes > 0)]
        return [name for name, on in offered if on]


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def totp_step(now: datetime) -> int:
    return int(now.timestamp()) // TOTP_STEP_SECONDS


def matching_totp_step(secret: str, code: str, now: datetime, *, last_used_step: int | None) -> int | None:
    """The step ``code`` belongs to if it is good now and that step was not used before."""
    code = code.strip()
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp_step(now)
    for step in range(current - TOTP_DRIFT_STEPS, current + TOTP_DRIFT_STEPS + 1):
        if last_used_step is not None and step <= last_used_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes() -> list[str]:
    return [
        "-".join(
            "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_GROUP_LENGTH))
            for _ in range(_RECOVERY_GROUPS)
        )
        for _ in range(RECOVERY_CODE_COUNT)
    ]


def normalise_recovery_code(code: str) -> str:
    """As generated, whatever the user did with dashes, spaces and case."""
    bare = "".join(c for c in code.upper() if c.isalnum())
    size = _RECOVERY_GROUP_LENGTH
    return "-".join(bare[i : i + size] for i in range(0, len(bare), size))


def new_email_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"
