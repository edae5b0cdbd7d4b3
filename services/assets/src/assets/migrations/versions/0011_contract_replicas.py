"""contract replicas: contracts and their links to assets and entities, services, and the
contract counts lists sort by

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

The counts are kept on the asset and entity rows by triggers on the link tables, in the
transaction that changes a link (by increments, so two transactions changing one asset's links
at once stay right); a link a contract dropped stays as a row with ``linked`` false.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

_FUNCTIONS = """
CREATE FUNCTION contract_assets_counted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta integer := 0;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.linked THEN
        delta := delta + 1;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.linked THEN
        delta := delta - 1;
    END IF;
    IF delta <> 0 THEN
        UPDATE assets SET total_contracts = total_contracts + delta
        WHERE id = COALESCE(NEW.asset_id, OLD.asset_id)
            AND tenant_id = COALESCE(NEW.tenant_id, OLD.tenant_id);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION contract_entities_counted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta integer := 0;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.linked THEN
        delta := delta + 1;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.linked THEN
        delta := delta - 1;
    END IF;
    IF delta <> 0 THEN
        UPDATE entities SET total_contracts = total_contracts + delta
        WHERE id = COALESCE(NEW.entity_id, OLD.entity_id)
            AND tenant_id = COALESCE(NEW.tenant_id, OLD.tenant_id);
    END IF;
    RETURN NULL;
END $$;
"""
_TRIGGERS = """
CREATE TRIGGER contract_assets_counted AFTER INSERT OR UPDATE OR DELETE ON contract_assets
    FOR EACH ROW EXECUTE FUNCTION contract_assets_counted();
CREATE TRIGGER contract_entities_counted AFTER INSERT OR UPDATE OR DELETE ON contract_entities
    FOR EACH ROW EXECUTE FUNCTION contract_entities_counted();
"""
_TRIGGER_TABLES = {
    "contract_assets_counted": "contract_assets",
    "contract_entities_counted": "contract_entities",
}

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _link_table(name: str, other: str) -> None:
    op.create_table(
        name,
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column(other, sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("linked", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("contract_id", other),
    )
    # By contract: the primary key; by asset or entity (a page's contract ids): this index.
    kind = other.removesuffix("_id")
    op.create_index(
        f"ix_{name}_{kind}", name, [other, "tenant_id"], unique=False, postgresql_where=sa.text("linked")
    )


def upgrade() -> None:
    op.create_table(
        "replicated_contracts",
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), server_default="", nullable=False),
        sa.Column("suspended", sa.Boolean(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("contract_id"),
    )
    op.create_index(
        op.f("ix_replicated_contracts_tenant_id"), "replicated_contracts", ["tenant_id"], unique=False
    )
    op.create_table(
        "replicated_services",
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), server_default="", nullable=False),
        sa.Column("type", sa.Text(), nullable=True),
        sa.Column("suspended", sa.Boolean(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("service_id"),
    )
    op.create_index(
        op.f("ix_replicated_services_tenant_id"), "replicated_services", ["tenant_id"], unique=False
    )
    _link_table("contract_assets", "asset_id")
    _link_table("contract_entities", "entity_id")
    for table in ("assets", "entities"):
        op.add_column(
            table, sa.Column("total_contracts", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
        op.create_index(
            f"ix_{table}_list_total_contracts",
            table,
            ["tenant_id", "total_contracts", "id"],
            unique=False,
            postgresql_where=sa.text("deleted_at IS NULL"),
        )
    op.execute(_FUNCTIONS)
    op.execute(_TRIGGERS)


def downgrade() -> None:
    for trigger, table in _TRIGGER_TABLES.items():
        op.execute(f"DROP TRIGGER {trigger} ON {table}")
        op.execute(f"DROP FUNCTION {trigger}()")
    for table in ("assets", "entities"):
        live = sa.text("deleted_at IS NULL")
        op.drop_index(f"ix_{table}_list_total_contracts", table_name=table, postgresql_where=live)
        op.drop_column(table, "total_contracts")
    for name in ("contract_entities", "contract_assets"):
        op.drop_table(name)
    op.drop_index(op.f("ix_replicated_services_tenant_id"), table_name="replicated_services")
    op.drop_table("replicated_services")
    op.drop_index(op.f("ix_replicated_contracts_tenant_id"), table_name="replicated_contracts")
    op.drop_table("replicated_contracts")
