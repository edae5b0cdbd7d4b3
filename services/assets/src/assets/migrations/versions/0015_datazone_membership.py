"""datazone membership: ``datazone_ids`` on assets and entities, and the replicas of iam's
grants and datazones

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03

Every asset and entity carries the live datazones it lies in (computed by assets on every
write and on every datazone event, ``assets.services.territories``); lists of a scoped caller
filter by ``datazone_ids && :zones`` (GIN). Existing rows start in no datazone: none existed
before iam, and the first datazone event recomputes the tenant's objects.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MEMBERS = ("assets", "entities")


def upgrade() -> None:
    for table in _MEMBERS:
        op.add_column(
            table,
            sa.Column(
                "datazone_ids",
                postgresql.ARRAY(sa.Uuid()),
                server_default=sa.text("'{}'::uuid[]"),
                nullable=False,
            ),
        )
        op.create_index(f"ix_{table}_datazones", table, ["datazone_ids"], postgresql_using="gin")
    op.create_table(
        "access_grant",
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("entries", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("party_id"),
    )
    op.create_index("ix_access_grant_user_id", "access_grant", ["user_id"])
    op.create_table(
        "datazone_replica",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_datazone_replica_tenant_id", "datazone_replica", ["tenant_id"])


def downgrade() -> None:
    op.drop_table("datazone_replica")
    op.drop_table("access_grant")
    for table in _MEMBERS:
        op.drop_index(f"ix_{table}_datazones", table_name=table)
        op.drop_column(table, "datazone_ids")
