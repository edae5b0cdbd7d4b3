"""Alembic environment of the iam database (run via ``python -m proximity.db.migrate iam``)."""

from proximity.db.migration_env import run_migrations, tables_of

# Every module of iam.repositories may define tables; all of them, and only them.
run_migrations(tables_of("iam.repositories"))
