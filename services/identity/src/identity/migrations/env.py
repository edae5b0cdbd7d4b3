"""Alembic environment of the identity database (run via ``python -m proximity.db.migrate identity``)."""

from proximity.db.migration_env import run_migrations, tables_of

# Every module of identity.repositories may define tables; all of them, and only them.
run_migrations(tables_of("identity.repositories"))
