"""What the outbox and relay tests share: recording events, reading the stream back, running
relays, and waiting for a condition (never a fixed sleep)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import nats.errors
from nats.js import JetStreamContext
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import select

from proximity.background import stop_all
from proximity.db.unit_of_work import UnitOfWork
from proximity.events.envelope import Event
from proximity.events.relay import OutboxRelay
from proximity.events.streams import stream_name
from proximity.events.tables import OutboxMessage


class RecordingJetStream:
    """The real JetStream, with a record of every publish; ``lose_ack_after=n`` makes the n-th
    publish reach the stream but its acknowledgement time out, as when the broker's answer is lost
    (``lose_ack_of``: the publish of that event id)."""

    def __init__(
        self,
        js: JetStreamContext,
        *,
        lose_ack_after: int | None = None,
        lose_ack_of: str | None = None,
        pause: float = 0,
    ) -> None:
        self._js = js
        self._lose_ack_after = lose_ack_after
        self._lose_ack_of = lose_ack_of
        self._pause = pause
        self.ids: list[str] = []
        self.duplicates = 0

    async def publish(self, subject: str, payload: bytes, *, headers: dict[str, str]) -> Any:
        ack = await self._js.publish(subject, payload, headers=headers)
        self.ids.append(headers["Nats-Msg-Id"])
        self.duplicates += bool(ack.duplicate)
        if self._pause:
            await asyncio.sleep(self._pause)
        if len(self.ids) == self._lose_ack_after or headers["Nats-Msg-Id"] == self._lose_ack_of:
            raise nats.errors.TimeoutError
        return ack


def new_event(context: str, n: int = 0, *, aggregate: str | None = None, version: int = 1) -> Event:
    return Event(
        type=f"{context}.widget.created",
        aggregate_id=f"w{n}" if aggregate is None else aggregate,
        version=version,
        data={"n": n},
        tenant_id=uuid.uuid4(),
    )


async def record_events(sessionmaker: async_sessionmaker[AsyncSession], events: list[Event]) -> None:
    async with UnitOfWork(sessionmaker) as uow:
        for event in events:
            uow.publish(event)
        await uow.commit()


async def outbox_rows(sessionmaker: async_sessionmaker[AsyncSession]) -> list[OutboxMessage]:
    async with sessionmaker() as session:
        return list((await session.execute(select(OutboxMessage).order_by(OutboxMessage.seq))).scalars())


async def outbox_row(sessionmaker: async_sessionmaker[AsyncSession], event_id: uuid.UUID) -> OutboxMessage:
    async with sessionmaker() as session:
        found = await session.get(OutboxMessage, event_id)
        assert found is not None
        return found


async def stream_count(js: JetStreamContext, context: str) -> int:
    info = await js.stream_info(stream_name(context))
    return int(info.state.messages)


async def stream_events(js: JetStreamContext, context: str) -> list[tuple[str, Event]]:
    """``(Nats-Msg-Id, event)`` of every message in the stream, in stream order."""
    found = []
    for seq in range(1, await stream_count(js, context) + 1):
        message = await js.get_msg(stream_name(context), seq=seq)
        found.append(((message.headers or {})["Nats-Msg-Id"], Event.from_json(message.data or b"")))
    return found


async def stream_ids(js: JetStreamContext, context: str) -> list[str]:
    return [msg_id for msg_id, _ in await stream_events(js, context)]


async def wait_until(
    condition: Callable[[], Awaitable[bool]], *, seconds: float = 30, what: str = "the condition"
) -> None:
    """Poll ``condition`` until it holds; fail after a generous deadline."""
    for _ in range(int(seconds / 0.05)):
        if await condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{what} did not happen within {seconds} s")


@asynccontextmanager
async def running(*relays: OutboxRelay) -> AsyncIterator[dict[OutboxRelay, asyncio.Task[None]]]:
    """The relays' ``run()`` loops as tasks, cancelled at the end."""
    tasks = {relay: asyncio.create_task(relay.run(), name="test-relay") for relay in relays}
    try:
        yield tasks
    finally:
        await stopped(*tasks.values())


async def stopped(*tasks: asyncio.Task[None]) -> None:
    """Cancelled until done, as the services stop them (``stop_all``): one ``cancel()`` can land
    where the relay's loop absorbs it, and a bare ``gather`` would then wait for ever."""
    await stop_all(tasks, grace=30.0)
    assert all(task.done() for task in tasks), "a relay did not stop within 30 s"


class CuttableLink:
    """A TCP link to NATS that a test can cut (every connection dropped, new ones refused) and
    restore on the same port: a broker outage without touching the shared server."""

    def __init__(self, target_url: str) -> None:
        host, port = target_url.split("://")[-1].split(":")
        self._target = (host, int(port))
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.port = 0

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._link, "127.0.0.1", self.port, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()

    async def _link(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        server_reader, server_writer = await asyncio.open_connection(*self._target)
        self._writers.update({client_writer, server_writer})

        async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                while data := await reader.read(65536):
                    writer.write(data)
                    await writer.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                writer.close()

        await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer))
