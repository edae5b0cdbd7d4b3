"""initial: consents, type names, the append-only history, outbox and inbox

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STAMP = sa.DateTime(timezone=True)

# The history is evidence (ISO/IEC TS 27560): the database itself refuses to rewrite it.
_APPEND_ONLY = """
CREATE FUNCTION consent_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'consent_history is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER consent_history_append_only
    BEFORE UPDATE OR DELETE ON consent_history
    FOR EACH ROW EXECUTE FUNCTION consent_history_append_only();
CREATE TRIGGER consent_history_no_truncate
    BEFORE TRUNCATE ON consent_history
    FOR EACH STATEMENT EXECUTE FUNCTION consent_history_append_only();
"""


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(length=200), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("processed_at", _STAMP, nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", _STAMP, nullable=False),
        sa.Column("published_at", _STAMP, nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_outbox_unpublished",
        "outbox",
        ["created_at"],
        unique=False,
        postgresql_where=sa.text("published_at IS NULL"),
    )
    op.create_table(
        "consents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("document_uri", sa.String(length=2000), nullable=False),
        sa.Column("document_content_type", sa.String(length=200), nullable=False),
        sa.Column("document_revision_id", sa.String(length=200), nullable=True),
        sa.Column("document_revised_at", _STAMP, nullable=False),
        sa.Column("context_uri", sa.String(length=2000), nullable=True),
        sa.Column("given_at", _STAMP, nullable=True),
        sa.Column("request_revoked_at", _STAMP, nullable=True),
        sa.Column("request_rescinded_at", _STAMP, nullable=True),
        sa.Column("created_at", _STAMP, nullable=False),
        sa.Column("updated_at", _STAMP, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_consents_tenant_id"), "consents", ["tenant_id"], unique=False)
    op.create_index("ix_consents_tenant_user", "consents", ["tenant_id", "user_id"], unique=False)
    op.create_index(
        "ix_consents_tenant_document", "consents", ["tenant_id", "document_uri", "type"], unique=False
    )
    op.create_table(
        "consent_type_names",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("names", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", _STAMP, nullable=False),
        sa.PrimaryKeyConstraint("tenant_id"),
    )
    op.create_table(
        "consent_history",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("consent_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=True),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("cause", sa.String(length=100), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("actor_party_id", sa.Uuid(), nullable=True),
        sa.Column("occurred_at", _STAMP, nullable=False),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(["consent_id"], ["consents.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_consent_history_tenant_id"), "consent_history", ["tenant_id"], unique=False)
    op.create_index(
        "ix_consent_history_consent", "consent_history", ["consent_id", "occurred_at"], unique=False
    )
    op.execute(_APPEND_ONLY)


def downgrade() -> None:
    op.execute("DROP TRIGGER consent_history_no_truncate ON consent_history")
    op.execute("DROP TRIGGER consent_history_append_only ON consent_history")
    op.execute("DROP FUNCTION consent_history_append_only()")
    op.drop_table("consent_history")
    op.drop_table("consent_type_names")
    op.drop_table("consents")
    op.drop_index(
        "ix_outbox_unpublished", table_name="outbox", postgresql_where=sa.text("published_at IS NULL")
    )
    op.drop_table("outbox")
    op.drop_table("inbox")
