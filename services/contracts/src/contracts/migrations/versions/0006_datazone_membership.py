"""datazone membership: ``datazone_ids`` on contracts, the industry of replicated entities,
and the replicas of iam's grants and datazones (``iam_grant_replica``, ``iam_datazone_replica``)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

Every contract carries the live datazones it lies in (its id or one of its entities named by
a zone, or one of its entities' industries named by a dynamic commercial zone; computed by
contracts on every write and on every datazone event, ``contracts.services.territories``);
lists of a scoped caller filter by ``datazone_ids && :zones`` (GIN). Existing rows start in no
datazone: none existed before iam, and the first datazone event recomputes the tenant's
contracts. ``entity_replica.industry_id`` starts null and is filled by the next
``assets.entity.*`` of each entity.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "contracts",
        sa.Column(
            "datazone_ids",
            postgresql.ARRAY(sa.Uuid()),
            server_default=sa.text("'{}'::uuid[]"),
            nullable=False,
        ),
    )
    op.create_index("ix_contracts_datazones", "contracts", ["datazone_ids"], postgresql_using="gin")
    op.add_column("entity_replica", sa.Column("industry_id", sa.Uuid(), nullable=True))
    op.create_index("ix_entity_replica_industry_id", "entity_replica", ["industry_id"])
    op.create_table(
        "iam_grant_replica",
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("entries", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("party_id"),
    )
    op.create_index("ix_iam_grant_replica_user_id", "iam_grant_replica", ["user_id"])
    op.create_table(
        "iam_datazone_replica",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_iam_datazone_replica_tenant_id", "iam_datazone_replica", ["tenant_id"])


def downgrade() -> None:
    op.drop_table("iam_datazone_replica")
    op.drop_table("iam_grant_replica")
    op.drop_index("ix_entity_replica_industry_id", table_name="entity_replica")
    op.drop_column("entity_replica", "industry_id")
    op.drop_index("ix_contracts_datazones", table_name="contracts")
    op.drop_column("contracts", "datazone_ids")
