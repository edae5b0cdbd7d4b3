"""The consents context's tables: consents, each tenant's type names, and the history.

``consent_history`` is append-only: the migration installs a trigger that refuses every
UPDATE and DELETE of its rows, so not even this service can rewrite what happened.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, ForeignKey, Index
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(*, nullable: bool) -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=nullable))


class ConsentRow(SQLModel, table=True):
    __tablename__ = "consents"
    __table_args__ = (
        Index("ix_consents_tenant_user", "tenant_id", "user_id"),
        Index("ix_consents_tenant_document", "tenant_id", "document_uri", "type"),
    )

    id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    user_id: str = Field(max_length=200)
    type: str = Field(max_length=100)
    state: str = Field(max_length=20)
    document_uri: str = Field(max_length=2000)
    document_content_type: str = Field(max_length=200)
    document_revision_id: str | None = Field(default=None, max_length=200)
    document_revised_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    context_uri: str | None = Field(default=None, max_length=2000)
    given_at: datetime | None = _stamp(nullable=True)
    request_revoked_at: datetime | None = _stamp(nullable=True)
    request_rescinded_at: datetime | None = _stamp(nullable=True)
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    # Optimistic concurrency: every change is ``UPDATE ... WHERE version = :seen``.
    version: int = 1


class ConsentTypeNamesRow(SQLModel, table=True):
    """A tenant's set of type names; no row means the seed's default set (version 0)."""

    __tablename__ = "consent_type_names"

    tenant_id: uuid.UUID = Field(primary_key=True)
    names: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    version: int = 1
    updated_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class ConsentHistoryRow(SQLModel, table=True):
    """One state transition of a consent: when, who, why. Never updated, never deleted."""

    __tablename__ = "consent_history"
    __table_args__ = (Index("ix_consent_history_consent", "consent_id", "occurred_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    consent_id: uuid.UUID = Field(sa_column=Column(ForeignKey("consents.id"), nullable=False))
    version: int
    from_state: str | None = Field(default=None, max_length=20)
    to_state: str = Field(max_length=20)
    cause: str = Field(max_length=100)
    actor: str = Field(max_length=200)
    actor_party_id: uuid.UUID | None = None
    occurred_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
