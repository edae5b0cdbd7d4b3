"""layouts: per object type a default layout and layouts for industries (an industry in at most
one layout of an object type)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "layouts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("subject_type", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("object_type", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("cards", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_layouts_of_object",
        "layouts",
        ["tenant_id", "object_type"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_table(
        "layout_industries",
        sa.Column("layout_id", sa.Uuid(), nullable=False),
        sa.Column("industry_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("object_type", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["industry_id"],
            ["industries.id"],
        ),
        sa.ForeignKeyConstraint(
            ["layout_id"],
            ["layouts.id"],
        ),
        sa.PrimaryKeyConstraint("layout_id", "industry_id"),
    )
    op.create_index(
        "uq_layout_industries_object",
        "layout_industries",
        ["tenant_id", "object_type", "industry_id"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_layout_industries_object", table_name="layout_industries")
    op.drop_table("layout_industries")
    op.drop_index(
        "ix_layouts_of_object", table_name="layouts", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_table("layouts")
