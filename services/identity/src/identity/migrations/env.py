"""Alembic environment of the identity database (run via ``python -m proximity.db.migrate identity``)."""

from sqlmodel import SQLModel

import identity.repositories.tables  # noqa: F401 - registers identity's tables
import proximity.events.tables  # noqa: F401 - the outbox and inbox
from proximity.db.migration_env import run_migrations

run_migrations(SQLModel.metadata)
