"""Write in one service, visible in the other's replica: p50/p95/p99/max over N writes each way.

Starts the whole system as ``make run`` and the end-to-end tests do
(``proximity.devstack.launcher``: identity, assets, contracts, consents and the gateway as real
uvicorn processes, with a NATS of its own and a user per service on it), on the PostgreSQL
server ``DATABASE_URL`` names (else an embedded one), signs in as the demo administrator and
creates one asset. Then, one write at a time, through the gateway:

- contracts → assets: ``POST /contracts`` linking the asset; polls assets' replica
  (``contract_assets`` row of the new contract, ``linked``) until it is there;
- assets → contracts: ``PUT /assets/{id}`` with a new name; polls contracts' replica
  (``asset_replica.name``) until it reads the new name.

The lag is measured from the write's answer (its transaction has committed) to the first poll
that sees the row; polls are 1 ms apart on a connection of their own, straight to the replica's
database (an HTTP read would add its own latency and hide the lag's shape).

    .venv/bin/python bench/replica_lag.py                  # 1,000 writes each way
    .venv/bin/python bench/replica_lag.py --writes 200

What the path is: the write's transaction commits its outbox row; the service's relay is woken
in-process by the commit (``OutboxRelay.wake``; a 1 s poll otherwise) and publishes it to
JetStream, waiting for the stream's acknowledgement; the other service's durable pull consumer
has a fetch outstanding (``fetch(batch, timeout=1)``) that returns with the message, and
applies it in a transaction of its own (``apply_if_newer``). The load generator, PostgreSQL,
NATS and five services share the machine; figures are a floor.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg

from proximity.devstack.embedded import drop_database, libpq_url
from proximity.devstack.launcher import LaunchedStack, launched_stack
from proximity.devstack.stack import load_stack
from proximity.testing.servers import postgres_server

REPO = Path(__file__).resolve().parent.parent
DEMO_KEY = "dev-client-key"
ADMIN = {"email": "admin@example.com", "password": "admin-password"}
POLL = 0.001
GIVE_UP = 30.0


def database_of(server: str, name: str) -> str:
    parts = urlsplit(libpq_url(server))
    return urlunsplit(parts._replace(path=f"/{name}"))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000 if ordered else float("nan")


def until_visible(connection: psycopg.Connection[Any], query: str, params: dict[str, Any]) -> float:
    """Polls ``query`` until it returns a row; the monotonic time of the poll that saw it."""
    deadline = time.monotonic() + GIVE_UP
    while True:
        if connection.execute(query, params).fetchone() is not None:
            return time.monotonic()
        if time.monotonic() > deadline:
            raise RuntimeError(f"not visible after {GIVE_UP} s: {query} {params}")
        time.sleep(POLL)


class Client:
    """The demo administrator at the gateway; signs in again before the access token ages out."""

    def __init__(self, gateway: str) -> None:
        self.http = httpx.Client(base_url=gateway, timeout=30)
        self._signed_in = 0.0
        self._headers: dict[str, str] = {}

    def headers(self) -> dict[str, str]:
        if time.monotonic() - self._signed_in > 120:
            answer = self.http.post("/auth/login", headers={"X-Client-Key": DEMO_KEY}, json=ADMIN)
            answer.raise_for_status()
            token = answer.json()["data"]["access_token"]
            self._headers = {"X-Client-Key": DEMO_KEY, "Authorization": f"Bearer {token}"}
            self._signed_in = time.monotonic()
        return self._headers

    def send(self, method: str, path: str, body: dict[str, Any], expect: int) -> dict[str, Any]:
        answer = self.http.request(method, path, headers=self.headers(), json=body)
        if answer.status_code != expect:
            raise RuntimeError(f"{method} {path}: {answer.status_code} {answer.text[:500]}")
        data: dict[str, Any] = answer.json()["data"]
        return data

    def eventually(self, path: str, check: Callable[[httpx.Response], bool]) -> httpx.Response:
        for _ in range(600):
            answer = self.http.get(path, headers=self.headers())
            if check(answer):
                return answer
            time.sleep(0.1)
        raise RuntimeError(f"{path} never answered as expected: {answer.text[:500]}")


def contract_body(name: str, asset_id: str) -> dict[str, Any]:
    return {
        "name": name,
        "description": "",
        "starts_at": None,
        "expires_at": None,
        "url": None,
        "owners": [],
        "contacts": [],
        "party_ids": [],
        "service_ids": [],
        "asset_ids": [asset_id],
        "entities_ids": [],
        "media_ids": [],
    }


def contracts_to_assets(
    client: Client, assets_db: psycopg.Connection[Any], asset_id: str, writes: int
) -> tuple[list[float], list[float]]:
    """Lags from the answer and from the request, in seconds."""
    query = "SELECT 1 FROM contract_assets WHERE contract_id = %(c)s AND asset_id = %(a)s AND linked"
    lags, totals = [], []
    for i in range(writes):
        sent = time.monotonic()
        made = client.send("POST", "/contracts", contract_body(f"Lag contract {i}", asset_id), 201)
        answered = time.monotonic()
        seen = until_visible(assets_db, query, {"c": made["id"], "a": asset_id})
        lags.append(seen - answered)
        totals.append(seen - sent)
    return lags, totals


def assets_to_contracts(
    client: Client, contracts_db: psycopg.Connection[Any], asset: dict[str, Any], writes: int
) -> tuple[list[float], list[float]]:
    query = "SELECT 1 FROM asset_replica WHERE asset_id = %(a)s AND name = %(n)s"
    body = {"name": asset["name"], "description": "", "type_id": asset["type_id"]}
    lags, totals = [], []
    for i in range(writes):
        name = f"Lag asset {i} {uuid.uuid4().hex[:6]}"
        sent = time.monotonic()
        client.send("PUT", f"/assets/{asset['id']}", {**body, "name": name}, 200)
        answered = time.monotonic()
        seen = until_visible(contracts_db, query, {"a": asset["id"], "n": name})
        lags.append(seen - answered)
        totals.append(seen - sent)
    return lags, totals


def line(label: str, values: list[float]) -> str:
    figures = "".join(f"{percentile(values, p):>9.1f}" for p in (50, 95, 99, 100))
    return f"{label:<52}{figures}{len(values):>8}"


@contextlib.contextmanager
def stack_on(server: str, work: Path) -> Iterator[tuple[LaunchedStack, str]]:
    prefix = f"bench_lag_{uuid.uuid4().hex[:8]}_"
    env = {k: v for k, v in os.environ.items() if k != "NATS_URL"}  # the stack's own NATS
    env |= {"DATABASE_URL": server, "DB_PREFIX": prefix, "LOG_LEVEL": "warning"}
    try:
        with launched_stack(env, work, repo=REPO) as stack:
            yield stack, prefix
    finally:
        for spec in load_stack(REPO / "deploy" / "dev-stack.toml"):
            if spec.database:
                with contextlib.suppress(Exception):
                    drop_database(server, f"{prefix}{spec.name}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--writes", type=int, default=1000, help="writes in each direction")
    parser.add_argument("--warmup", type=int, default=20, help="writes each way before measuring")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, {platform.python_implementation()} {platform.python_version()}")
    with (
        tempfile.TemporaryDirectory(prefix="proximity-bench-") as tmp,
        postgres_server() as server,
        stack_on(server, Path(tmp)) as (stack, prefix),
    ):
        client = Client(stack.gateway)
        types = client.eventually(
            "/assets/~/types", lambda r: r.status_code == 200 and len(r.json()["data"]) >= 4
        ).json()["data"]
        site_type = next(t["id"] for t in types if t["name"] == "Site")
        asset = client.send(
            "POST", "/assets", {"name": "Lag site", "description": "", "type_id": site_type}, 201
        )
        with (
            psycopg.connect(database_of(server, f"{prefix}assets"), autocommit=True) as assets_db,
            psycopg.connect(database_of(server, f"{prefix}contracts"), autocommit=True) as contracts_db,
        ):
            # Linkable once contracts' replica has it (the asset's own created event).
            until_visible(
                contracts_db, "SELECT 1 FROM asset_replica WHERE asset_id = %(a)s", {"a": asset["id"]}
            )
            contracts_to_assets(client, assets_db, asset["id"], args.warmup)
            assets_to_contracts(client, contracts_db, asset, args.warmup)
            started = time.monotonic()
            to_assets = contracts_to_assets(client, assets_db, asset["id"], args.writes)
            to_contracts = assets_to_contracts(client, contracts_db, asset, args.writes)
            took = time.monotonic() - started
        print(f"\n{args.writes} writes each way, one at a time, in {took:.0f} s; ms")
        print(f"{'':<52}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}{'writes':>8}")
        print(line("contracts -> assets, from the answer", to_assets[0]))
        print(line("contracts -> assets, from the request", to_assets[1]))
        print(line("assets -> contracts, from the answer", to_contracts[0]))
        print(line("assets -> contracts, from the request", to_contracts[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
