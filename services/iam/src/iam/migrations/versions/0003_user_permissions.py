"""user permissions: what iam last published for each user (iam.permissions.updated)

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-01

Numbered 0003 beside the datazones' 0002, which was being written at the same time; the
integrator chains them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "user_permissions",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("entries", postgresql.JSONB(), server_default=sa.text("'[]'::jsonb"), nullable=False),
        sa.Column(
            "op_group_ids", postgresql.ARRAY(sa.Uuid()), server_default=sa.text("'{}'"), nullable=False
        ),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "party_id"),
    )
    op.create_index(
        "ix_user_permissions_op_group_ids", "user_permissions", ["op_group_ids"], postgresql_using="gin"
    )


def downgrade() -> None:
    op.drop_index("ix_user_permissions_op_group_ids", table_name="user_permissions")
    op.drop_table("user_permissions")
