"""The migrations build exactly the schema the models describe, from one head."""

from __future__ import annotations

from collections.abc import Callable

from alembic import command
from alembic.script import ScriptDirectory

from proximity.db.migrate import alembic_config, upgrade


def test_one_head_and_no_drift(database_factory: Callable[[str], str]) -> None:
    url = database_factory("heatmaps_migrations")
    config = alembic_config("heatmaps", url)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
    upgrade("heatmaps", url)
    upgrade("heatmaps", url)  # a second run is a no-op
    command.check(config)  # raises if autogenerate would change anything
    command.downgrade(config, "base")  # and back, so a broken downgrade shows here
    upgrade("heatmaps", url)
