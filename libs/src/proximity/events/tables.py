"""The outbox and inbox tables every service's first migration creates."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Index, LargeBinary, text
from sqlmodel import Field, SQLModel

from proximity.events.envelope import Event


def _now() -> datetime:
    return datetime.now(UTC)


class OutboxMessage(SQLModel, table=True):
    """An event written in the same transaction as the change it describes."""

    __tablename__ = "outbox"
    __table_args__ = (
        # The relay only ever scans what is still to be sent.
        Index("ix_outbox_unpublished", "created_at", postgresql_where=text("published_at IS NULL")),
    )

    id: uuid.UUID = Field(primary_key=True)
    subject: str = Field(max_length=200)
    payload: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    published_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )

    @classmethod
    def from_event(cls, event: Event) -> OutboxMessage:
        return cls(id=event.id, subject=event.subject, payload=event.to_json(), created_at=_now())


class InboxMessage(SQLModel, table=True):
    """An event a durable consumer has applied: a redelivery finds it here and does nothing."""

    __tablename__ = "inbox"

    consumer: str = Field(primary_key=True, max_length=200)
    event_id: uuid.UUID = Field(primary_key=True)
    processed_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


def event_tables() -> list[Any]:
    return [OutboxMessage.__table__, InboxMessage.__table__]  # type: ignore[attr-defined]
