"""contracts: the contract role catalogue, contracts with their links to assets, entities,
parties and services, and the replicas of the parties, assets and entities they name

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Lists sort through one partial index per documented sort over live contracts; each link table
is indexed by the linked object (the list filters, and unlinking an object assets or identity
deleted).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contract_roles",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=True),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "key", name="uq_contract_roles_tenant_key"),
    )
    op.create_index(op.f("ix_contract_roles_tenant_id"), "contract_roles", ["tenant_id"], unique=False)
    op.create_table(
        "contracts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column(
            "owners",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column(
            "contacts",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column(
            "media_ids", postgresql.ARRAY(sa.Uuid()), server_default=sa.text("'{}'::uuid[]"), nullable=False
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("total_assets", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("total_entities", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "search_words",
            postgresql.TSVECTOR(),
            sa.Computed("to_tsvector('simple'::regconfig, name)", persisted=True),
            nullable=True,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_contracts_list_created",
        "contracts",
        ["tenant_id", "created_at", "id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_contracts_list_description",
        "contracts",
        ["tenant_id", sa.literal_column('lower("left"(description, 200))'), "id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_contracts_list_expiry",
        "contracts",
        [
            "tenant_id",
            sa.literal_column("(expires_at IS NULL)"),
            sa.literal_column("COALESCE(expires_at, '1970-01-01 00:00:00+00'::timestamp with time zone)"),
            "id",
        ],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_contracts_list_id",
        "contracts",
        ["tenant_id", "id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_contracts_list_name",
        "contracts",
        ["tenant_id", sa.literal_column("lower(name)"), "id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_contracts_list_total_assets",
        "contracts",
        ["tenant_id", "total_assets", "id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_contracts_list_total_entities",
        "contracts",
        ["tenant_id", "total_entities", "id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_contracts_list_updated",
        "contracts",
        ["tenant_id", sa.literal_column("COALESCE(updated_at, created_at)"), "id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_contracts_search_words", "contracts", ["search_words"], unique=False, postgresql_using="gin"
    )
    op.create_table(
        "asset_replica",
        sa.Column("asset_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("asset_id"),
    )
    op.create_index(op.f("ix_asset_replica_tenant_id"), "asset_replica", ["tenant_id"], unique=False)
    op.create_table(
        "entity_replica",
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("entity_id"),
    )
    op.create_index(op.f("ix_entity_replica_tenant_id"), "entity_replica", ["tenant_id"], unique=False)
    op.create_table(
        "party_replica",
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("party_id"),
    )
    op.create_index(op.f("ix_party_replica_tenant_id"), "party_replica", ["tenant_id"], unique=False)
    op.create_table(
        "contract_asset_links",
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("asset_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
        ),
        sa.PrimaryKeyConstraint("contract_id", "asset_id"),
    )
    op.create_index(
        "ix_contract_asset_links_asset", "contract_asset_links", ["asset_id", "contract_id"], unique=False
    )
    op.create_table(
        "contract_entity_links",
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
        ),
        sa.PrimaryKeyConstraint("contract_id", "entity_id"),
    )
    op.create_index(
        "ix_contract_entity_links_entity", "contract_entity_links", ["entity_id", "contract_id"], unique=False
    )
    op.create_table(
        "contract_party_links",
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
        ),
        sa.PrimaryKeyConstraint("contract_id", "party_id"),
    )
    op.create_index(
        "ix_contract_party_links_party", "contract_party_links", ["party_id", "contract_id"], unique=False
    )
    op.create_table(
        "contract_service_links",
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
        ),
        sa.PrimaryKeyConstraint("contract_id", "service_id"),
    )
    op.create_index(
        "ix_contract_service_links_service",
        "contract_service_links",
        ["service_id", "contract_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_contract_service_links_service", table_name="contract_service_links")
    op.drop_table("contract_service_links")
    op.drop_index("ix_contract_party_links_party", table_name="contract_party_links")
    op.drop_table("contract_party_links")
    op.drop_index("ix_contract_entity_links_entity", table_name="contract_entity_links")
    op.drop_table("contract_entity_links")
    op.drop_index("ix_contract_asset_links_asset", table_name="contract_asset_links")
    op.drop_table("contract_asset_links")
    op.drop_index(op.f("ix_party_replica_tenant_id"), table_name="party_replica")
    op.drop_table("party_replica")
    op.drop_index(op.f("ix_entity_replica_tenant_id"), table_name="entity_replica")
    op.drop_table("entity_replica")
    op.drop_index(op.f("ix_asset_replica_tenant_id"), table_name="asset_replica")
    op.drop_table("asset_replica")
    op.drop_index("ix_contracts_search_words", table_name="contracts", postgresql_using="gin")
    op.drop_index(
        "ix_contracts_list_updated", table_name="contracts", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_index(
        "ix_contracts_list_total_entities",
        table_name="contracts",
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.drop_index(
        "ix_contracts_list_total_assets",
        table_name="contracts",
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.drop_index(
        "ix_contracts_list_name", table_name="contracts", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_index(
        "ix_contracts_list_id", table_name="contracts", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_index(
        "ix_contracts_list_expiry", table_name="contracts", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_index(
        "ix_contracts_list_description",
        table_name="contracts",
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.drop_index(
        "ix_contracts_list_created", table_name="contracts", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_table("contracts")
    op.drop_index(op.f("ix_contract_roles_tenant_id"), table_name="contract_roles")
    op.drop_table("contract_roles")
