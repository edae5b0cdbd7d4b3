"""people: party types, job titles, group-membership replica, the party's seed 004 fields

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of identity.domain.party_catalogues at the time of this revision: tenants that
# exist before it get the same defaults a tenant created afterwards gets from ensure_tenant.
_PARTY_TYPES = (
    ("User", "user", "A person who signs in to the system."),
    ("Contact", "contact", "A person on record who does not sign in."),
)
_JOB_TITLES = ("Manager", "Supervisor", "Technician", "Trainee")


def upgrade() -> None:
    op.create_table(
        "party_types",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=150), nullable=False),
        sa.Column("description", sa.String(length=5000), nullable=True),
        sa.Column("base_type", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "name", name="uq_party_types_tenant_name"),
    )
    op.create_index(op.f("ix_party_types_tenant_id"), "party_types", ["tenant_id"], unique=False)
    op.create_table(
        "job_titles",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=150), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "name", name="uq_job_titles_tenant_name"),
    )
    op.create_index(op.f("ix_job_titles_tenant_id"), "job_titles", ["tenant_id"], unique=False)
    op.create_table(
        "party_group_memberships",
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"]),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
        sa.PrimaryKeyConstraint("group_id", "party_id"),
    )
    op.create_index(
        op.f("ix_party_group_memberships_party_id"), "party_group_memberships", ["party_id"], unique=False
    )
    op.create_index(
        op.f("ix_party_group_memberships_tenant_id"), "party_group_memberships", ["tenant_id"], unique=False
    )
    op.add_column("parties", sa.Column("type_id", sa.Uuid(), nullable=True))
    op.add_column("parties", sa.Column("phone", sa.String(length=16), nullable=True))
    op.add_column("parties", sa.Column("avatar_media_id", sa.Uuid(), nullable=True))
    op.add_column("parties", sa.Column("avatar_url", sa.String(length=2000), nullable=True))
    op.add_column("parties", sa.Column("job_title_id", sa.Uuid(), nullable=True))
    op.add_column(
        "parties",
        sa.Column("addresses", postgresql.JSONB(), server_default=sa.text("'[]'::jsonb"), nullable=False),
    )
    op.add_column(
        "parties",
        sa.Column("profile", postgresql.JSONB(), server_default=sa.text("'[]'::jsonb"), nullable=False),
    )
    op.create_index(op.f("ix_parties_type_id"), "parties", ["type_id"], unique=False)
    op.create_foreign_key("fk_parties_type_id", "parties", "party_types", ["type_id"], ["id"])
    op.create_foreign_key("fk_parties_job_title_id", "parties", "job_titles", ["job_title_id"], ["id"])
    for name, base_type, description in _PARTY_TYPES:
        op.execute(
            sa.text(
                "INSERT INTO party_types (id, tenant_id, name, description, base_type, created_at) "
                "SELECT gen_random_uuid(), id, :name, :description, :base_type, now() FROM tenants"
            ).bindparams(name=name, description=description, base_type=base_type)
        )
    for name in _JOB_TITLES:
        op.execute(
            sa.text(
                "INSERT INTO job_titles (id, tenant_id, name, created_at) "
                "SELECT gen_random_uuid(), id, :name, now() FROM tenants"
            ).bindparams(name=name)
        )


def downgrade() -> None:
    op.drop_constraint("fk_parties_job_title_id", "parties", type_="foreignkey")
    op.drop_constraint("fk_parties_type_id", "parties", type_="foreignkey")
    op.drop_index(op.f("ix_parties_type_id"), table_name="parties")
    for column in (
        "profile",
        "addresses",
        "job_title_id",
        "avatar_url",
        "avatar_media_id",
        "phone",
        "type_id",
    ):
        op.drop_column("parties", column)
    op.drop_index(op.f("ix_party_group_memberships_tenant_id"), table_name="party_group_memberships")
    op.drop_index(op.f("ix_party_group_memberships_party_id"), table_name="party_group_memberships")
    op.drop_table("party_group_memberships")
    op.drop_index(op.f("ix_job_titles_tenant_id"), table_name="job_titles")
    op.drop_table("job_titles")
    op.drop_index(op.f("ix_party_types_tenant_id"), table_name="party_types")
    op.drop_table("party_types")
