"""non-container lists: ``is_container`` on the asset row, and the sorts a unit list walks

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01

``GET /assets?exclude_containers=true`` tested each row's type against the container types, so
under ``+name`` and ``+type`` (every unit sorts after every site, building and floor) the sort's
index was walked past every container first: ~36,000 rows at 100,000 assets (34-37 ms), ~1 s at
1,000,000. The asset row now says whether its type is a container (kept by a trigger from the
type, like ``sort_type``), and those two sorts have partial indexes over non-containers. The
other sorts interleave containers and units, so their own index finds a page quickly.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Kept in the writing transaction whichever code path writes the asset. Types are provisioned
# from the standard catalogue and nothing changes their ``is_container`` today; the second
# trigger keeps the rows right should a later change allow it.
_FUNCTIONS = """
CREATE FUNCTION assets_is_container() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.is_container := COALESCE((SELECT is_container FROM asset_types WHERE id = NEW.type_id), false);
    RETURN NEW;
END $$;

CREATE FUNCTION asset_types_contain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE assets SET is_container = NEW.is_container WHERE type_id = NEW.id;
    RETURN NULL;
END $$;
"""
_TRIGGERS = """
CREATE TRIGGER assets_is_container BEFORE INSERT OR UPDATE OF type_id ON assets
    FOR EACH ROW EXECUTE FUNCTION assets_is_container();
CREATE TRIGGER asset_types_contain AFTER UPDATE OF is_container ON asset_types
    FOR EACH ROW WHEN (OLD.is_container IS DISTINCT FROM NEW.is_container)
    EXECUTE FUNCTION asset_types_contain();
"""
_TRIGGER_TABLES = {"assets_is_container": "assets", "asset_types_contain": "asset_types"}
_UNITS = "deleted_at IS NULL AND NOT is_container"
# The sorts whose non-containers come after every container (asset_records.NON_CONTAINER_SORTS).
_SORTS = {
    "name": ("lower(name)",),
    "type": ("(sort_type IS NULL)", "COALESCE(sort_type, '')"),
}

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "assets", sa.Column("is_container", sa.Boolean(), server_default=sa.text("false"), nullable=False)
    )
    op.execute(
        "UPDATE assets SET is_container = true FROM asset_types "
        "WHERE asset_types.id = assets.type_id AND asset_types.is_container"
    )
    op.execute(_FUNCTIONS)
    op.execute(_TRIGGERS)
    for name, keys in _SORTS.items():
        op.create_index(
            f"ix_assets_units_{name}",
            "assets",
            ["tenant_id", *(sa.literal_column(key) for key in keys), "id"],
            unique=False,
            postgresql_where=sa.text(_UNITS),
        )


def downgrade() -> None:
    for name in _SORTS:
        op.drop_index(f"ix_assets_units_{name}", table_name="assets", postgresql_where=sa.text(_UNITS))
    for trigger, table in _TRIGGER_TABLES.items():
        op.execute(f"DROP TRIGGER {trigger} ON {table}")
        op.execute(f"DROP FUNCTION {trigger}()")
    op.drop_column("assets", "is_container")
