"""Tables of the email-based flows: password-reset and guest-login tokens, and mail waiting to go.

Tokens are stored as SHA-256 hashes (they are 256-bit random strings: a slow hash adds
nothing, and a fast one finds them by index). A pending mail holds its link in plain text
until it is sent, then the row is deleted.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Index, Text
from sqlmodel import Field, SQLModel


def _now() -> datetime:
    return datetime.now(UTC)


def _at(*, nullable: bool) -> Any:
    if nullable:
        return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    return Field(default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False))


class PasswordResetToken(SQLModel, table=True):
    """A single-use, expiring token mailed to a user who forgot the password."""

    __tablename__ = "password_reset_tokens"
    __table_args__ = (Index("ix_password_reset_tokens_user_created", "user_id", "created_at"),)

    token_hash: str = Field(primary_key=True, max_length=64)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id")
    user_id: uuid.UUID = Field(foreign_key="users.id")
    created_at: datetime = _at(nullable=False)
    expires_at: datetime = _at(nullable=False)
    used_at: datetime | None = _at(nullable=True)


class GuestLoginToken(SQLModel, table=True):
    """A single-use, expiring guest-login token (seed 004's OTP), for one domain key."""

    __tablename__ = "guest_login_tokens"
    __table_args__ = (Index("ix_guest_login_tokens_user_created", "user_id", "created_at"),)

    token_hash: str = Field(primary_key=True, max_length=64)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id")
    user_id: uuid.UUID = Field(foreign_key="users.id")
    domain: str = Field(max_length=253)
    email: str = Field(max_length=320)
    created_at: datetime = _at(nullable=False)
    expires_at: datetime = _at(nullable=False)
    used_at: datetime | None = _at(nullable=True)


class PendingMail(SQLModel, table=True):
    """A message written in the use case's transaction and sent after it commits, so a slow
    or absent SMTP server never holds up (or rolls back) the request that caused it."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_next_attempt", "next_attempt_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID | None = Field(default=None, foreign_key="tenants.id")
    recipient: str = Field(max_length=320)
    subject: str = Field(max_length=200)
    body: str = Field(sa_column=Column(Text, nullable=False))
    attempts: int = 0
    created_at: datetime = _at(nullable=False)
    next_attempt_at: datetime = _at(nullable=False)
