"""users of parties: login options, settings, favorites, effective-permission replica

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "user_login_options",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=45), nullable=True),
        sa.Column("allow_sso", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_index(op.f("ix_user_login_options_tenant_id"), "user_login_options", ["tenant_id"])
    op.create_table(
        "user_settings",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("settings", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("application_state", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_index(op.f("ix_user_settings_tenant_id"), "user_settings", ["tenant_id"])
    op.create_table(
        "favorites",
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"]),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
        sa.PrimaryKeyConstraint("party_id", "category", "type", "item_id"),
    )
    op.create_index(op.f("ix_favorites_tenant_id"), "favorites", ["tenant_id"])
    op.create_table(
        "effective_permissions",
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("groups", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"]),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
        sa.PrimaryKeyConstraint("party_id"),
    )
    op.create_index(op.f("ix_effective_permissions_tenant_id"), "effective_permissions", ["tenant_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_effective_permissions_tenant_id"), table_name="effective_permissions")
    op.drop_table("effective_permissions")
    op.drop_index(op.f("ix_favorites_tenant_id"), table_name="favorites")
    op.drop_table("favorites")
    op.drop_index(op.f("ix_user_settings_tenant_id"), table_name="user_settings")
    op.drop_table("user_settings")
    op.drop_index(op.f("ix_user_login_options_tenant_id"), table_name="user_login_options")
    op.drop_table("user_login_options")
