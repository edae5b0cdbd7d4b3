"""``Runtime.snapshot()``: the statements of one read agree with each other while writers
commit between them, nothing can be written through it, and the connection it used goes back
to the pool as an ordinary read-committed, read-write one."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from proximity.db.engine import build_engine
from proximity.runtime import open_runtime
from proximity.settings import ServiceSettings

things = sa.Table("things", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True))


async def prepared_database(database_factory: Callable[[str], str]) -> str:
    url = database_factory("snapshot")
    engine = build_engine(url, pool_size=1)
    async with engine.begin() as connection:
        await connection.run_sync(things.create)
        await connection.execute(sa.insert(things), [{"id": 1}, {"id": 2}])
    await engine.dispose()
    return url


def settings(url: str, nats_url: str) -> ServiceSettings:
    return ServiceSettings(
        service_name="libs-snapshot", database_url=url, nats_url=nats_url, events_enabled=False
    )


async def test_statements_of_one_snapshot_see_the_same_rows_while_a_writer_commits(
    database_factory: Callable[[str], str], nats_url: str
) -> None:
    url = await prepared_database(database_factory)
    context = f"libsnap{uuid.uuid4().hex[:10]}"
    count = sa.select(sa.func.count()).select_from(things)
    async with open_runtime(settings(url, nats_url), context=context) as runtime:
        try:
            async with runtime.snapshot() as snapshot:
                page = (await snapshot.execute(sa.select(things.c.id).order_by(things.c.id))).scalars().all()
                async with runtime.unit_of_work() as uow:
                    await uow.session.execute(sa.insert(things).values(id=3))
                    await uow.commit()
                total = (await snapshot.execute(count)).scalar_one()
                isolation = (await snapshot.execute(sa.text("SHOW transaction_isolation"))).scalar_one()
                read_only = (await snapshot.execute(sa.text("SHOW transaction_read_only"))).scalar_one()
            async with runtime.reading() as reading:
                after = (await reading.execute(count)).scalar_one()
        finally:
            await runtime.js.delete_stream(runtime.stream)

    assert page == [1, 2]
    assert total == 2  # read committed would count the row committed in between: 3
    assert (isolation, read_only) == ("repeatable read", "on")
    assert after == 3


async def test_a_snapshot_refuses_writes_and_leaves_the_pooled_connection_ordinary(
    database_factory: Callable[[str], str], nats_url: str
) -> None:
    url = await prepared_database(database_factory)
    context = f"libsnap{uuid.uuid4().hex[:10]}"
    async with open_runtime(settings(url, nats_url), context=context) as runtime:
        try:
            with pytest.raises(DBAPIError, match="read-only transaction"):
                async with runtime.snapshot() as snapshot:
                    await snapshot.execute(sa.insert(things).values(id=4))
            # Every checkout from here may reuse the connection the snapshot had.
            settings_shown = sa.text(
                "SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only')"
            )
            for attempt in range(3):
                async with runtime.unit_of_work() as uow:
                    shown = (await uow.session.execute(settings_shown)).one()
                    await uow.session.execute(sa.insert(things).values(id=10 + attempt))
                    await uow.commit()
                assert tuple(shown) == ("read committed", "off")
        finally:
            await runtime.js.delete_stream(runtime.stream)
