"""list indexes: assets of one entity

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01

``GET /assets?entity_id=`` had no index: PostgreSQL found an entity's ~100 assets among
100,000 by walking the sort's index, or a bitmap of the keyword, and testing each row
(27 ms with ``keywords=suite``). Partial like the other list indexes: lists show live assets.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_assets_of_entity",
        "assets",
        ["tenant_id", "entity_id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_assets_of_entity", table_name="assets", postgresql_where=sa.text("deleted_at IS NULL"))
