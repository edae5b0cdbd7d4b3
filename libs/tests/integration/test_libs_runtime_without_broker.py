"""A service starts while NATS is away: it serves, its writes commit with their events in the
outbox, and once a broker answers at the configured address the stream is declared and every
event goes out. (Before, the start-up waited in ``nats.connect`` for as long as NATS was away.)"""

from __future__ import annotations

import asyncio
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from test_libs_runtime import prepared_database

from proximity.devstack.embedded import nats_server_binary
from proximity.devstack.launcher import free_port
from proximity.events.connection import connect
from proximity.events.envelope import Event
from proximity.events.streams import stream_name
from proximity.events.tables import OutboxMessage
from proximity.runtime import open_runtime
from proximity.settings import ServiceSettings


@pytest.fixture
def later_broker(tmp_path: Path) -> Iterator[tuple[str, Callable[[], None]]]:
    """An address with no broker yet, and what starts one there."""
    port = free_port()
    processes: list[subprocess.Popen[bytes]] = []

    def start() -> None:
        command = [str(nats_server_binary()), "-a", "127.0.0.1", "-p", str(port), "-js", "-sd", str(tmp_path)]
        processes.append(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    yield f"nats://127.0.0.1:{port}", start
    for process in processes:
        process.terminate()
        process.wait(10)


async def test_a_service_starts_and_writes_without_the_broker_and_relays_when_it_comes(
    database_factory: Callable[[str], str], later_broker: tuple[str, Callable[[], None]]
) -> None:
    url, start_broker = later_broker
    database = await prepared_database(database_factory)
    context = f"nobroker{uuid.uuid4().hex[:8]}"
    settings = ServiceSettings(service_name="libs-nobroker", database_url=database, nats_url=url)
    async with open_runtime(settings, context=context, callers=None) as runtime:
        assert not runtime.nats.is_connected  # started with no broker anywhere
        events = [
            Event(type=f"{context}.thing.changed", aggregate_id="t1", version=v, data={}) for v in (1, 2, 3)
        ]
        async with runtime.unit_of_work() as uow:
            for event in events:
                uow.publish(event)
            await uow.commit()

        start_broker()
        reader = await connect(url, name="libs-nobroker-reader")
        try:
            js = reader.jetstream()
            deadline = time.monotonic() + 60
            while True:
                async with runtime.reading() as session:
                    pending = (
                        await session.execute(
                            sa.select(sa.func.count())
                            .select_from(OutboxMessage)
                            .where(sa.column("published_at").is_(None))
                        )
                    ).scalar_one()
                if pending == 0 or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.2)
            assert pending == 0
            info = await js.stream_info(stream_name(context))
            assert info.state.messages == len(events)
            async with runtime.reading() as session:
                attempts = (
                    await session.execute(
                        sa.select(sa.func.max(sa.column("attempts"))).select_from(OutboxMessage)
                    )
                ).scalar_one()
            assert attempts == 0  # the broker's absence is charged to no row
        finally:
            await reader.close()
