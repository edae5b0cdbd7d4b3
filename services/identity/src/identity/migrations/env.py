"""Alembic environment of the identity database (run via ``python -m proximity.db.migrate identity``)."""

import importlib
import pkgutil

from sqlmodel import SQLModel

import identity.repositories
import proximity.events.tables  # noqa: F401 - the outbox and inbox
from proximity.db.migration_env import run_migrations

# Every module of identity.repositories may define tables: import them all so autogenerate
# and the metadata see each one.
for module in pkgutil.iter_modules(identity.repositories.__path__):
    importlib.import_module(f"identity.repositories.{module.name}")

run_migrations(SQLModel.metadata)
