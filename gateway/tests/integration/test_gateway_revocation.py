"""Identity's events reach the gateway within seconds: revoked sessions and client keys."""

from __future__ import annotations

import asyncio
import hashlib
import time
import uuid

import httpx
from gateway_harness import StartGateway, publish
from gateway_servers import TcpRelay
from gateway_upstream import FakeUpstream
from nats.js import JetStreamContext

from proximity.events.envelope import Event


def session_revoked(tenant_id: uuid.UUID, session_id: uuid.UUID) -> Event:
    return Event(
        type="identity.session.revoked",
        tenant_id=tenant_id,
        aggregate_id=str(session_id),
        data={"session_id": str(session_id), "user_id": str(uuid.uuid4()), "reason": "logout"},
    )


async def status_becomes(
    http: httpx.AsyncClient, path: str, headers: dict[str, str], status: int, within: float = 30.0
) -> httpx.Response:
    deadline = time.monotonic() + within
    while True:
        response = await http.get(path, headers=headers)
        if response.status_code == status or time.monotonic() > deadline:
            return response
        await asyncio.sleep(0.05)


async def consumer_names(js: JetStreamContext, stream: str) -> set[str]:
    """Every consumer of ``stream``: the server lists at most 256 per request, and a whole test
    run leaves more than that on IDENTITY (every service's ephemeral revocation consumers)."""
    names: set[str] = set()
    offset = 0
    while True:
        page = await js.consumers_info(stream, offset=offset)
        names |= {c.name for c in page}
        offset += len(page)
        if len(page) < 256:
            return names


async def consumers_appear(js: JetStreamContext, before: set[str], within: float = 30.0) -> set[str]:
    """The IDENTITY consumers created since ``before`` was taken, once there are any."""
    deadline = time.monotonic() + within
    while True:
        ours = await consumer_names(js, "IDENTITY") - before
        if ours or time.monotonic() > deadline:
            return ours
        await asyncio.sleep(0.1)


async def nats_state_becomes(http: httpx.AsyncClient, state: str, within: float = 30.0) -> bool:
    """Whether /ready reported NATS in ``state`` (answering 200 all along) within ``within``."""
    deadline = time.monotonic() + within
    while True:
        response = await http.get("/ready")
        assert response.status_code == 200, response.text
        if response.json()["data"]["checks"]["nats"] == state:
            return True
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.1)


async def test_revoked_session_is_refused_within_seconds(
    http: httpx.AsyncClient, upstream: FakeUpstream, js: JetStreamContext
) -> None:
    client = upstream.add_client()
    session_id, other_session = uuid.uuid4(), uuid.uuid4()
    headers = {
        "X-Client-Key": client.key,
        "Authorization": upstream.token(client.tenant_id, session_id=session_id),
    }
    other = {
        "X-Client-Key": client.key,
        "Authorization": upstream.token(client.tenant_id, session_id=other_session),
    }
    assert (await http.get("/users/me", headers=headers)).status_code == 200

    await publish(js, session_revoked(client.tenant_id, session_id))
    response = await status_becomes(http, "/users/me", headers, 401)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "eSessionRevoked"
    assert (await http.get("/users/me", headers=other)).status_code == 200
    # Public routes still work for the same client.
    assert (await http.post("/auth/login", headers={"X-Client-Key": client.key})).status_code == 200


async def test_revocations_before_start_are_replayed(
    start_gateway: StartGateway, upstream: FakeUpstream, js: JetStreamContext
) -> None:
    client = upstream.add_client()
    session_id = uuid.uuid4()
    await publish(js, session_revoked(client.tenant_id, session_id))
    headers = {
        "X-Client-Key": client.key,
        "Authorization": upstream.token(client.tenant_id, session_id=session_id),
    }
    async with start_gateway() as url, httpx.AsyncClient(base_url=url) as http:
        response = await status_becomes(http, "/users/me", headers, 401)
        assert response.status_code == 401
        assert response.json()["errors"][0]["code"] == "eSessionRevoked"


async def test_revoked_client_key_is_refused_within_seconds(
    http: httpx.AsyncClient, upstream: FakeUpstream, js: JetStreamContext
) -> None:
    client = upstream.add_client()
    headers = {"X-Client-Key": client.key}
    assert (await http.post("/auth/login", headers=headers)).status_code == 200  # now cached (60 s)
    upstream.remove_client(client)
    assert (await http.post("/auth/login", headers=headers)).status_code == 200  # still cached

    await publish(
        js,
        Event(
            type="identity.client.revoked",
            tenant_id=client.tenant_id,
            aggregate_id=str(client.client_id),
            data={
                "client_id": str(client.client_id),
                "key_hash": hashlib.sha256(client.key.encode()).hexdigest(),
            },
        ),
    )
    response = await status_becomes(http, "/.well-known/jwks.json", headers, 401)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "eInvalidClientKey"


async def test_revocations_still_arrive_after_nats_comes_back(
    start_gateway: StartGateway, upstream: FakeUpstream, js: JetStreamContext, nats_url: str
) -> None:
    """A broker outage that outlives the gateway's consumers on the server (deleted here, as the
    server does after its inactivity limit): the gateway must consume again once it reconnects."""
    relay = TcpRelay(nats_url)
    await relay.start()
    client = upstream.add_client()
    session_id = uuid.uuid4()
    headers = {
        "X-Client-Key": client.key,
        "Authorization": upstream.token(client.tenant_id, session_id=session_id),
    }
    before = await consumer_names(js, "IDENTITY")
    async with start_gateway(nats_url=relay.url) as url, httpx.AsyncClient(base_url=url) as http:
        # The gateway may still be subscribing when it starts serving (its consumers are
        # created once connected, in the background on a loaded machine): wait for them.
        ours = await consumers_appear(js, before)
        assert ours
        assert (await http.get("/users/me", headers=headers)).status_code == 200

        await relay.cut()
        # Readiness is the gateway's own; the broker's outage shows in what /ready reports.
        assert await nats_state_becomes(http, "unavailable")
        for name in ours:
            await js.delete_consumer("IDENTITY", name)
        await publish(js, session_revoked(client.tenant_id, session_id))  # while the gateway is cut off

        await relay.start()
        assert await nats_state_becomes(http, "ok")
        response = await status_becomes(http, "/users/me", headers, 401)
        assert response.status_code == 401
        assert response.json()["errors"][0]["code"] == "eSessionRevoked"
    await relay.cut()
