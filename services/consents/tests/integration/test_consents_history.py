"""The schema: one migration head, no drift, and a history the database refuses to rewrite."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from proximity.db.migrate import alembic_config, upgrade

from .conftest import Consents, Tenant, consent_body


def test_one_head_and_no_drift(database_factory: Callable[[str], str]) -> None:
    url = database_factory("consents_migrations")
    config = alembic_config("consents", url)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
    upgrade("consents", url)
    upgrade("consents", url)
    command.check(config)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE consent_history SET to_state = 'given' WHERE consent_id = :id",
        "DELETE FROM consent_history WHERE consent_id = :id",
        "TRUNCATE consent_history CASCADE",
    ],
)
async def test_history_rows_cannot_be_updated_or_deleted(
    service: Consents, tenant: Tenant, statement: str
) -> None:
    created = await service.http.post(
        "/consents/consents", json=consent_body(tenant.alice_id), headers=tenant.alice
    )
    consent_id = uuid.UUID(created.json()["_id"])
    async with service.wired.unit_of_work() as uow:
        with pytest.raises(DBAPIError, match="append-only"):
            await uow.session.execute(text(statement), {"id": consent_id})
    async with service.wired.unit_of_work() as uow:
        count = await uow.session.execute(
            text("SELECT count(*) FROM consent_history WHERE consent_id = :id"), {"id": consent_id}
        )
        assert count.scalar_one() == 1
