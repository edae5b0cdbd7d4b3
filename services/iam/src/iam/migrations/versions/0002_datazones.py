"""datazones: datazones with their owners and geozones, and the replicas of the entities,
industries and contracts they name

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

``entity_ids`` is GIN-indexed for ``GET /datazones?entity_id=``; keywords search a GIN-indexed
tsvector of the name and description.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SEARCH_WORDS = "to_tsvector('simple'::regconfig, (name || ' ') || description)"
_REPLICAS = ("iam_entity_replica", "iam_industry_replica", "iam_contract_replica")


def _uuids(name: str) -> sa.Column[list[object]]:
    return sa.Column(
        name, postgresql.ARRAY(sa.Uuid()), server_default=sa.text("'{}'::uuid[]"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "datazone",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("is_dynamic", sa.Boolean(), nullable=False),
        sa.Column(
            "addresses",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        _uuids("industry_ids"),
        _uuids("entity_ids"),
        _uuids("contract_ids"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "search_words", postgresql.TSVECTOR(), sa.Computed(_SEARCH_WORDS, persisted=True), nullable=True
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_datazone_search_words", "datazone", ["search_words"], postgresql_using="gin")
    op.create_index("ix_datazone_entity_ids", "datazone", ["entity_ids"], postgresql_using="gin")
    op.create_index(
        "ix_datazone_list_name",
        "datazone",
        ["tenant_id", sa.literal_column("lower(name)"), "id"],
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_table(
        "datazone_owner",
        sa.Column("datazone_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.ForeignKeyConstraint(["datazone_id"], ["datazone.id"]),
        sa.PrimaryKeyConstraint("datazone_id", "party_id"),
    )
    op.create_index("ix_datazone_owner_party", "datazone_owner", ["party_id"])
    op.create_table(
        "geozone",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("datazone_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=150), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("long", sa.Float(), nullable=True),
        sa.Column("radius", sa.Integer(), nullable=True),
        sa.Column("wkt", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["datazone_id"], ["datazone.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_geozone_datazone", "geozone", ["datazone_id", "position"])
    for name in _REPLICAS:
        op.create_table(
            name,
            sa.Column("id", sa.Uuid(), nullable=False),
            sa.Column("tenant_id", sa.Uuid(), nullable=False),
            sa.Column("deleted", sa.Boolean(), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False),
            *([sa.Column("industry_id", sa.Uuid(), nullable=True)] if name == "iam_entity_replica" else []),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(op.f(f"ix_{name}_tenant_id"), name, ["tenant_id"])
    op.create_index(op.f("ix_iam_entity_replica_industry_id"), "iam_entity_replica", ["industry_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_iam_entity_replica_industry_id"), table_name="iam_entity_replica")
    for name in reversed(_REPLICAS):
        op.drop_index(op.f(f"ix_{name}_tenant_id"), table_name=name)
        op.drop_table(name)
    op.drop_index("ix_geozone_datazone", table_name="geozone")
    op.drop_table("geozone")
    op.drop_index("ix_datazone_owner_party", table_name="datazone_owner")
    op.drop_table("datazone_owner")
    op.drop_index("ix_datazone_list_name", table_name="datazone")
    op.drop_index("ix_datazone_entity_ids", table_name="datazone")
    op.drop_index("ix_datazone_search_words", table_name="datazone")
    op.drop_table("datazone")
