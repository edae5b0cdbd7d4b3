"""Alembic environment of the heatmaps database (run via ``python -m proximity.db.migrate heatmaps``)."""

from proximity.db.migration_env import run_migrations, tables_of

# Every module of heatmaps.repositories may define tables; all of them, and only them.
run_migrations(tables_of("heatmaps.repositories"))
