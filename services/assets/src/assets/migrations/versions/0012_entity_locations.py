"""entity locations: a GiST index over the box of each live entity's located addresses (location
search prefilters entities as it does assets); layouts get a version (their events carry it)

An entity has several addresses, each maybe with coordinates, so no single point column holds
its location: ``entity_location_box(addresses)`` is the box around every address's coordinates
(null without any), computed from the row itself, so nothing has to keep it in step.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Numbers only, as the address schema stores them and the exact test (shapely) reads them.
_FUNCTION = """
CREATE FUNCTION entity_location_box(addresses jsonb) RETURNS box
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT box(point(min(long), min(lat)), point(max(long), max(lat)))
    FROM (
        SELECT (address->>'long')::float8 AS long, (address->>'lat')::float8 AS lat
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(addresses) = 'array' THEN addresses END) AS address
        WHERE jsonb_typeof(address->'long') = 'number' AND jsonb_typeof(address->'lat') = 'number'
    ) AS located
$$
"""
ENTITY_BOX = "entity_location_box(addresses)"
_LOCATED = f"deleted_at IS NULL AND {ENTITY_BOX} IS NOT NULL"


def upgrade() -> None:
    op.execute(_FUNCTION)
    op.create_index(
        "ix_entities_box",
        "entities",
        [sa.literal_column(ENTITY_BOX)],
        unique=False,
        postgresql_using="gist",
        postgresql_where=sa.text(_LOCATED),
    )
    op.add_column("layouts", sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False))


def downgrade() -> None:
    op.drop_column("layouts", "version")
    op.drop_index("ix_entities_box", table_name="entities", postgresql_using="gist")
    op.execute("DROP FUNCTION entity_location_box(jsonb)")
