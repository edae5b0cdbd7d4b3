"""location search: the words keywords match (name and address) and a GiST index over each
located asset's bounding box

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401 - autogenerate writes its column types
from alembic import op
from sqlalchemy.dialects import postgresql

# The texts location search matches (name and address parts; strings only, so neither the
# keys nor coordinates are words).
ASSET_LOCATION_WORDS = (
    "to_tsvector('simple'::regconfig, name || ' ' || "
    "COALESCE(jsonb_path_query_array(address, '$.* ? (@.type() == \"string\")')::text, ''))"
)
ENTITY_LOCATION_WORDS = (
    "to_tsvector('simple'::regconfig, name || ' ' || "
    "jsonb_path_query_array(addresses, '$[*].* ? (@.type() == \"string\")')::text)"
)

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "assets",
        sa.Column(
            "location_words",
            postgresql.TSVECTOR(),
            sa.Computed(
                ASSET_LOCATION_WORDS,
                persisted=True,
            ),
            nullable=True,
        ),
    )
    op.create_index(
        "ix_assets_box",
        "assets",
        [sa.literal_column("box(point(min_long, min_lat), point(max_long, max_lat))")],
        unique=False,
        postgresql_using="gist",
        postgresql_where=sa.text("deleted_at IS NULL AND min_long IS NOT NULL"),
    )
    op.create_index(
        "ix_assets_location_words", "assets", ["location_words"], unique=False, postgresql_using="gin"
    )
    op.add_column(
        "entities",
        sa.Column(
            "location_words",
            postgresql.TSVECTOR(),
            sa.Computed(
                ENTITY_LOCATION_WORDS,
                persisted=True,
            ),
            nullable=True,
        ),
    )
    op.create_index(
        "ix_entities_location_words", "entities", ["location_words"], unique=False, postgresql_using="gin"
    )


def downgrade() -> None:
    op.drop_index("ix_entities_location_words", table_name="entities", postgresql_using="gin")
    op.drop_column("entities", "location_words")
    op.drop_index("ix_assets_location_words", table_name="assets", postgresql_using="gin")
    op.drop_index(
        "ix_assets_box",
        table_name="assets",
        postgresql_using="gist",
        postgresql_where=sa.text("deleted_at IS NULL AND min_long IS NOT NULL"),
    )
    op.drop_column("assets", "location_words")
