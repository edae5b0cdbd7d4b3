"""``GET /parties`` at identity directly, over a bulk-loaded tenant: p50/p95 per filter and sort.

Creates a fresh database on the PostgreSQL server ``DATABASE_URL`` names (else an embedded
one), migrates it, seeds the demo tenant, bulk-loads parties into it (``party_list_load``),
ANALYZEs, starts identity on its own (uvicorn in a child process, with an embedded NATS of
its own), signs in as the demo administrator and sends each case's request one at a time
(concurrency 1: latency without queueing). Repeats at each size, growing the same tenant.

    .venv/bin/python bench/party_list.py                      # 10,000 then 100,000 parties
    .venv/bin/python bench/party_list.py --sizes 100000 --requests 100 --only keywords

The load generator shares the machine with PostgreSQL and identity; figures are a floor.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_servers import served  # type: ignore[import-not-found]
from identity.config import IdentitySettings
from identity.seed import seed_demo
from party_list_load import load_parties  # type: ignore[import-not-found]
from proximity.db.migrate import upgrade
from proximity.devstack.embedded import (
    drop_database,
    embedded_nats,
    ensure_database,
    libpq_url,
)
from proximity.devstack.launcher import free_port
from proximity.testing.servers import postgres_server

REPO = Path(__file__).resolve().parent.parent
DEMO_KEY = "dev-client-key"
ADMIN = {"email": "admin@example.com", "password": "admin-password"}
SORTS = [
    "name",
    "first_name",
    "last_name",
    "type",
    "phone",
    "email",
    "last_signin",
    "job_title_id",
    "total_identities",
    "total_groups",
    "total_contracts",
    "total_skillsets",
    "total_assets",
    "created",
    "updated",
]


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000 if ordered else float("nan")


@dataclass(frozen=True)
class Case:
    label: str
    params: list[tuple[str, str]]


def cases(database_url: str, tenant: uuid.UUID) -> list[Case]:
    """Every documented sort both ways, each filter, keywords common and rare, stats, depth."""
    with psycopg.connect(libpq_url(database_url)) as connection:

        def first(query: str) -> str:
            row = connection.execute(query, {"tenant": tenant}).fetchone()
            return str(row[0]) if row else str(uuid.uuid4())

        type_id = first("SELECT id FROM party_types WHERE tenant_id = %(tenant)s ORDER BY name LIMIT 1")
        group_id = first("SELECT group_id FROM party_group_memberships WHERE tenant_id = %(tenant)s LIMIT 1")
        skillset_id = first("SELECT id FROM skillsets WHERE tenant_id = %(tenant)s ORDER BY name LIMIT 1")
        ids = [
            str(r[0])
            for r in connection.execute(
                "SELECT id FROM parties WHERE tenant_id = %(tenant)s ORDER BY md5(id::text) LIMIT 20",
                {"tenant": tenant},
            )
        ]
    found = [Case("default (+name)", [])]
    for name in SORTS:
        found += [
            Case(f"sort=+{name}", [("sort", f"+{name}")]),
            Case(f"sort=-{name}", [("sort", f"-{name}")]),
        ]
    found += [
        Case("keywords=smith (common)", [("keywords", "smith")]),
        Case("keywords=zanzibar (rare)", [("keywords", "zanzibar")]),
        Case("keywords=mary smith", [("keywords", "mary smith")]),
        Case("keywords=smi (prefix)", [("keywords", "smi")]),
        Case("keywords=p4242@ (email)", [("keywords", "p4242@")]),
        Case("keywords=smith sort=-created", [("keywords", "smith"), ("sort", "-created")]),
        Case("include[]=stats", [("include[]", "stats")]),
        Case("include[]=stats sort=-total_groups", [("include[]", "stats"), ("sort", "-total_groups")]),
        Case("type_id", [("type_id", type_id)]),
        Case("group_id", [("group_id", group_id)]),
        Case("skillset_id", [("skillset_id", skillset_id)]),
        Case("ids[] x20", [("ids[]", i) for i in ids]),
        Case("sort=-created page=50 (deepest offset)", [("sort", "-created"), ("page", "50")]),
        Case("sort=-created at row 4000 (cursor)", [("sort", "-created"), ("__depth__", "4000")]),
        Case("sort=+name at row 4000 (cursor)", [("sort", "+name"), ("__depth__", "4000")]),
        Case("per_page=100", [("per_page", "100")]),
        Case("by id (GET /parties/{id})", [("__path__", f"/parties/{ids[0]}")]),
    ]
    return found


@contextlib.contextmanager
def identity_server(database_url: str, nats_url: str, log: Path) -> Iterator[str]:
    settings = {
        "DATABASE_URL": database_url,
        "NATS_URL": nats_url,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(free_port()),
    }
    with served("identity", "identity.app:create_app", settings, log) as url:
        yield url


Params = list[tuple[str, str | int | float | bool | None]]


def deep(http: httpx.Client, headers: dict[str, str], params: Params, depth: int) -> Params:
    """What asks for the page ``depth`` rows in: the cursor reached by following next cursors,
    or, where the list has no cursor (the seed's code), the page number."""
    cursor: str | None = None
    for _ in range(depth // 100):
        step = [*params, ("per_page", "100"), *([("cursor", cursor)] if cursor else [])]
        pagination = http.get("/parties", params=step, headers=headers).json()["pagination"]
        if "next_cursor" not in pagination:
            return [("page", str(depth // 20))]
        cursor = pagination["next_cursor"]
        assert cursor, "the list ended before that depth"
    assert cursor is not None
    return [("cursor", cursor)]


def measure(base: str, all_cases: list[Case], *, requests: int, warmup: int) -> dict[str, Sample]:
    with httpx.Client(base_url=base, timeout=60) as http:
        login = http.post("/auth/login", headers={"X-Client-Key": DEMO_KEY}, json=ADMIN)
        login.raise_for_status()
        headers = {"X-Client-Key": DEMO_KEY, "Authorization": login.json()["data"]["access_token"]}
        samples: dict[str, Sample] = {}
        for case in all_cases:
            path = dict(case.params).get("__path__", "/parties")
            params: Params = [(k, v) for k, v in case.params if not k.startswith("__")]
            if depth := dict(case.params).get("__depth__"):
                params += deep(http, headers, params, int(depth))
            sample = samples.setdefault(case.label, Sample())
            for i in range(warmup + requests):
                started = time.perf_counter()
                response = http.get(path, params=params, headers=headers)
                took = time.perf_counter() - started
                if response.status_code != 200:
                    sample.failures.append(f"{response.status_code} {response.text[:200]}")
                elif i >= warmup:
                    sample.latencies.append(took)
    return samples


def report(size: int, samples: dict[str, Sample], requests: int) -> str:
    lines = [
        f"GET /parties at identity directly, {size} parties in one tenant, {requests} requests per case, c=1",
        f"{'case':<40}{'p50 ms':>10}{'p95 ms':>10}{'failed':>8}",
    ]
    for label, sample in samples.items():
        lines.append(
            f"{label:<40}{sample.percentile(50):>10.2f}{sample.percentile(95):>10.2f}{len(sample.failures):>8}"
        )
        lines += [f"    {failure}" for failure in sample.failures[:2]]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated party counts, ascending")
    parser.add_argument("--requests", type=int, default=50, help="measured requests per case")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--only", default="", help="run only the cases whose label contains this")
    parser.add_argument("--keep", action="store_true", help="keep the database (its name is printed)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {os.cpu_count()} CPUs, {platform.python_implementation()} {platform.python_version()}")
    failed = False
    # NATS of its own: a shared server's durable consumers would hand this identity other
    # processes' messages.
    with (
        tempfile.TemporaryDirectory(prefix="proximity-bench-") as tmp,
        postgres_server() as server,
        embedded_nats(Path(tmp) / "nats") as nats,
    ):
        name = f"bench_party_list_{uuid.uuid4().hex[:8]}"
        database_url = ensure_database(server, name)
        try:
            upgrade("identity", database_url)
            settings = IdentitySettings(database_url=database_url, nats_url=nats)
            asyncio.run(seed_demo(settings))
            with psycopg.connect(libpq_url(database_url)) as connection:
                row = connection.execute(
                    "SELECT tenant_id FROM clients ORDER BY created_at LIMIT 1"
                ).fetchone()
                assert row is not None
                tenant = uuid.UUID(str(row[0]))
            with identity_server(database_url, nats, Path(tmp) / "identity.log") as base:
                for size in sizes:
                    started = time.perf_counter()
                    load_parties(database_url, tenant, size)
                    print(f"\nloaded {size} parties and analyzed in {time.perf_counter() - started:.1f} s")
                    chosen = [c for c in cases(database_url, tenant) if args.only in c.label]
                    samples = measure(base, chosen, requests=args.requests, warmup=args.warmup)
                    failed = failed or any(s.failures for s in samples.values())
                    print(report(size, samples, args.requests), flush=True)
        finally:
            if args.keep:
                print(f"kept database {name}")
            else:
                drop_database(server, name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
