"""Tables of the second factors: a user's TOTP and email-OTP state, recovery codes, mailed
one-time codes, and the challenges that stand between a right password and a session.

Nothing here holds a usable secret in clear: the TOTP secret is encrypted (the service's
``second_factor_key``), mailed codes are keyed hashes (six digits alone are guessed offline
in a moment), and recovery codes and challenges are 80+ bit random strings stored as SHA-256.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Column, Index
from sqlmodel import Field, SQLModel

from identity.repositories.tables import _at


class SecondFactor(SQLModel, table=True):
    """Which second factors a user has: TOTP (pending until confirmed) and email OTP."""

    __tablename__ = "second_factors"

    user_id: uuid.UUID = Field(foreign_key="users.id", primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True)
    totp_secret: str | None = Field(default=None, max_length=255)  # encrypted
    totp_confirmed_at: datetime | None = _at()
    # The last 30-second step a code was accepted for: a code is good once.
    totp_last_step: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    email_otp_enabled_at: datetime | None = _at()
    updated_at: datetime = _at(nullable=False)


class RecoveryCode(SQLModel, table=True):
    __tablename__ = "recovery_codes"
    __table_args__ = (Index("ix_recovery_codes_user", "user_id"),)

    code_hash: str = Field(primary_key=True, max_length=64)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id")
    user_id: uuid.UUID = Field(foreign_key="users.id")
    created_at: datetime = _at(nullable=False)
    used_at: datetime | None = _at()


class EmailOtpCode(SQLModel, table=True):
    """A mailed six-digit code: ``enable`` (turning email OTP on) or ``login`` (second step)."""

    __tablename__ = "email_otp_codes"
    __table_args__ = (Index("ix_email_otp_codes_user_created", "user_id", "created_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id")
    user_id: uuid.UUID = Field(foreign_key="users.id")
    purpose: str = Field(max_length=10)
    code_hash: str = Field(max_length=64)
    failed_attempts: int = 0
    created_at: datetime = _at(nullable=False)
    expires_at: datetime = _at(nullable=False)
    used_at: datetime | None = _at()


class LoginChallenge(SQLModel, table=True):
    """Handed out after a right password when a second factor is on; spent by the second step."""

    __tablename__ = "login_challenges"

    token_hash: str = Field(primary_key=True, max_length=64)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id")
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    created_at: datetime = _at(nullable=False)
    expires_at: datetime = _at(nullable=False)
    used_at: datetime | None = _at()
