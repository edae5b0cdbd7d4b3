"""services: each tenant's service types and categories, and its services, listed through
partial indexes (one per sort, keywords by a GIN-indexed tsvector of the name); the type's and
the category's names the sorts read are kept on the service row by a trigger

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

# Kept in the writing transaction whichever code path writes (lower-cased: the sort is by name
# whatever its case). The catalogues are provisioned, never renamed: a rename would need a
# trigger on them too.
_FUNCTION = """
CREATE FUNCTION services_sort_names() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.sort_type := (SELECT lower(name) FROM service_types WHERE id = NEW.type_id);
    NEW.sort_category := (SELECT lower(name) FROM service_categories WHERE id = NEW.category_id);
    RETURN NEW;
END $$;
"""
_TRIGGER = """
CREATE TRIGGER services_sort_names BEFORE INSERT OR UPDATE OF type_id, category_id ON services
    FOR EACH ROW EXECUTE FUNCTION services_sort_names();
"""
_LIVE = sa.text("deleted_at IS NULL")
# Each sort's keys (repositories.services.SERVICE_SORT_INDEXES).
_SORT_INDEXES: dict[str, tuple[str, ...]] = {
    "name": ("lower(name)",),
    "description": ('lower("left"(description, 200))',),
    "type": ("(sort_type IS NULL)", "COALESCE(sort_type, '')"),
    "category": ("(sort_category IS NULL)", "COALESCE(sort_category, '')"),
    "created": ("created_at",),
    "updated": ("COALESCE(updated_at, created_at)",),
}

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _catalogue(table: str) -> None:
    op.create_table(
        table,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "key", name=f"uq_{table}_tenant_key"),
    )
    op.create_index(op.f(f"ix_{table}_tenant_id"), table, ["tenant_id"], unique=False)


def _key(expression: str) -> str | sa.ColumnElement[bool]:
    return expression if expression.isidentifier() else sa.literal_column(expression)


def upgrade() -> None:
    _catalogue("service_types")
    _catalogue("service_categories")
    op.create_table(
        "services",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("type_id", sa.Uuid(), nullable=True),
        sa.Column("category_id", sa.Uuid(), nullable=True),
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
        sa.Column("sort_category", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["category_id"], ["service_categories.id"]),
        sa.ForeignKeyConstraint(["type_id"], ["service_types.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    for name, keys in _SORT_INDEXES.items():
        op.create_index(
            f"ix_services_list_{name}",
            "services",
            ["tenant_id", *map(_key, keys), "id"],
            unique=False,
            postgresql_where=_LIVE,
        )
    op.create_index(
        "ix_services_of_type",
        "services",
        ["tenant_id", "type_id", sa.literal_column("lower(name)"), "id"],
        unique=False,
        postgresql_where=_LIVE,
    )
    op.create_index(
        "ix_services_search_words", "services", ["search_words"], unique=False, postgresql_using="gin"
    )
    op.execute(_FUNCTION)
    op.execute(_TRIGGER)


def downgrade() -> None:
    op.execute("DROP TRIGGER services_sort_names ON services")
    op.execute("DROP FUNCTION services_sort_names()")
    op.drop_table("services")  # its indexes go with it
    for table in ("service_categories", "service_types"):
        op.drop_index(op.f(f"ix_{table}_tenant_id"), table_name=table)
        op.drop_table(table)
