"""Identity's tables. Every tenant-owned row carries ``tenant_id``; queries filter on it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Computed, DateTime, Index, Integer, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlmodel import Field, SQLModel


def now() -> datetime:
    return datetime.now(UTC)


def _at(*, nullable: bool = True, index: bool = False) -> Any:
    if nullable:
        return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True, index=index))
    return Field(default_factory=now, sa_column=Column(DateTime(timezone=True), nullable=False, index=index))


class Tenant(SQLModel, table=True):
    __tablename__ = "tenants"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=150)
    version: int = 1
    created_at: datetime = _at(nullable=False)
    updated_at: datetime | None = _at()


class Client(SQLModel, table=True):
    """An application allowed to call the API for a tenant; its key is stored as a SHA-256 hash.

    Client keys are 256-bit random strings, so a fast hash is enough to make a stolen table
    useless, and it lets the key be found by an index lookup.
    """

    __tablename__ = "clients"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True)
    name: str = Field(max_length=150)
    key_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = _at(nullable=False)
    revoked_at: datetime | None = _at()


class DomainKey(SQLModel, table=True):
    """A vanity domain (seed 004's ``dk``) that names the tenant it belongs to."""

    __tablename__ = "domain_keys"

    domain: str = Field(primary_key=True, max_length=253)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True)
    created_at: datetime = _at(nullable=False)


# GET /parties sorts by index only (migration 0009): per sort, the key expressions after
# tenant_id and before id of a partial index over live parties. identity.repositories.parties
# orders by the same expressions.
PARTY_SORT_INDEXES: dict[str, tuple[str, ...]] = {
    "id": (),
    "name": ("lower(first_name)", "(lower(last_name) IS NULL)", "COALESCE(lower(last_name), '')"),
    "first_name": ("lower(first_name)",),
    "last_name": ("(lower(last_name) IS NULL)", "COALESCE(lower(last_name), '')"),
    "type": ("(sort_type IS NULL)", "COALESCE(sort_type, '')"),
    "phone": ("(phone IS NULL)", "COALESCE(phone, '')"),
    "email": ("(email IS NULL)", "COALESCE(email, '')"),
    "last_signin": ("(last_signin_at IS NULL)", "COALESCE(last_signin_at, created_at)"),
    "job_title": ("(sort_job_title IS NULL)", "COALESCE(sort_job_title, '')"),
    "total_identities": ("total_identities",),
    "total_groups": ("total_groups",),
    "total_skillsets": ("total_skillsets",),
    "created": ("created_at",),
    "updated": ("COALESCE(updated_at, created_at)",),
}
# The words keywords match: first name, last name and email, the email also split at its
# punctuation so that 'mia@a' finds mia@a.com as the adjacent words mia, a.
PARTY_SEARCH_WORDS = (
    "to_tsvector('simple'::regconfig, first_name || ' ' || coalesce(last_name, '') || ' ' || "
    "coalesce(email, '') || ' ' || coalesce(regexp_replace(email, '[^[:alnum:]]+', ' ', 'g'), ''))"
)


def _party_indexes() -> tuple[Index, ...]:
    def key(expression: str) -> Any:
        return expression if expression.isidentifier() else text(expression)

    live = text("deleted_at IS NULL")
    return (
        Index("ix_parties_search_words", "search_words", postgresql_using="gin"),
        *(
            Index(f"ix_parties_list_{name}", "tenant_id", *map(key, keys), "id", postgresql_where=live)
            for name, keys in PARTY_SORT_INDEXES.items()
        ),
    )


def _kept(type_: Any, *, counter: bool = False) -> Any:
    """A column migration 0009's triggers keep (a count, another table's name, the last
    sign-in) so an index can sort by it; the application only reads it."""
    if counter:
        return Field(default=0, sa_column=Column(type_, nullable=False, server_default=text("0")))
    return Field(default=None, sa_column=Column(type_, nullable=True))


class Party(SQLModel, table=True):
    """A person known to the tenant: a user (can log in) or a contact."""

    __tablename__ = "parties"
    __table_args__ = _party_indexes()

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True)
    base_type: str = Field(max_length=20)  # user | contact
    first_name: str = Field(max_length=150)
    last_name: str | None = Field(default=None, max_length=150)
    email: str | None = Field(default=None, max_length=320)
    # The people area's fields (seed 004 "Type: Party"); type and job title rows live in
    # people_tables.py. Addresses and profile are value lists owned by the party, kept as JSON.
    type_id: uuid.UUID | None = Field(default=None, foreign_key="party_types.id", index=True)
    phone: str | None = Field(default=None, max_length=16)
    avatar_media_id: uuid.UUID | None = None
    avatar_url: str | None = Field(default=None, max_length=2000)
    job_title_id: uuid.UUID | None = Field(default=None, foreign_key="job_titles.id")
    addresses: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False, server_default=text("'[]'::jsonb"))
    )
    profile: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False, server_default=text("'[]'::jsonb"))
    )
    version: int = 1
    created_at: datetime = _at(nullable=False)
    updated_at: datetime | None = _at()
    suspended_at: datetime | None = _at()
    deleted_at: datetime | None = _at()
    # Written by PostgreSQL only (migration 0009): what lists search and sort by.
    search_words: Any = Field(
        default=None, sa_column=Column(TSVECTOR, Computed(PARTY_SEARCH_WORDS, persisted=True))
    )
    sort_type: str | None = _kept(Text)
    sort_job_title: str | None = _kept(Text)
    last_signin_at: datetime | None = _kept(DateTime(timezone=True))
    total_identities: int = _kept(Integer, counter=True)
    total_groups: int = _kept(Integer, counter=True)
    total_skillsets: int = _kept(Integer, counter=True)


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True)
    party_id: uuid.UUID = Field(foreign_key="parties.id", unique=True)
    is_system_admin: bool = False
    allow_otp: bool = False
    version: int = 1
    created_at: datetime = _at(nullable=False)
    updated_at: datetime | None = _at()
    suspended_at: datetime | None = _at()
    deleted_at: datetime | None = _at()


class Identity(SQLModel, table=True):
    """A way to name a user at login: an email address (unique per tenant)."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("tenant_id", "kind", "value", name="uq_identities_tenant_kind_value"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id")
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    kind: str = Field(max_length=20)  # email
    value: str = Field(max_length=320)  # normalised (lower-case) form
    created_at: datetime = _at(nullable=False)


class PasswordCredential(SQLModel, table=True):
    """An Argon2id password hash and the lockout state that guards it."""

    __tablename__ = "password_credentials"

    user_id: uuid.UUID = Field(foreign_key="users.id", primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True)
    password_hash: str = Field(max_length=255)
    failed_attempts: int = 0
    locked_until: datetime | None = _at()
    changed_at: datetime = _at(nullable=False)


class Session(SQLModel, table=True):
    """A login: access tokens name it in ``sid``; revoking it ends all of its tokens."""

    __tablename__ = "sessions"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    created_at: datetime = _at(nullable=False)
    expires_at: datetime = _at(nullable=False)
    revoked_at: datetime | None = _at()
    revoked_reason: str | None = Field(default=None, max_length=50)


class RefreshToken(SQLModel, table=True):
    """One refresh token of a session, by SHA-256 hash; ``used_at`` set once it is rotated."""

    __tablename__ = "refresh_tokens"
    __table_args__ = (Index("ix_refresh_tokens_session", "session_id"),)

    token_hash: str = Field(primary_key=True, max_length=64)
    session_id: uuid.UUID = Field(foreign_key="sessions.id")
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id")
    issued_at: datetime = _at(nullable=False)
    used_at: datetime | None = _at()


class SigningKey(SQLModel, table=True):
    """A key identity signs access tokens with; the public half is served as JWKS."""

    __tablename__ = "signing_keys"

    kid: str = Field(primary_key=True, max_length=64)
    algorithm: str = Field(max_length=20)
    private_pem: str
    public_jwk: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    created_at: datetime = _at(nullable=False)
    retired_at: datetime | None = _at()
