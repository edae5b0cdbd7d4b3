"""What every service's ``migrations/env.py`` runs: online migrations on a sync psycopg engine.

A sync engine keeps ``alembic upgrade`` callable from inside a running event loop's thread
pool as well as from the command line.
"""

from __future__ import annotations

import importlib
import pkgutil

from alembic import context
from sqlalchemy import MetaData, Table, create_engine, pool, text

from proximity.events.tables import event_tables


def tables_of(package: str) -> MetaData:
    """A metadata holding the tables defined in ``package``'s modules, plus the outbox and inbox.

    Not ``SQLModel.metadata`` itself: any table some other code registered in this process
    (another service's, a test's) would otherwise end up in this service's migrations.
    """
    root = importlib.import_module(package)
    modules = [root] + [
        importlib.import_module(f"{package}.{info.name}") for info in pkgutil.iter_modules(root.__path__)
    ]
    metadata = MetaData()
    for table in event_tables():
        table.to_metadata(metadata)
    for module in modules:
        for value in vars(module).values():
            table = getattr(value, "__table__", None)
            if isinstance(table, Table) and getattr(value, "__module__", None) == module.__name__:
                table.to_metadata(metadata)
    return metadata


def run_migrations(target_metadata: MetaData) -> None:
    config = context.config
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("sqlalchemy.url is not set: run through proximity.db.migrate")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        # Replicas starting together (init containers) migrate one after another, not at once.
        connection.execute(text("SELECT pg_advisory_lock(hashtext('alembic'))"))
        connection.commit()
        context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
        connection.execute(text("SELECT pg_advisory_unlock(hashtext('alembic'))"))
        connection.commit()
    engine.dispose()
