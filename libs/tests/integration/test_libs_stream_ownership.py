"""Streams belong to their publisher: the owner declares its stream with its whole
configuration; a consumer of it never creates or rewrites it, and waits for it to exist.

The revocation feed consumes identity's stream ``IDENTITY`` by its fixed name, so those tests
run on a NATS server of their own rather than the one other tests share."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig
from nats.js.errors import NotFoundError

from proximity.auth.client_keys import ClientKeyResolver
from proximity.auth.revocation_feed import RevocationFeed
from proximity.auth.sessions import RevokedSessions
from proximity.devstack.embedded import embedded_nats
from proximity.events.connection import connect
from proximity.events.consumer import subscribe
from proximity.events.envelope import Event
from proximity.events.streams import StreamLimits, declare_stream, stream_name


@pytest.fixture
async def own_js(tmp_path: Path) -> AsyncIterator[JetStreamContext]:
    """JetStream on a NATS server of this test's own (no stream on it yet)."""
    with embedded_nats(tmp_path / "nats") as url:
        nc = await connect(url, name="libs-tests-streams")
        try:
            yield nc.jetstream()
        finally:
            await nc.drain()


@pytest.fixture
async def feed(own_js: JetStreamContext) -> AsyncIterator[tuple[RevocationFeed, RevokedSessions]]:
    sessions = RevokedSessions(900)
    async with httpx.AsyncClient() as http:
        feed = RevocationFeed(
            own_js, sessions=sessions, client_keys=ClientKeyResolver(http, None), client_replay_seconds=60
        )
        yield feed, sessions
        await feed.stop()


async def operator_sets_limits(js: JetStreamContext, stream: str) -> StreamConfig:
    """As an operator would with ``nats stream edit``."""
    current = (await js.stream_info(stream)).config
    edited = dataclasses.replace(current, max_age=3600.0, max_msgs=5000, max_bytes=8 * 1024 * 1024)
    await js.update_stream(edited)
    return edited


def limits_of(config: StreamConfig) -> tuple[float | None, int | None, int | None]:
    return (config.max_age, config.max_msgs, config.max_bytes)


async def eventually(
    condition: Callable[[], Awaitable[bool] | bool], what: str, within: float = 15.0
) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while asyncio.get_running_loop().time() < deadline:
        outcome = condition()
        if await outcome if isinstance(outcome, Awaitable) else outcome:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(what)


async def test_consumers_starting_do_not_reset_an_operators_limits(
    own_js: JetStreamContext, feed: tuple[RevocationFeed, RevokedSessions]
) -> None:
    stream = await declare_stream(own_js, "identity")  # identity, the owner, at its start-up
    edited = await operator_sets_limits(own_js, stream)

    await feed[0].start()  # the gateway's, or any service's, revocation consumers
    durable = await subscribe(
        own_js, stream=stream, subject="identity.>", handler=_ignore, durable="elsewhere"
    )
    durable.cancel()
    await asyncio.gather(durable, return_exceptions=True)

    assert limits_of((await own_js.stream_info(stream)).config) == limits_of(edited)


async def test_a_consumer_started_before_the_stream_waits_for_its_publisher(
    own_js: JetStreamContext, feed: tuple[RevocationFeed, RevokedSessions]
) -> None:
    revocations, sessions = feed
    await revocations.start()  # identity has not declared its stream yet: start-up goes on

    with pytest.raises(NotFoundError):
        await own_js.stream_info(stream_name("identity"))  # ... and no consumer made it

    await declare_stream(own_js, "identity")
    session_id = uuid.uuid4()
    revoked = Event(
        type="identity.session.revoked", aggregate_id=str(session_id), data={"session_id": str(session_id)}
    )
    await own_js.publish(revoked.subject, revoked.to_json())

    await eventually(lambda: sessions.is_revoked(session_id), "the feed never consumed the new stream")


async def test_the_owner_declares_its_whole_configuration_and_keeps_what_it_does_not_own(
    js: JetStreamContext, context: str
) -> None:
    stream = stream_name(context)
    limits = StreamLimits(
        max_age_seconds=7200,
        max_bytes=4 * 1024 * 1024,
        max_msgs=1000,
        max_msg_size=65536,
        duplicate_window_seconds=120,
    )
    current = (await js.stream_info(stream)).config
    await js.update_stream(dataclasses.replace(current, description="events of the test context"))

    await declare_stream(js, context, limits)
    config = (await js.stream_info(stream)).config

    assert limits_of(config) == (7200.0, 1000, 4 * 1024 * 1024)
    assert (config.max_msg_size, config.duplicate_window, config.num_replicas) == (65536, 120.0, 1)
    assert config.storage == StorageType.FILE
    assert config.subjects == [f"{context}.>"]
    assert config.description == "events of the test context"  # not the owner's to decide

    await declare_stream(js, context, dataclasses.replace(limits, max_msgs=2000))
    assert (await js.stream_info(stream)).config.max_msgs == 2000


async def test_a_change_jetstream_refuses_is_logged_and_the_stream_kept(
    js: JetStreamContext, context: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="proximity.events.streams"):
        name = await declare_stream(js, context, StreamLimits(storage="memory"))

    assert (await js.stream_info(name)).config.storage == StorageType.FILE
    assert any("not applied" in record.getMessage() for record in caplog.records)


async def _ignore(_: Event) -> None:
    return None
