"""Alembic environment of the assets database (run via ``python -m proximity.db.migrate assets``)."""

from proximity.db.migration_env import run_migrations, tables_of

# Every module of assets.repositories may define tables; all of them, and only them.
run_migrations(tables_of("assets.repositories"))
