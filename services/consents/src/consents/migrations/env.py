"""Alembic environment of the consents database (run via ``python -m proximity.db.migrate consents``)."""

from proximity.db.migration_env import run_migrations, tables_of

# Every module of consents.repositories may define tables; all of them, and only them.
run_migrations(tables_of("consents.repositories"))
