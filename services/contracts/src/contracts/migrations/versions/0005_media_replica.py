"""media replica: contracts' replica of assets' documents, to validate ``media_ids``

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document_replica",
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("documentable_type", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("documentable_id", sa.Uuid(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("document_id"),
    )
    op.create_index(op.f("ix_document_replica_tenant_id"), "document_replica", ["tenant_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_document_replica_tenant_id"), table_name="document_replica")
    op.drop_table("document_replica")
