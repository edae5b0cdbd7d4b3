"""initial: the event tables every service has, features and their categories, groups with
their items, owners and inherit edges, the permission-change queue, and the replicas of
identity's parties and users

Revision ID: 0001
Revises:
Create Date: 2026-12-01

The outbox and inbox start in the first shape every service's have and then take the shared
event-delivery step, so they end up the same as every other service's.
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
_LIVE = sa.text("deleted_at IS NULL")
_NAME_WORDS = "to_tsvector('simple'::regconfig, (name)::text)"
_NAME_AND_DESCRIPTION_WORDS = "to_tsvector('simple'::regconfig, (((name)::text || ' '::text) || description))"


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


def _features() -> None:
    op.create_table(
        "feature_category",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
        sa.Column("sys_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(["parent_id"], ["feature_category.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_feature_category_tenant_id"), "feature_category", ["tenant_id"])
    op.create_index(
        "uq_feature_category_sys_name", "feature_category", ["tenant_id", "sys_name"], unique=True
    )
    op.create_table(
        "feature",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
        sa.Column("permission", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=True),
        sa.Column("is_system", sa.Boolean(), nullable=False),
        sa.Column("created_at", _STAMP, nullable=False),
        sa.Column("updated_at", _STAMP, nullable=True),
        sa.Column("deleted_at", _STAMP, nullable=True),
        sa.Column(
            "search_words", postgresql.TSVECTOR(), sa.Computed(_NAME_WORDS, persisted=True), nullable=True
        ),
        sa.ForeignKeyConstraint(["category_id"], ["feature_category.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_feature_category_id"), "feature", ["category_id"])
    op.create_index("uq_feature_permission", "feature", ["tenant_id", "permission"], unique=True)
    op.create_index("ix_feature_search_words", "feature", ["search_words"], postgresql_using="gin")
    op.create_index(
        "ix_feature_list_name",
        "feature",
        ["tenant_id", sa.text("lower(name::text)"), "id"],
        postgresql_where=_LIVE,
    )


def _groups() -> None:
    op.create_table(
        "iam_group",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("meta", postgresql.JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.Column("is_system", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("suspended_at", _STAMP, nullable=True),
        sa.Column("created_at", _STAMP, nullable=False),
        sa.Column("updated_at", _STAMP, nullable=True),
        sa.Column("deleted_at", _STAMP, nullable=True),
        sa.Column(
            "search_words",
            postgresql.TSVECTOR(),
            sa.Computed(_NAME_AND_DESCRIPTION_WORDS, persisted=True),
            nullable=True,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_iam_group_search_words", "iam_group", ["search_words"], postgresql_using="gin")
    op.create_index(
        "ix_iam_group_list_name",
        "iam_group",
        ["tenant_id", sa.text("lower(name::text)"), "id"],
        postgresql_where=_LIVE,
    )
    op.create_index("ix_iam_group_of_type", "iam_group", ["tenant_id", "type"], postgresql_where=_LIVE)
    op.create_index(
        "uq_iam_group_system_name",
        "iam_group",
        ["tenant_id", "name"],
        unique=True,
        postgresql_where=sa.text("is_system"),
    )
    op.create_table(
        "group_inherit",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("inherit_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["iam_group.id"]),
        sa.ForeignKeyConstraint(["inherit_id"], ["iam_group.id"]),
        sa.PrimaryKeyConstraint("group_id", "inherit_id"),
    )
    op.create_index(op.f("ix_group_inherit_inherit_id"), "group_inherit", ["inherit_id"])
    op.create_index(op.f("ix_group_inherit_tenant_id"), "group_inherit", ["tenant_id"])
    op.create_table(
        "group_item",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["iam_group.id"]),
        sa.PrimaryKeyConstraint("group_id", "item_id"),
    )
    op.create_index(op.f("ix_group_item_item_id"), "group_item", ["item_id"])
    op.create_index(op.f("ix_group_item_tenant_id"), "group_item", ["tenant_id"])
    op.create_table(
        "group_owner",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["iam_group.id"]),
        sa.PrimaryKeyConstraint("group_id", "party_id"),
    )
    op.create_index(op.f("ix_group_owner_party_id"), "group_owner", ["party_id"])
    op.create_index(op.f("ix_group_owner_tenant_id"), "group_owner", ["tenant_id"])


def _changes_and_replicas() -> None:
    op.create_table(
        "permission_change",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("group_ids", postgresql.ARRAY(sa.Uuid()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("party_ids", postgresql.ARRAY(sa.Uuid()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("created_at", _STAMP, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_permission_change_tenant_id"), "permission_change", ["tenant_id"])
    op.create_table(
        "iam_party_replica",
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("base_type", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.PrimaryKeyConstraint("party_id"),
    )
    op.create_index(op.f("ix_iam_party_replica_tenant_id"), "iam_party_replica", ["tenant_id"])
    op.create_table(
        "user_replica",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("deleted_at", _STAMP, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_user_replica_party_id"), "user_replica", ["party_id"])
    op.create_index(op.f("ix_user_replica_tenant_id"), "user_replica", ["tenant_id"])


def upgrade() -> None:
    _event_tables()
    _features()
    _groups()
    _changes_and_replicas()


def downgrade() -> None:
    for table in (
        "user_replica",
        "iam_party_replica",
        "permission_change",
        "group_owner",
        "group_item",
        "group_inherit",
        "iam_group",
        "feature",
        "feature_category",
    ):
        op.drop_table(table)
    downgrade_event_delivery()
    op.drop_index("ix_outbox_unpublished", table_name="outbox")
    op.drop_table("outbox")
    op.drop_table("inbox")
