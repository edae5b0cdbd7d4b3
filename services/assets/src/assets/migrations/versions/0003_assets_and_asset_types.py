"""assets and asset types: the tenant's type catalogue, assets with their location, the
parties and services assigned to them, and the replica of identity's party ids

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Every sort of ``GET /assets`` is one partial index over live assets (tenant, key, id), in the
expressions ``assets.repositories.asset_list.SORTS`` orders by; keywords use a GIN-indexed
tsvector of the name.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

# What lists sort by, kept on the asset row in the writing transaction whichever code path
# writes: the type's name, and the count of assigned parties (by increments, which stay right
# when two transactions change one asset's parties at once).
_FUNCTIONS = """
CREATE FUNCTION assets_sort_type() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.sort_type := (SELECT lower(name) FROM asset_types WHERE id = NEW.type_id);
    RETURN NEW;
END $$;

CREATE FUNCTION asset_types_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE assets SET sort_type = lower(NEW.name) WHERE type_id = NEW.id;
    RETURN NULL;
END $$;

CREATE FUNCTION asset_parties_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE assets SET total_parties = total_parties + 1 WHERE id = NEW.asset_id;
    ELSE
        UPDATE assets SET total_parties = total_parties - 1 WHERE id = OLD.asset_id;
    END IF;
    RETURN NULL;
END $$;
"""
_TRIGGERS = """
CREATE TRIGGER assets_sort_type BEFORE INSERT OR UPDATE OF type_id ON assets
    FOR EACH ROW EXECUTE FUNCTION assets_sort_type();
CREATE TRIGGER asset_types_renamed AFTER UPDATE OF name ON asset_types
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION asset_types_renamed();
CREATE TRIGGER asset_parties_counted AFTER INSERT OR DELETE ON asset_parties
    FOR EACH ROW EXECUTE FUNCTION asset_parties_counted();
"""
_TRIGGER_TABLES = {
    "assets_sort_type": "assets",
    "asset_types_renamed": "asset_types",
    "asset_parties_counted": "asset_parties",
}

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "asset_types",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
        sa.Column("allow_parents", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("require_parent", sa.Boolean(), nullable=False),
        sa.Column("can_inherit", sa.Boolean(), nullable=False),
        sa.Column("permit_address", sa.Boolean(), nullable=False),
        sa.Column("permit_geo", sa.Boolean(), nullable=False),
        sa.Column("geo_update_freq", sa.Integer(), nullable=True),
        sa.Column("is_container", sa.Boolean(), nullable=False),
        sa.Column("is_system", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "key", name="uq_asset_types_tenant_key"),
    )
    op.create_index(op.f("ix_asset_types_tenant_id"), "asset_types", ["tenant_id"], unique=False)
    op.create_table(
        "replicated_parties",
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("party_id"),
    )
    op.create_index(
        op.f("ix_replicated_parties_tenant_id"), "replicated_parties", ["tenant_id"], unique=False
    )
    op.create_table(
        "assets",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("type_id", sa.Uuid(), nullable=True),
        sa.Column("entity_id", sa.Uuid(), nullable=True),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("floor_unit", sqlmodel.sql.sqltypes.AutoString(length=150), nullable=True),
        sa.Column("year_built", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("building_floor", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("num_floors_units", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("strata", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("address", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("geo_lat", sa.Float(), nullable=True),
        sa.Column("geo_long", sa.Float(), nullable=True),
        sa.Column("geo_radius", sa.Integer(), nullable=True),
        sa.Column("geo_wkt", sa.Text(), nullable=True),
        sa.Column("point_long", sa.Float(), nullable=True),
        sa.Column("point_lat", sa.Float(), nullable=True),
        sa.Column("min_long", sa.Float(), nullable=True),
        sa.Column("min_lat", sa.Float(), nullable=True),
        sa.Column("max_long", sa.Float(), nullable=True),
        sa.Column("max_lat", sa.Float(), nullable=True),
        sa.Column("is_hidden", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sort_type", sa.Text(), nullable=True),
        sa.Column("total_parties", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "search_words",
            postgresql.TSVECTOR(),
            sa.Computed("to_tsvector('simple'::regconfig, name)", persisted=True),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["assets.id"],
        ),
        sa.ForeignKeyConstraint(
            ["type_id"],
            ["asset_types.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_assets_children",
        "assets",
        ["tenant_id", "parent_id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_assets_list_created",
        "assets",
        ["tenant_id", "created_at", "id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_assets_list_id",
        "assets",
        ["tenant_id", "id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_assets_list_name",
        "assets",
        ["tenant_id", sa.literal_column("lower(name)"), "id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_assets_list_updated",
        "assets",
        ["tenant_id", sa.literal_column("COALESCE(updated_at, created_at)"), "id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_assets_list_description",
        "assets",
        ["tenant_id", sa.literal_column('lower("left"(description, 200))'), "id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_assets_list_type",
        "assets",
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
        "ix_assets_list_total_parties",
        "assets",
        ["tenant_id", "total_parties", "id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_assets_of_type",
        "assets",
        ["tenant_id", "type_id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_assets_search_words", "assets", ["search_words"], unique=False, postgresql_using="gin"
    )
    op.create_table(
        "asset_parties",
        sa.Column("asset_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["assets.id"],
        ),
        sa.PrimaryKeyConstraint("asset_id", "party_id"),
    )
    op.create_index("ix_asset_parties_party", "asset_parties", ["tenant_id", "party_id"], unique=False)
    op.create_table(
        "asset_services",
        sa.Column("asset_id", sa.Uuid(), nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["assets.id"],
        ),
        sa.PrimaryKeyConstraint("asset_id", "service_id"),
    )
    op.create_index("ix_asset_services_service", "asset_services", ["tenant_id", "service_id"], unique=False)
    op.execute(_FUNCTIONS)
    op.execute(_TRIGGERS)
    # A page is ~20 rows from an index: parallel workers for it cost more than the scan.
    op.execute("ALTER TABLE assets SET (parallel_workers = 0)")


def downgrade() -> None:
    for trigger, table in _TRIGGER_TABLES.items():
        op.execute(f"DROP TRIGGER {trigger} ON {table}")
        op.execute(f"DROP FUNCTION {trigger}()")
    op.drop_index("ix_assets_list_description", table_name="assets")
    op.drop_index("ix_assets_list_type", table_name="assets")
    op.drop_index("ix_assets_list_total_parties", table_name="assets")
    op.drop_index("ix_asset_services_service", table_name="asset_services")
    op.drop_table("asset_services")
    op.drop_index("ix_asset_parties_party", table_name="asset_parties")
    op.drop_table("asset_parties")
    op.drop_index("ix_assets_search_words", table_name="assets", postgresql_using="gin")
    op.drop_index("ix_assets_of_type", table_name="assets", postgresql_where=sa.text("deleted_at IS NULL"))
    op.drop_index(
        "ix_assets_list_updated", table_name="assets", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_index("ix_assets_list_name", table_name="assets", postgresql_where=sa.text("deleted_at IS NULL"))
    op.drop_index("ix_assets_list_id", table_name="assets", postgresql_where=sa.text("deleted_at IS NULL"))
    op.drop_index(
        "ix_assets_list_created", table_name="assets", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_index("ix_assets_children", table_name="assets", postgresql_where=sa.text("deleted_at IS NULL"))
    op.drop_table("assets")
    op.drop_index(op.f("ix_replicated_parties_tenant_id"), table_name="replicated_parties")
    op.drop_table("replicated_parties")
    op.drop_index(op.f("ix_asset_types_tenant_id"), table_name="asset_types")
    op.drop_table("asset_types")
