"""entities: client and vendor organisations, their owners and contacts (parties in roles) and
their services; lists served by partial indexes, keywords by a GIN-indexed tsvector of the name,
the type's name and the count of live assets kept on the entity row by triggers

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

# What entity lists sort by, kept in the writing transaction whichever code path writes: the
# type's name, and how many live assets name the entity (by increments, which stay right when
# two transactions change assets of one entity at once).
_FUNCTIONS = """
CREATE FUNCTION entities_sort_type() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.sort_type := (SELECT lower(name) FROM entity_types WHERE id = NEW.type_id);
    RETURN NEW;
END $$;

CREATE FUNCTION entity_types_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE entities SET sort_type = lower(NEW.name) WHERE type_id = NEW.id;
    RETURN NULL;
END $$;

CREATE FUNCTION assets_entity_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.entity_id IS NOT NULL AND OLD.deleted_at IS NULL THEN
        UPDATE entities SET total_assets = total_assets - 1 WHERE id = OLD.entity_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.entity_id IS NOT NULL AND NEW.deleted_at IS NULL THEN
        UPDATE entities SET total_assets = total_assets + 1 WHERE id = NEW.entity_id;
    END IF;
    RETURN NULL;
END $$;
"""
_TRIGGERS = """
CREATE TRIGGER entities_sort_type BEFORE INSERT OR UPDATE OF type_id ON entities
    FOR EACH ROW EXECUTE FUNCTION entities_sort_type();
CREATE TRIGGER entity_types_renamed AFTER UPDATE OF name ON entity_types
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION entity_types_renamed();
CREATE TRIGGER assets_entity_counted AFTER INSERT OR DELETE OR UPDATE OF entity_id, deleted_at ON assets
    FOR EACH ROW EXECUTE FUNCTION assets_entity_counted();
"""
_TRIGGER_TABLES = {
    "entities_sort_type": "entities",
    "entity_types_renamed": "entity_types",
    "assets_entity_counted": "assets",
}

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
        sa.Column("sort_type", sa.Text(), nullable=True),
        sa.Column("total_assets", sa.Integer(), server_default=sa.text("0"), nullable=False),
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
        "ix_entities_list_description",
        "entities",
        [
            "tenant_id",
            sa.literal_column('(lower("left"(description, 200)) IS NULL)'),
            sa.literal_column("COALESCE(lower(\"left\"(description, 200)), '')"),
            "id",
        ],
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
        "ix_entities_list_total_assets",
        "entities",
        ["tenant_id", "total_assets", "id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_entities_list_type",
        "entities",
        [
            "tenant_id",
            sa.literal_column("(sort_type IS NULL)"),
            sa.literal_column("COALESCE(sort_type, '')"),
            "id",
        ],
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
    op.execute(_FUNCTIONS)
    op.execute(_TRIGGERS)
    # A page is ~20 rows from an index: parallel workers for it cost more than the scan.
    op.execute("ALTER TABLE entities SET (parallel_workers = 0)")


def downgrade() -> None:
    for trigger, table in _TRIGGER_TABLES.items():
        op.execute(f"DROP TRIGGER {trigger} ON {table}")
        op.execute(f"DROP FUNCTION {trigger}()")
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
        "ix_entities_list_type", table_name="entities", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_index(
        "ix_entities_list_total_assets", table_name="entities", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_index(
        "ix_entities_list_name", table_name="entities", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_index(
        "ix_entities_list_id", table_name="entities", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_index(
        "ix_entities_list_description", table_name="entities", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_index(
        "ix_entities_list_created", table_name="entities", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_table("entities")
