"""party lists served by indexes: a partial index per documented sort (tenant, sort key, id;
live parties only), the words keywords search as a GIN-indexed tsvector, and the aggregates
that parties sort by kept on the party row by triggers

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

Every sort of ``GET /parties`` is one index scan in either direction
(``identity.repositories.parties.SORTS`` orders by the same expressions, and
``tables.PARTY_SORT_INDEXES`` declares them). Sorting by a count or by another table's name
needs that value on the party row: triggers keep it there in the same transaction as the write
that changes it, whichever code path writes, and by increments (``total = total + 1``), which
stay right when two transactions change one party's relations at once.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LIVE = "deleted_at IS NULL"

# The words keywords match (seed 004: first name, last name, email). The email appears whole and
# split at its punctuation, so 'mia@a' finds mia@a.com as the adjacent words mia, a.
SEARCH_WORDS = (
    "to_tsvector('simple'::regconfig, first_name || ' ' || coalesce(last_name, '') || ' ' || "
    "coalesce(email, '') || ' ' || coalesce(regexp_replace(email, '[^[:alnum:]]+', ' ', 'g'), ''))"
)

# name → the index's key expressions after tenant_id, before id. A nullable value is keyed
# (value IS NULL, coalesce(value, zero)): ascending puts parties without one last, as seed 004
# does, and descending is the exact reverse.
SORT_INDEXES: dict[str, str] = {
    "id": "",
    "name": "lower(first_name), (lower(last_name) IS NULL), coalesce(lower(last_name), '')",
    "first_name": "lower(first_name)",
    "last_name": "(lower(last_name) IS NULL), coalesce(lower(last_name), '')",
    "type": "(sort_type IS NULL), coalesce(sort_type, '')",
    "phone": "(phone IS NULL), coalesce(phone, '')",
    "email": "(email IS NULL), coalesce(email, '')",
    "last_signin": "(last_signin_at IS NULL), coalesce(last_signin_at, created_at)",
    "job_title": "(sort_job_title IS NULL), coalesce(sort_job_title, '')",
    "total_identities": "total_identities",
    "total_groups": "total_groups",
    "total_skillsets": "total_skillsets",
    "created": "created_at",
    "updated": "coalesce(updated_at, created_at)",
}

_FUNCTIONS = """
CREATE FUNCTION parties_sort_names() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.sort_type := (SELECT lower(name) FROM party_types WHERE id = NEW.type_id);
    NEW.sort_job_title := (SELECT lower(name) FROM job_titles WHERE id = NEW.job_title_id);
    RETURN NEW;
END $$;

CREATE FUNCTION party_types_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE parties SET sort_type = lower(NEW.name) WHERE type_id = NEW.id;
    RETURN NULL;
END $$;

CREATE FUNCTION job_titles_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE parties SET sort_job_title = lower(NEW.name) WHERE job_title_id = NEW.id;
    RETURN NULL;
END $$;

CREATE FUNCTION sessions_signed_in() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE parties SET last_signin_at = NEW.created_at
    FROM users
    WHERE users.id = NEW.user_id AND parties.id = users.party_id
      AND (parties.last_signin_at IS NULL OR parties.last_signin_at < NEW.created_at);
    RETURN NULL;
END $$;

CREATE FUNCTION identities_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE parties SET total_identities = total_identities + 1
        FROM users WHERE users.id = NEW.user_id AND parties.id = users.party_id;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE parties SET total_identities = total_identities - 1
        FROM users WHERE users.id = OLD.user_id AND parties.id = users.party_id;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION party_group_memberships_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE parties SET total_groups = total_groups + 1 WHERE id = NEW.party_id;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE parties SET total_groups = total_groups - 1 WHERE id = OLD.party_id;
    END IF;
    RETURN NULL;
END $$;

-- A pair counts while neither it nor its skillset is deleted (GET /parties/~/skillsets).
-- FOR SHARE waits for a concurrent deletion of the skillset and then reads it as committed,
-- so a pair written during that deletion is counted as the deletion left it.
CREATE FUNCTION party_skillset_live(pair_deleted timestamptz, skillset uuid) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    skillset_deleted timestamptz;
BEGIN
    IF pair_deleted IS NOT NULL THEN
        RETURN 0;
    END IF;
    SELECT deleted_at INTO skillset_deleted FROM skillsets WHERE id = skillset FOR SHARE;
    RETURN CASE WHEN FOUND AND skillset_deleted IS NULL THEN 1 ELSE 0 END;
END $$;

CREATE FUNCTION party_skillsets_counted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    after_change int := 0;
    before_change int := 0;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        after_change := party_skillset_live(NEW.deleted_at, NEW.skillset_id);
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        before_change := party_skillset_live(OLD.deleted_at, OLD.skillset_id);
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.party_id = OLD.party_id THEN
        IF after_change <> before_change THEN
            UPDATE parties SET total_skillsets = total_skillsets + after_change - before_change
            WHERE id = NEW.party_id;
        END IF;
        RETURN NULL;
    END IF;
    IF after_change <> 0 THEN
        UPDATE parties SET total_skillsets = total_skillsets + 1 WHERE id = NEW.party_id;
    END IF;
    IF before_change <> 0 THEN
        UPDATE parties SET total_skillsets = total_skillsets - 1 WHERE id = OLD.party_id;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION skillsets_deleted_or_restored() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    change int;
BEGIN
    IF (OLD.deleted_at IS NULL) = (NEW.deleted_at IS NULL) THEN
        RETURN NULL;
    END IF;
    change := CASE WHEN NEW.deleted_at IS NULL THEN 1 ELSE -1 END;
    UPDATE parties SET total_skillsets = total_skillsets + change
    WHERE id IN (SELECT party_id FROM party_skillsets WHERE skillset_id = NEW.id AND deleted_at IS NULL);
    RETURN NULL;
END $$;
"""

_TRIGGERS = """
CREATE TRIGGER parties_sort_names BEFORE INSERT OR UPDATE OF type_id, job_title_id ON parties
    FOR EACH ROW EXECUTE FUNCTION parties_sort_names();
CREATE TRIGGER party_types_renamed AFTER UPDATE OF name ON party_types
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION party_types_renamed();
CREATE TRIGGER job_titles_renamed AFTER UPDATE OF name ON job_titles
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION job_titles_renamed();
CREATE TRIGGER sessions_signed_in AFTER INSERT ON sessions
    FOR EACH ROW EXECUTE FUNCTION sessions_signed_in();
CREATE TRIGGER identities_counted AFTER INSERT OR DELETE OR UPDATE OF user_id ON identities
    FOR EACH ROW EXECUTE FUNCTION identities_counted();
CREATE TRIGGER party_group_memberships_counted
    AFTER INSERT OR DELETE OR UPDATE OF party_id ON party_group_memberships
    FOR EACH ROW EXECUTE FUNCTION party_group_memberships_counted();
CREATE TRIGGER party_skillsets_counted
    AFTER INSERT OR DELETE OR UPDATE OF party_id, skillset_id, deleted_at ON party_skillsets
    FOR EACH ROW EXECUTE FUNCTION party_skillsets_counted();
CREATE TRIGGER skillsets_deleted_or_restored AFTER UPDATE OF deleted_at ON skillsets
    FOR EACH ROW EXECUTE FUNCTION skillsets_deleted_or_restored();
"""

_BACKFILL = """
UPDATE parties SET
    sort_type = (SELECT lower(name) FROM party_types WHERE id = parties.type_id),
    sort_job_title = (SELECT lower(name) FROM job_titles WHERE id = parties.job_title_id),
    last_signin_at = (SELECT max(s.created_at) FROM sessions s JOIN users u ON u.id = s.user_id
                      WHERE u.party_id = parties.id),
    total_identities = (SELECT count(*) FROM identities i JOIN users u ON u.id = i.user_id
                        WHERE u.party_id = parties.id),
    total_groups = (SELECT count(*) FROM party_group_memberships m WHERE m.party_id = parties.id),
    total_skillsets = (SELECT count(*) FROM party_skillsets ps JOIN skillsets s ON s.id = ps.skillset_id
                       WHERE ps.party_id = parties.id AND ps.deleted_at IS NULL AND s.deleted_at IS NULL)
"""

_TRIGGER_TABLES = {
    "parties_sort_names": "parties",
    "party_types_renamed": "party_types",
    "job_titles_renamed": "job_titles",
    "sessions_signed_in": "sessions",
    "identities_counted": "identities",
    "party_group_memberships_counted": "party_group_memberships",
    "party_skillsets_counted": "party_skillsets",
    "skillsets_deleted_or_restored": "skillsets",
}


def upgrade() -> None:
    op.execute(
        f"ALTER TABLE parties ADD COLUMN search_words tsvector GENERATED ALWAYS AS ({SEARCH_WORDS}) STORED"
    )
    op.execute(
        "ALTER TABLE parties ADD COLUMN sort_type text, ADD COLUMN sort_job_title text, "
        "ADD COLUMN last_signin_at timestamptz, "
        "ADD COLUMN total_identities integer NOT NULL DEFAULT 0, "
        "ADD COLUMN total_groups integer NOT NULL DEFAULT 0, "
        "ADD COLUMN total_skillsets integer NOT NULL DEFAULT 0"
    )
    op.execute(_BACKFILL)
    op.execute(_FUNCTIONS)
    op.execute(_TRIGGERS)
    op.execute("CREATE INDEX ix_parties_search_words ON parties USING gin (search_words)")
    # A page is ~20 rows from an index: starting parallel workers for it costs more (~5 ms) than
    # the scan, and PostgreSQL picks them once the table is large.
    op.execute("ALTER TABLE parties SET (parallel_workers = 0)")
    for name, keys in SORT_INDEXES.items():
        columns = ", ".join(part for part in ("tenant_id", keys, "id") if part)
        op.execute(f"CREATE INDEX ix_parties_list_{name} ON parties ({columns}) WHERE {_LIVE}")


def downgrade() -> None:
    for name in SORT_INDEXES:
        op.execute(f"DROP INDEX ix_parties_list_{name}")
    op.execute("ALTER TABLE parties RESET (parallel_workers)")
    op.execute("DROP INDEX ix_parties_search_words")
    for trigger, table in _TRIGGER_TABLES.items():
        op.execute(f"DROP TRIGGER {trigger} ON {table}")
        op.execute(f"DROP FUNCTION {trigger}()")
    op.execute("DROP FUNCTION party_skillset_live(timestamptz, uuid)")
    op.execute(
        "ALTER TABLE parties DROP COLUMN search_words, DROP COLUMN sort_type, DROP COLUMN sort_job_title, "
        "DROP COLUMN last_signin_at, DROP COLUMN total_identities, DROP COLUMN total_groups, "
        "DROP COLUMN total_skillsets"
    )
