"""One caller or one service cannot take what every other request needs: a slow service holds
only its own pool, slow uploads are cut off, a flood of invalid keys is refused per address,
and unknown keys are looked up only so many at once. Real servers on real ports."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Callable

import httpx
import orjson
from gateway_harness import StartGateway, code_of
from gateway_upstream import FakeUpstream
from holding_upstream import HoldingUpstream
from raw_http import parse, request_head


def caller_headers(upstream: FakeUpstream) -> dict[str, str]:
    client = upstream.add_client()
    return {"X-Client-Key": client.key, "Authorization": upstream.token(client.tenant_id)}


async def until(condition: Callable[[], bool], within: float = 20.0) -> bool:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


async def test_a_slow_service_holding_all_its_connections_does_not_delay_another(
    start_gateway: StartGateway, upstream: FakeUpstream
) -> None:
    slow, headers = HoldingUpstream(), caller_headers(upstream)
    with slow.serve() as slow_url:
        async with (
            start_gateway(
                assets_url=slow_url, upstream_max_connections=2, upstream_timeouts={"assets": 60}
            ) as url,
            httpx.AsyncClient(base_url=url, timeout=60) as http,
        ):
            held = [asyncio.create_task(http.get(f"/assets/{n}", headers=headers)) for n in range(2)]
            assert await until(lambda: slow.waiting == 2)  # every assets connection is taken

            # Another service, and a client key nobody has looked up yet (identity's lookup).
            other = await http.get("/users/me", headers=caller_headers(upstream))

            assert other.status_code == 200, other.text
            assert slow.waiting == 2  # answered while the slow service still held both
            slow.release()
            assert [r.status_code for r in await asyncio.gather(*held)] == [404, 404]


async def trickle(url: str, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """An upload declared at 1 MB that sends a byte every 50 ms, until the gateway answers."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    head = request_head("PUT", path, {**headers, "Content-Length": str(1_000_000)})

    async def send() -> None:
        with contextlib.suppress(ConnectionError):
            writer.write(head)
            while True:
                writer.write(b"x")
                await writer.drain()
                await asyncio.sleep(0.05)

    sender = asyncio.create_task(send())
    try:
        async with asyncio.timeout(60):
            answer = await reader.read()
    finally:
        sender.cancel()
        writer.close()
    return parse(answer)


async def test_slow_uploads_are_cut_off_and_do_not_starve_others(
    start_gateway: StartGateway, upstream: FakeUpstream
) -> None:
    """Two uploads trickle in fast enough to beat the idle timeout, to a service whose two
    connections they take: other services are served meanwhile, and each upload is answered
    408 once the body deadline has passed."""
    reading, headers = HoldingUpstream(), caller_headers(upstream)
    with reading.serve() as reading_url:
        async with start_gateway(
            assets_url=reading_url,
            upstream_max_connections=2,
            body_idle_timeout_seconds=10,
            body_timeout_seconds=2,
            max_body_bytes=2_000_000,
        ) as url:
            uploads = [asyncio.create_task(trickle(url, f"/assets/{n}", headers)) for n in range(2)]
            assert await until(lambda: reading.waiting == 2)
            async with httpx.AsyncClient(base_url=url, timeout=60) as http:
                other = await http.get("/users/me", headers=caller_headers(upstream))
            answers = await asyncio.gather(*uploads)

    assert other.status_code == 200, other.text
    for status, _, body in answers:
        assert status == 408
        assert orjson.loads(body)["errors"][0]["code"] == "eRequestTimeout"


async def test_a_flood_of_invalid_keys_from_one_address_is_refused_while_others_are_served(
    start_gateway: StartGateway, upstream: FakeUpstream
) -> None:
    valid = caller_headers(upstream)
    elsewhere = httpx.AsyncHTTPTransport(local_address="127.0.0.2")  # another client address
    async with (
        start_gateway(invalid_keys_per_minute=5) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as flooder,
        httpx.AsyncClient(base_url=url, timeout=30, transport=elsewhere) as neighbour,
    ):
        before = upstream.key_lookups
        flood = [
            await flooder.get("/users/me", headers={"X-Client-Key": f"guess-{uuid.uuid4()}"})
            for _ in range(20)
        ]
        lookups = upstream.key_lookups - before
        own_key_meanwhile = await flooder.get("/users/me", headers=valid)
        served = await neighbour.get("/users/me", headers=valid)
        neighbour_typo = await neighbour.get("/users/me", headers={"X-Client-Key": "typo"})

    assert [r.status_code for r in flood] == [401] * 5 + [429] * 15
    assert code_of(flood[-1]) == "eTooManyRequests"
    assert int(flood[-1].headers["retry-after"]) >= 1
    assert lookups == 5  # the refused guesses cost identity nothing
    assert own_key_meanwhile.status_code == 429  # the address is refused until it has waited
    assert served.status_code == 200, served.text
    assert neighbour_typo.status_code == 401


async def test_unknown_keys_beyond_the_lookup_cap_are_refused_at_once(
    start_gateway: StartGateway, upstream: FakeUpstream
) -> None:
    identity = HoldingUpstream()  # its client-key lookups answer when the test lets go
    with identity.serve() as identity_url:
        async with (
            start_gateway(identity_url=identity_url, client_key_max_concurrent_lookups=3) as url,
            httpx.AsyncClient(base_url=url, timeout=60) as http,
        ):

            def unknown() -> dict[str, str]:
                return {"X-Client-Key": f"unknown-{uuid.uuid4()}"}

            waiting = [asyncio.create_task(http.get("/users/me", headers=unknown())) for _ in range(3)]
            assert await until(lambda: identity.waiting == 3)

            refused = await asyncio.gather(*(http.get("/users/me", headers=unknown()) for _ in range(5)))

            assert identity.seen == 3  # answered without asking identity, while it still holds three
            identity.release()
            answered = await asyncio.gather(*waiting)

    assert [r.status_code for r in refused] == [503] * 5
    assert {code_of(r) for r in refused} == {"eServiceUnavailable"}
    assert [r.status_code for r in answered] == [401] * 3
