"""NATS authentication against a real nats-server started with the configuration generated
from the bus table: each service publishes only its own subjects, reads only the streams it
consumes, and cannot touch another service's stream.

Before issue 8 the bus had no users at all: every one of the refusals below was accepted.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from nats.aio.client import Client as NATS
from nats.errors import TimeoutError as NatsTimeout
from nats.js.errors import NotFoundError

from proximity.devstack.embedded import embedded_nats
from proximity.events.bus_permissions import ADMIN, users_of
from proximity.events.connection import BusCredentialsRefused, connect
from proximity.events.consumer import subscribe
from proximity.events.envelope import Event
from proximity.events.nats_config import authorization
from proximity.events.streams import declare_stream, stream_name

SERVICES = ["identity", "consents", "gateway"]
USERS = users_of(SERVICES)
# Long enough for any answer from a local server; a refused request gets none.
REFUSED_WAIT = 2.0

Connect = Callable[[str], Awaitable[NATS]]


@pytest.fixture(scope="module")
def bus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str], Path]]:
    """(url, password per user, server log) of a nats-server that knows only these users."""
    passwords = {user: secrets.token_urlsafe(24) for user in USERS}
    store = tmp_path_factory.mktemp("bus")
    with embedded_nats(store, authorization=authorization(USERS, passwords)) as url:
        yield url, passwords, store / "nats-server.log"


@pytest.fixture
async def as_user(bus: tuple[str, dict[str, str], Path]) -> AsyncIterator[Connect]:
    url, passwords, _ = bus
    opened: list[NATS] = []

    async def open_as(user: str) -> NATS:
        nc = await connect(url, name=f"test-{user}", user=user, password=passwords[user])
        opened.append(nc)
        return nc

    yield open_as
    for nc in opened:
        await nc.close()


@pytest.fixture
async def streams(as_user: Connect) -> AsyncIterator[None]:
    """IDENTITY and IAM as their owners declare them (iam has no service yet: the admin)."""
    identity = (await as_user("identity")).jetstream()
    await declare_stream(identity, "identity")
    admin = (await as_user(ADMIN)).jetstream()
    await declare_stream(admin, "iam")
    yield
    await admin.purge_stream("IDENTITY")
    await admin.purge_stream("IAM")


def refusals(caplog: pytest.LogCaptureFixture) -> list[str]:
    # nats-py lower-cases the server's error text.
    return [
        str(getattr(r, "error", "")) for r in caplog.records if r.getMessage() == "NATS refused an operation"
    ]


async def stored_subjects(admin: NATS, stream: str) -> list[str]:
    js = admin.jetstream()
    info = await js.stream_info(stream)
    subjects = []
    for seq in range(info.state.first_seq, info.state.last_seq + 1):
        if info.state.messages == 0:
            break
        try:
            subjects.append((await js.get_msg(stream, seq)).subject or "")
        except NotFoundError:
            continue
    return subjects


def event_bytes(subject: str) -> bytes:
    return Event(type=subject, aggregate_id=str(uuid.uuid4()), data={}, tenant_id=uuid.uuid4()).to_json()


async def test_a_service_publishes_its_own_subjects_into_its_stream(
    as_user: Connect, streams: None, caplog: pytest.LogCaptureFixture
) -> None:
    identity = await as_user("identity")
    ack = await identity.jetstream().publish("identity.user.created", event_bytes("identity.user.created"))
    assert ack.stream == stream_name("identity")
    assert await stored_subjects(await as_user(ADMIN), "IDENTITY") == ["identity.user.created"]
    assert refusals(caplog) == []


@pytest.mark.parametrize(
    ("user", "subject", "stream"),
    [
        ("identity", "iam.permissions.updated", "IAM"),
        ("consents", "identity.session.revoked", "IDENTITY"),
        ("consents", "identity.client.revoked", "IDENTITY"),
        ("gateway", "identity.session.revoked", "IDENTITY"),
    ],
)
async def test_a_service_cannot_publish_another_contexts_subject(
    as_user: Connect,
    streams: None,
    caplog: pytest.LogCaptureFixture,
    user: str,
    subject: str,
    stream: str,
) -> None:
    caplog.set_level(logging.ERROR, logger="proximity.events.connection")
    nc = await as_user(user)
    with pytest.raises(NatsTimeout):  # the server drops it: no acknowledgement comes
        await nc.jetstream(timeout=REFUSED_WAIT).publish(subject, event_bytes(subject))
    assert await stored_subjects(await as_user(ADMIN), stream) == []
    assert any(f'publish to "{subject}"' in text for text in refusals(caplog))


@pytest.mark.parametrize(
    "operation",
    ["delete_stream", "purge_stream", "update_stream", "delete_consumer_of_owner"],
)
async def test_a_consumer_cannot_delete_purge_or_reconfigure_the_publishers_stream(
    as_user: Connect, streams: None, caplog: pytest.LogCaptureFixture, operation: str
) -> None:
    identity = await as_user("identity")
    await identity.jetstream().publish("identity.user.created", event_bytes("identity.user.created"))
    consents = (await as_user("consents")).jetstream(timeout=REFUSED_WAIT)
    operations: dict[str, Callable[[], Awaitable[object]]] = {
        "delete_stream": lambda: consents.delete_stream("IDENTITY"),
        "purge_stream": lambda: consents.purge_stream("IDENTITY"),
        "update_stream": lambda: consents.update_stream(shorter),
        "delete_consumer_of_owner": lambda: consents.delete_consumer("IDENTITY", "anyone"),
    }
    shorter = (await consents.stream_info("IDENTITY")).config  # reading it is allowed
    shorter.max_age = 1.0
    with pytest.raises(NatsTimeout):
        await operations[operation]()
    info = await (await as_user(ADMIN)).jetstream().stream_info("IDENTITY")
    assert info.state.messages == 1
    assert info.config.max_age in (None, 0, 0.0)
    assert refusals(caplog)


async def test_a_consumer_cannot_declare_the_stream_of_a_context_it_does_not_own(
    as_user: Connect, caplog: pytest.LogCaptureFixture
) -> None:
    gateway = (await as_user("gateway")).jetstream(timeout=REFUSED_WAIT)
    with pytest.raises((NatsTimeout, NotFoundError)):
        await declare_stream(gateway, "consents")
    assert refusals(caplog)


async def test_consumers_read_what_they_consume_with_the_libs_consumer(
    as_user: Connect, streams: None, caplog: pytest.LogCaptureFixture
) -> None:
    """An ephemeral consumer with a wildcard filter (consents, the gateway) and a durable one
    (identity on iam's stream): made, pulled, acknowledged, and no refusal on the way."""
    identity, admin = await as_user("identity"), await as_user(ADMIN)
    seen: dict[str, asyncio.Queue[Event]] = {"consents": asyncio.Queue(), "identity": asyncio.Queue()}

    def into(queue: asyncio.Queue[Event]) -> Callable[[Event], Awaitable[None]]:
        async def handle(event: Event) -> None:
            queue.put_nowait(event)

        return handle

    consents_js = (await as_user("consents")).jetstream()
    tasks = [
        await subscribe(
            consents_js, stream="IDENTITY", subject="identity.client.>", handler=into(seen["consents"])
        ),
        await subscribe(
            identity.jetstream(),
            stream="IAM",
            subject="iam.permissions.updated",
            handler=into(seen["identity"]),
            durable=f"test-{uuid.uuid4().hex[:8]}",
        ),
    ]
    try:
        await identity.jetstream().publish("identity.client.created", event_bytes("identity.client.created"))
        await admin.jetstream().publish("iam.permissions.updated", event_bytes("iam.permissions.updated"))
        async with asyncio.timeout(30):
            assert (await seen["consents"].get()).type == "identity.client.created"
            assert (await seen["identity"].get()).type == "iam.permissions.updated"
            # Acknowledged: nothing stays pending on either consumer.
            for stream in ("IDENTITY", "IAM"):
                while any(c.num_ack_pending for c in await admin.jetstream().consumers_info(stream)):  # noqa: ASYNC110
                    await asyncio.sleep(0.1)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    assert refusals(caplog) == []


async def test_a_service_cannot_read_another_users_replies_or_subjects(
    as_user: Connect, caplog: pytest.LogCaptureFixture
) -> None:
    consents = await as_user("consents")
    for subject in ("_INBOX.identity.>", "_INBOX.>", "identity.>", "$JS.API.>"):
        await consents.subscribe(subject)
    await consents.flush()
    async with asyncio.timeout(10):
        while len(refusals(caplog)) < 4:  # noqa: ASYNC110 - log records, nothing to await on
            await asyncio.sleep(0.05)
    assert all("subscription to" in text for text in refusals(caplog))


async def test_anonymous_and_wrong_password_connections_fail_at_once(
    bus: tuple[str, dict[str, str], Path],
) -> None:
    """Not retried forever as an outage would be: a service with a wrong setting fails to start."""
    url, passwords, _ = bus
    for user, password in ((None, None), ("identity", passwords["consents"]), ("nobody", "x")):
        async with asyncio.timeout(30):
            with pytest.raises(BusCredentialsRefused):
                await connect(url, name="test-refused", user=user, password=password)


async def test_the_server_logs_each_refusal_without_a_password(
    bus: tuple[str, dict[str, str], Path], as_user: Connect
) -> None:
    _, passwords, log = bus
    gateway = await as_user("gateway")
    with pytest.raises(NatsTimeout):
        await gateway.jetstream(timeout=REFUSED_WAIT).publish("identity.session.revoked", b"{}")
    text = log.read_text(errors="replace")
    assert 'Publish Violation - Subject "identity.session.revoked"' in text
    assert not any(password in text for password in passwords.values())
