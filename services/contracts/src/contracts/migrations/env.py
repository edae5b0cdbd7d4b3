"""Alembic environment of the contracts database (run via ``python -m proximity.db.migrate contracts``)."""

from proximity.db.migration_env import run_migrations, tables_of

# Every module of contracts.repositories may define tables; all of them, and only them.
run_migrations(tables_of("contracts.repositories"))
