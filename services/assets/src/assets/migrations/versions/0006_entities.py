"""entities: client and vendor organisations, their owners and contacts (parties in roles) and
their services; lists served by partial indexes, keywords by a GIN-indexed tsvector of the name

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "entities",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("type_id", sa.Uuid(), nullable=False),
        sa.Column("industry_id", sa.Uuid(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column(
            "addresses",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "search_words",
            postgresql.TSVECTOR(),
            sa.Computed("to_tsvector('simple'::regconfig, name)", persisted=True),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["industry_id"],
            ["industries.id"],
        ),
        sa.ForeignKeyConstraint(
            ["type_id"],
            ["entity_types.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_entities_list_created",
        "entities",
        ["tenant_id", "created_at", "id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_entities_list_id",
        "entities",
        ["tenant_id", "id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_entities_list_name",
        "entities",
        ["tenant_id", sa.literal_column("lower(name)"), "id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_entities_list_updated",
        "entities",
        ["tenant_id", sa.literal_column("COALESCE(updated_at, created_at)"), "id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_entities_of_type",
        "entities",
        ["tenant_id", "type_id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_entities_search_words", "entities", ["search_words"], unique=False, postgresql_using="gin"
    )
    op.execute("ALTER TABLE entities SET (parallel_workers = 0)")  # as assets: pages are index scans
    op.create_table(
        "entity_parties",
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("role_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
        ),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["entity_roles.id"],
        ),
        sa.PrimaryKeyConstraint("entity_id", "kind", "party_id"),
    )
    op.create_index("ix_entity_parties_party", "entity_parties", ["tenant_id", "party_id"], unique=False)
    op.create_table(
        "entity_services",
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
        ),
        sa.PrimaryKeyConstraint("entity_id", "service_id"),
    )
    op.create_index(
        "ix_entity_services_service", "entity_services", ["tenant_id", "service_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_entity_services_service", table_name="entity_services")
    op.drop_table("entity_services")
    op.drop_index("ix_entity_parties_party", table_name="entity_parties")
    op.drop_table("entity_parties")
    op.drop_index("ix_entities_search_words", table_name="entities", postgresql_using="gin")
    op.drop_index(
        "ix_entities_of_type", table_name="entities", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_index(
        "ix_entities_list_updated", table_name="entities", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_index(
        "ix_entities_list_name", table_name="entities", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_index(
        "ix_entities_list_id", table_name="entities", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_index(
        "ix_entities_list_created", table_name="entities", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_table("entities")
