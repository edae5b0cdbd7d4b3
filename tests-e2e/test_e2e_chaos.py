"""Chaos: NATS dies for 30 s and identity is restarted while 1,000 writes flow through the
gateway. Afterwards every event is in the stream exactly once, in order per aggregate, and the
replicas other services keep (consents' and the gateway's view of revoked sessions) have
converged. The test prints how long convergence took after the broker came back."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from chaos_stack import ChaosStack, chaos_stack
from e2e_stack import ADMIN, DEMO_KEY, log_in
from proximity.events.connection import connect

KEY = {"X-Client-Key": DEMO_KEY}
PARTIES = 20
WRITES = 1_000
OUTAGE_AT_WRITE = 200
OUTAGE_SECONDS = 30.0
LOGGED_OUT = 5


@pytest.fixture(scope="module")
def chaos(postgres_url: str, run_id: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChaosStack]:
    with chaos_stack(postgres_url, tmp_path_factory.mktemp("chaos"), run_id) as stack:
        yield stack


def bearer(tokens: dict[str, str]) -> dict[str, str]:
    return {**KEY, "Authorization": f"Bearer {tokens['access_token']}"}


def sign_in(http: httpx.Client) -> dict[str, str]:
    response = log_in(http, ADMIN["email"], ADMIN["password"])
    assert response.status_code == 200, response.text
    data: dict[str, str] = response.json()["data"]
    return data


class Writer(threading.Thread):
    """Replaces parties' first names, round robin, until ``WRITES`` have succeeded; a write the
    system could not take (identity restarting) is tried again, as a client would."""

    def __init__(self, gateway: str, auth: dict[str, str], parties: list[dict[str, Any]]) -> None:
        super().__init__(daemon=True)
        self.gateway, self.auth, self.parties = gateway, auth, parties
        self.written: dict[str, list[str]] = defaultdict(list)
        self.done = 0
        self.retried = 0
        self.reached_outage = threading.Event()
        self.failure: str | None = None

    def run(self) -> None:
        try:
            with httpx.Client(base_url=self.gateway, timeout=30) as http:
                for n in range(WRITES):
                    party = self.parties[n % len(self.parties)]
                    name = f"v{n}"
                    body = {**{k: v for k, v in party.items() if k != "id"}, "first_name": name}
                    while True:
                        try:
                            response = http.put(f"/parties/{party['id']}", headers=self.auth, json=body)
                        except httpx.TransportError:
                            response = None
                        if response is not None and response.status_code == 200:
                            break
                        if response is not None and response.status_code < 500:
                            raise AssertionError(f"write {n} refused: {response.status_code} {response.text}")
                        self.retried += 1
                        time.sleep(0.2)
                    self.written[party["id"]].append(name)
                    self.done = n + 1
                    if self.done == OUTAGE_AT_WRITE:
                        self.reached_outage.set()
        except BaseException as exc:  # reported by the test, not lost in the thread
            self.failure = repr(exc)
            self.reached_outage.set()


def party_events(chaos: ChaosStack) -> list[dict[str, Any]]:
    """Every ``identity.party.*`` message of the IDENTITY stream, in stream order."""
    user, password = chaos.broker.admin

    async def read() -> list[dict[str, Any]]:
        nc = await connect(chaos.broker.url, name="chaos-reader", user=user, password=password)
        try:
            js = nc.jetstream()
            info = await js.stream_info("IDENTITY")
            total = info.state.messages
            subscription = await js.pull_subscribe(
                "identity.party.>",
                stream="IDENTITY",
                config=ConsumerConfig(
                    ack_policy=AckPolicy.NONE, deliver_policy=DeliverPolicy.ALL, inactive_threshold=30
                ),
            )
            events: list[dict[str, Any]] = []
            while True:
                try:
                    batch = await subscription.fetch(500, timeout=2)
                except Exception:
                    break
                events.extend(orjson.loads(message.data) for message in batch)
                if len(batch) == 0 or batch[-1].metadata.sequence.stream >= total:
                    break
            await subscription.unsubscribe()
            return events
        finally:
            await nc.close()

    return asyncio.run(read())


def test_a_broker_outage_and_a_restart_lose_and_reorder_nothing(chaos: ChaosStack) -> None:
    gateway = chaos.url("gateway")
    with httpx.Client(base_url=gateway, timeout=30) as http:
        admin = bearer(sign_in(http))
        parties = []
        for i in range(PARTIES):
            body = {
                "first_name": "start",
                "last_name": f"Chaos-{i}-{uuid.uuid4().hex[:6]}",
                "addresses": [],
                "profile": [],
            }
            created = http.post("/parties", headers=admin, json=body)
            assert created.status_code == 201, created.text
            parties.append({**body, "id": created.json()["data"]["id"]})
        doomed = [sign_in(http) for _ in range(LOGGED_OUT)]

    writer = Writer(gateway, admin, parties)
    writer.start()
    assert writer.reached_outage.wait(300)
    assert writer.failure is None, writer.failure

    chaos.broker.kill()
    broker_down = time.monotonic()
    with httpx.Client(base_url=gateway, timeout=30) as http:
        for tokens in doomed:  # sessions ended while no event can leave identity
            assert http.post("/auth/logout", headers=bearer(tokens)).status_code == 204
    time.sleep(5)
    chaos.restart("identity")  # comes up while the broker is still away
    restarted_during_outage = time.monotonic() - broker_down < OUTAGE_SECONDS
    time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - broker_down)))
    chaos.broker.start()
    broker_back = time.monotonic()

    writer.join(600)
    assert not writer.is_alive()
    assert writer.failure is None, writer.failure
    assert writer.done == WRITES

    # Convergence 1: the stream holds every party's last state.
    expected = {pid: names[-1] for pid, names in writer.written.items()}
    deadline = time.monotonic() + 120
    while True:
        events = party_events(chaos)
        latest = {e["aggregate_id"]: e["data"]["first_name"] for e in events if e["aggregate_id"] in expected}
        if latest == expected or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    stream_converged = time.monotonic() - broker_back
    assert latest == expected

    ours = [e for e in events if e["aggregate_id"] in expected]
    duplicates = [event_id for event_id, n in Counter(e["id"] for e in ours).items() if n > 1]
    assert duplicates == [], f"{len(duplicates)} events delivered twice"
    inversions = 0
    by_party: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in ours:
        history = by_party[event["aggregate_id"]]
        if history and event["version"] <= history[-1]["version"]:
            inversions += 1
        history.append(event)
    assert inversions == 0
    for pid, names in writer.written.items():
        updates = [e["data"]["first_name"] for e in by_party[pid] if e["type"] == "identity.party.updated"]
        assert updates == names, f"party {pid}: the stream's updates differ from the writes"

    # Convergence 2: consents learns of the sessions ended during the outage.
    deadline = time.monotonic() + 120
    with httpx.Client(base_url=chaos.url("consents"), timeout=30) as consents:
        while True:
            answers = [consents.get("/consents/consents", headers=bearer(t)).status_code for t in doomed]
            if all(code == 401 for code in answers) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    replicas_converged = time.monotonic() - broker_back
    assert answers == [401] * LOGGED_OUT
    broker_log = (chaos.broker.store / "nats-server.log").read_text(errors="replace")
    assert [line for line in broker_log.splitlines() if "Violation" in line] == []

    print(
        f"\nchaos: {WRITES} writes ({writer.retried} retried while identity restarted), "
        f"broker down {broker_back - broker_down:.1f} s, identity restarted during the outage: "
        f"{restarted_during_outage}; after the broker returned: stream complete in "
        f"{stream_converged:.1f} s, consents' revocations in {replicas_converged:.1f} s"
    )
    Path(chaos.work / "chaos-figures.txt").write_text(f"{stream_converged:.1f} {replicas_converged:.1f}\n")
