"""The outbox, inbox and parked-message tables every service's migrations create
(``proximity.events.migration`` holds the steps, so both services' schemas stay the same)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    LargeBinary,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from proximity.events.envelope import Event


def _now() -> datetime:
    return datetime.now(UTC)


class OutboxMessage(SQLModel, table=True):
    """An event written in the same transaction as the change it describes.

    ``seq`` (a database sequence, not a replica's clock) is the order rows are relayed in.
    A row that keeps failing is parked (``parked_at``) after a bounded number of attempts;
    later rows of the same ``aggregate_id`` wait behind it so an aggregate's events never
    overtake one another.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        # The relay only ever scans what is still to be sent, in sequence order.
        Index(
            "ix_outbox_pending", "seq", postgresql_where=text("published_at IS NULL AND parked_at IS NULL")
        ),
        # ... and asks whether an aggregate has a parked (or failing) row holding it back.
        Index("ix_outbox_held", "aggregate_id", "seq", postgresql_where=text("published_at IS NULL")),
    )

    id: uuid.UUID = Field(primary_key=True)
    seq: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=False), nullable=False, unique=True)
    )
    subject: str = Field(max_length=200)
    aggregate_id: str = Field(default="", max_length=200)
    payload: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    published_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    attempts: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default=text("0")))
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    next_attempt_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    parked_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))

    @classmethod
    def from_event(cls, event: Event) -> OutboxMessage:
        return cls(**outbox_values(event))


def outbox_values(event: Event) -> dict[str, Any]:
    """An outbox row's columns for ``event``, without building the ORM object (a commit that
    records thousands of events inserts these in one statement)."""
    return {
        "id": event.id,
        "subject": event.subject,
        "aggregate_id": event.aggregate_id,
        "payload": event.to_json(),
        "created_at": _now(),
    }


class InboxMessage(SQLModel, table=True):
    """An event a durable consumer has applied: a redelivery finds it here and does nothing."""

    __tablename__ = "inbox"

    consumer: str = Field(primary_key=True, max_length=200)
    event_id: uuid.UUID = Field(primary_key=True)
    processed_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class ParkedMessage(SQLModel, table=True):
    """A message a consumer gave up on (its handler kept failing, it was malformed, or its
    contract version is unknown), acknowledged on the stream so it stops blocking, kept here
    for an operator to read and to replay (``replay_requested_at``)."""

    __tablename__ = "parked_message"
    __table_args__ = (
        UniqueConstraint("consumer", "stream", "stream_sequence", name="uq_parked_message_origin"),
        Index(
            "ix_parked_message_replay",
            "consumer",
            "id",
            postgresql_where=text("replay_requested_at IS NOT NULL AND replayed_at IS NULL"),
        ),
    )

    id: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=False), primary_key=True)
    )
    consumer: str = Field(max_length=200)
    stream: str = Field(max_length=200)
    stream_sequence: int = Field(sa_column=Column(BigInteger, nullable=False))
    subject: str = Field(max_length=200)
    event_id: uuid.UUID | None = Field(default=None)
    payload: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    deliveries: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    parked_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    replay_requested_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    replayed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


def event_tables() -> list[Any]:
    return [OutboxMessage.__table__, InboxMessage.__table__, ParkedMessage.__table__]  # type: ignore[attr-defined]
