"""What the gateway costs: GET /users/me straight to identity vs through the gateway, same run.

Starts the dev stack as `make run` does (embedded PostgreSQL and NATS unless DATABASE_URL /
NATS_URL are set) on free ports, logs in once, then sends the same authenticated request to
both targets in alternating rounds over keep-alive connections and prints p50/p99 latency and
throughput for each. Run: `make bench` or `.venv/bin/python bench/gateway_overhead.py --help`.

The load generator runs on the same machine as the servers and competes with them for CPU,
so absolute figures are a floor; the difference between the two targets is the point.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from proximity.devstack.launcher import launched_stack

REPO = Path(__file__).resolve().parent.parent
DEMO_KEY = "dev-client-key"
ADMIN = {"email": "admin@example.com", "password": "admin-password"}


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0
    failures: int = 0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0


async def hammer(url: str, headers: dict[str, str], requests: int, concurrency: int, sample: Sample) -> None:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        remaining = iter(range(requests))

        async def worker() -> None:
            for _ in remaining:
                started = time.perf_counter()
                response = await client.get(url, headers=headers)
                took = time.perf_counter() - started
                if response.status_code == 200:
                    sample.latencies.append(took)
                else:
                    sample.failures += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        sample.elapsed += time.perf_counter() - started


async def measure(
    gateway: str, identity: str, *, requests: int, concurrency: int, rounds: int
) -> dict[str, Sample]:
    async with httpx.AsyncClient(base_url=gateway) as http:
        login = await http.post("/auth/login", headers={"X-Client-Key": DEMO_KEY}, json=ADMIN)
        login.raise_for_status()
    headers = {"X-Client-Key": DEMO_KEY, "Authorization": login.json()["data"]["access_token"]}
    targets = {"direct (identity)": f"{identity}/users/me", "through gateway": f"{gateway}/users/me"}
    samples = {name: Sample() for name in targets}
    for url in targets.values():  # warm-up: connection pools, JWKS cache, client-key cache
        await hammer(url, headers, min(200, requests), concurrency, Sample())
    for _ in range(rounds):
        for name, url in targets.items():
            await hammer(url, headers, requests, concurrency, samples[name])
    return samples


def report(samples: dict[str, Sample], args: argparse.Namespace) -> str:
    lines = [
        f"GET /users/me, {args.rounds} rounds x {args.requests} requests, concurrency {args.concurrency}",
        f"machine: {os.cpu_count()} CPUs, {platform.python_implementation()} {platform.python_version()}",
        "",
        f"{'target':<20}{'p50 ms':>10}{'p99 ms':>10}{'req/s':>10}{'failed':>8}",
    ]
    for name, sample in samples.items():
        lines.append(
            f"{name:<20}{sample.percentile(50):>10.2f}{sample.percentile(99):>10.2f}"
            f"{sample.throughput:>10.0f}{sample.failures:>8}"
        )
    direct, gateway = samples.values()
    lines += [
        "",
        f"gateway overhead: p50 +{gateway.percentile(50) - direct.percentile(50):.2f} ms, "
        f"p99 +{gateway.percentile(99) - direct.percentile(99):.2f} ms, "
        f"throughput {gateway.throughput / direct.throughput:.0%} of direct",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000, help="requests per target per round")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="proximity-bench-") as tmp:
        env = {**os.environ, "LOG_LEVEL": "warning", "DB_PREFIX": "bench_"}
        with launched_stack(env, Path(tmp), repo=REPO) as stack:
            samples = asyncio.run(
                measure(
                    stack.gateway,
                    stack.identity,
                    requests=args.requests,
                    concurrency=args.concurrency,
                    rounds=args.rounds,
                )
            )
    print(report(samples, args))
    return 0 if all(not s.failures for s in samples.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
