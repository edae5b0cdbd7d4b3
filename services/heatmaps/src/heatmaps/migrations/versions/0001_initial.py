"""initial: the event tables every service has, heatmap configurations, and the replicas of
parties, groups, dynamic fields, grants and datazones they are checked against

Revision ID: 0001
Revises:
Create Date: 2026-12-01

The event tables start in the shape every other service's 0001 gives them and take the shared
event-delivery step (``proximity.events.migration``) at once, so they end up the same.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

from proximity.events.migration import downgrade_event_delivery, upgrade_event_delivery

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STAMP = sa.DateTime(timezone=True)


def _event_tables() -> None:
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(length=200), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("processed_at", _STAMP, nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", _STAMP, nullable=False),
        sa.Column("published_at", _STAMP, nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_outbox_unpublished",
        "outbox",
        ["created_at"],
        unique=False,
        postgresql_where=sa.text("published_at IS NULL"),
    )
    upgrade_event_delivery()


def _heatmap_tables() -> None:
    op.create_table(
        "heatmaps",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("owner_ids", postgresql.ARRAY(sa.UUID()), nullable=False),
        sa.Column("group_ids", postgresql.ARRAY(sa.UUID()), nullable=False),
        sa.Column("metrics", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "search_words",
            postgresql.TSVECTOR(),
            sa.Computed(
                "to_tsvector('simple'::regconfig, (name || ' ') || COALESCE(description, ''))", persisted=True
            ),
            nullable=True,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_heatmaps_list_created",
        "heatmaps",
        ["tenant_id", "created_at", "id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_heatmaps_list_description",
        "heatmaps",
        [
            "tenant_id",
            sa.literal_column('(lower("left"(description, 200)) IS NULL)'),
            sa.literal_column("COALESCE(lower(\"left\"(description, 200)), ''::text)"),
            "id",
        ],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_heatmaps_list_name",
        "heatmaps",
        ["tenant_id", sa.literal_column("lower(name)"), "id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_heatmaps_list_type",
        "heatmaps",
        ["tenant_id", "type", "id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_heatmaps_list_updated",
        "heatmaps",
        ["tenant_id", sa.literal_column("COALESCE(updated_at, created_at)"), "id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_heatmaps_search_words", "heatmaps", ["search_words"], unique=False, postgresql_using="gin"
    )
    op.create_table(
        "heatmaps_datazone_replica",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_heatmaps_datazone_replica_tenant_id"),
        "heatmaps_datazone_replica",
        ["tenant_id"],
        unique=False,
    )
    op.create_table(
        "heatmaps_field_replica",
        sa.Column("field_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("object_type", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("field_type", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("scalefactor", sa.Float(), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("field_id"),
    )
    op.create_index(
        op.f("ix_heatmaps_field_replica_tenant_id"), "heatmaps_field_replica", ["tenant_id"], unique=False
    )
    op.create_table(
        "heatmaps_grant_replica",
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("entries", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("party_id"),
    )
    op.create_index(
        op.f("ix_heatmaps_grant_replica_user_id"), "heatmaps_grant_replica", ["user_id"], unique=False
    )
    op.create_table(
        "heatmaps_group_replica",
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("group_id"),
    )
    op.create_index(
        op.f("ix_heatmaps_group_replica_tenant_id"), "heatmaps_group_replica", ["tenant_id"], unique=False
    )
    op.create_table(
        "heatmaps_party_replica",
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("party_id"),
    )
    op.create_index(
        op.f("ix_heatmaps_party_replica_tenant_id"), "heatmaps_party_replica", ["tenant_id"], unique=False
    )


def upgrade() -> None:
    _event_tables()
    _heatmap_tables()


def downgrade() -> None:
    op.drop_index(op.f("ix_heatmaps_party_replica_tenant_id"), table_name="heatmaps_party_replica")
    op.drop_table("heatmaps_party_replica")
    op.drop_index(op.f("ix_heatmaps_group_replica_tenant_id"), table_name="heatmaps_group_replica")
    op.drop_table("heatmaps_group_replica")
    op.drop_index(op.f("ix_heatmaps_grant_replica_user_id"), table_name="heatmaps_grant_replica")
    op.drop_table("heatmaps_grant_replica")
    op.drop_index(op.f("ix_heatmaps_field_replica_tenant_id"), table_name="heatmaps_field_replica")
    op.drop_table("heatmaps_field_replica")
    op.drop_index(op.f("ix_heatmaps_datazone_replica_tenant_id"), table_name="heatmaps_datazone_replica")
    op.drop_table("heatmaps_datazone_replica")
    op.drop_index("ix_heatmaps_search_words", table_name="heatmaps", postgresql_using="gin")
    op.drop_index(
        "ix_heatmaps_list_updated", table_name="heatmaps", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_index(
        "ix_heatmaps_list_type", table_name="heatmaps", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_index(
        "ix_heatmaps_list_name", table_name="heatmaps", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_index(
        "ix_heatmaps_list_description", table_name="heatmaps", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_index(
        "ix_heatmaps_list_created", table_name="heatmaps", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_table("heatmaps")
    downgrade_event_delivery()
    op.drop_index("ix_outbox_unpublished", table_name="outbox")
    op.drop_table("outbox")
    op.drop_table("inbox")
