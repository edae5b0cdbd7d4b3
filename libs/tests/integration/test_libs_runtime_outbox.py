"""A service's runtime wires the outbox's guards: ``runtime.unit_of_work()`` refuses another
context's subject and an event over the connected broker's size limit, in the use case's own
transaction, and its relay leads and reports the backlog for its context."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from outbox_support import wait_until
from prometheus_client import REGISTRY

from proximity.db.engine import build_engine
from proximity.db.unit_of_work import EventRefused
from proximity.events.envelope import Event
from proximity.events.tables import event_tables
from proximity.runtime import open_runtime
from proximity.settings import ServiceSettings

notes = sa.Table("notes", sa.MetaData(), sa.Column("id", sa.Uuid, primary_key=True))


async def prepared_database(database_factory: Callable[[str], str]) -> str:
    url = database_factory("runtime_outbox")
    engine = build_engine(url, pool_size=1)
    async with engine.begin() as connection:
        for table in [*event_tables(), notes]:
            await connection.run_sync(table.create)
    await engine.dispose()
    return url


async def test_the_runtimes_unit_of_work_refuses_what_the_relay_could_never_send(
    database_factory: Callable[[str], str], nats_url: str
) -> None:
    url = await prepared_database(database_factory)
    context = f"librt{uuid.uuid4().hex[:10]}"
    settings = ServiceSettings(service_name="libs-runtime", database_url=url, nats_url=nats_url)

    async with open_runtime(settings, context=context, callers=None) as runtime:
        wrong_subject = Event(type="iam.permissions.updated", aggregate_id="u1", data={})
        oversized = Event(
            type=f"{context}.note.created", aggregate_id="n1", data={"text": "x" * runtime.nats.max_payload}
        )

        async def use_case(event: Event) -> None:
            async with runtime.unit_of_work() as uow:
                await uow.session.execute(sa.insert(notes).values(id=uuid.uuid4()))
                uow.publish(event)
                await uow.commit()

        for refused in (wrong_subject, oversized):
            with pytest.raises(EventRefused):
                await use_case(refused)

        async with runtime.engine.connect() as connection:
            written = await connection.execute(
                sa.select(sa.func.count()).select_from(notes),
            )
            assert written.scalar_one() == 0
            outbox = await connection.execute(sa.text("SELECT count(*) FROM outbox"))
            assert outbox.scalar_one() == 0

        async def leads_and_reports() -> bool:
            labels = {"context": context}
            return (
                REGISTRY.get_sample_value("outbox_relay_leader", labels) == 1
                and REGISTRY.get_sample_value("outbox_oldest_pending_age_seconds", labels) == 0
            )

        await wait_until(leads_and_reports, what="the runtime's relay leading and reporting")
        await runtime.js.delete_stream(runtime.stream)
