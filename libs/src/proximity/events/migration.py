"""Schema steps for the event tables, shared by every service's migrations so the outbox,
inbox and parked messages look the same everywhere."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

_STAMP = sa.DateTime(timezone=True)


def upgrade_event_delivery() -> None:
    """Outbox rows relayed in database-sequence order, one at a time, parked after bounded
    attempts; consumers' parked messages."""
    op.drop_index("ix_outbox_unpublished", table_name="outbox")
    # Existing rows get sequence numbers in physical order: close enough to commit order for
    # rows that were written before ordering mattered.
    op.add_column("outbox", sa.Column("seq", sa.BigInteger(), sa.Identity(always=False), nullable=False))
    op.create_unique_constraint("outbox_seq_key", "outbox", ["seq"])
    op.add_column(
        "outbox", sa.Column("aggregate_id", sa.String(length=200), nullable=False, server_default="")
    )
    op.add_column("outbox", sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")))
    op.add_column("outbox", sa.Column("last_error", sa.Text(), nullable=True))
    op.add_column("outbox", sa.Column("next_attempt_at", _STAMP, nullable=True))
    op.add_column("outbox", sa.Column("parked_at", _STAMP, nullable=True))
    op.alter_column("outbox", "aggregate_id", server_default=None)
    op.create_index(
        "ix_outbox_pending",
        "outbox",
        ["seq"],
        postgresql_where=sa.text("published_at IS NULL AND parked_at IS NULL"),
    )
    op.create_index(
        "ix_outbox_held", "outbox", ["aggregate_id", "seq"], postgresql_where=sa.text("published_at IS NULL")
    )
    op.create_table(
        "parked_message",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("consumer", sa.String(length=200), nullable=False),
        sa.Column("stream", sa.String(length=200), nullable=False),
        sa.Column("stream_sequence", sa.BigInteger(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=True),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("deliveries", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("parked_at", _STAMP, nullable=False),
        sa.Column("replay_requested_at", _STAMP, nullable=True),
        sa.Column("replayed_at", _STAMP, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("consumer", "stream", "stream_sequence", name="uq_parked_message_origin"),
    )
    op.create_index(
        "ix_parked_message_replay",
        "parked_message",
        ["consumer", "id"],
        postgresql_where=sa.text("replay_requested_at IS NOT NULL AND replayed_at IS NULL"),
    )


def downgrade_event_delivery() -> None:
    op.drop_index("ix_parked_message_replay", table_name="parked_message")
    op.drop_table("parked_message")
    op.drop_index("ix_outbox_held", table_name="outbox")
    op.drop_index("ix_outbox_pending", table_name="outbox")
    op.drop_constraint("outbox_seq_key", "outbox", type_="unique")
    for column in ("parked_at", "next_attempt_at", "last_error", "attempts", "aggregate_id", "seq"):
        op.drop_column("outbox", column)
    op.create_index(
        "ix_outbox_unpublished", "outbox", ["created_at"], postgresql_where=sa.text("published_at IS NULL")
    )
