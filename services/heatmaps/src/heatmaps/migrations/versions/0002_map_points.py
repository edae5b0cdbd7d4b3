"""map points: the read model of the points (assets and entities) and their number values

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

Written by the durable consumers of ``assets.asset.*``, ``assets.entity.*`` and
``assets.value.updated``; read by every replica's map feed, which tails both tables by ``tx``
(the writing transaction's id, ``xid8``; ``repositories.map_points`` says why that misses
nothing). Rows are never deleted: a point leaving the map keeps ``on_map`` false.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TX = "tx xid8 NOT NULL DEFAULT pg_current_xact_id()"


def upgrade() -> None:
    op.create_table(
        "map_point",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("lng", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("country", sa.String(), nullable=True),
        sa.Column("region", sa.String(), nullable=True),
        sa.Column("city", sa.String(), nullable=True),
        sa.Column("entity_id", sa.Uuid(), nullable=True),
        sa.Column("industry_id", sa.Uuid(), nullable=True),
        sa.Column("addresses", postgresql.JSONB(), nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("on_map", sa.Boolean(), nullable=False),
    )
    op.execute(f"ALTER TABLE map_point ADD COLUMN {_TX}")
    op.create_index("ix_map_point_tenant_id", "map_point", ["tenant_id"])
    op.create_index("ix_map_point_tx", "map_point", ["tx"])
    op.create_table(
        "map_value",
        sa.Column("field_id", sa.Uuid(), primary_key=True),
        sa.Column("subject_id", sa.Uuid(), primary_key=True),
        sa.Column("object_id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
    )
    op.execute(f"ALTER TABLE map_value ADD COLUMN {_TX}")
    op.create_index("ix_map_value_tx", "map_value", ["tx"])


def downgrade() -> None:
    op.drop_table("map_value")
    op.drop_table("map_point")
