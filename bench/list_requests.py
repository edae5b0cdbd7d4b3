"""Timing a list endpoint case by case: each case's request sent one at a time (c=1) after a
warm-up, its latencies and failures kept, and one table of p50 / p95 printed per run."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import httpx

Params = list[tuple[str, str | int | float | bool | None]]


class RequestCase(Protocol):
    @property
    def label(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def params(self) -> Sequence[tuple[str, str]]: ...
    @property
    def cursor(self) -> bool: ...  # follow page 1's next_cursor and measure page 2


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    found: int | None = None

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000 if ordered else float("nan")


def measure(
    base: str,
    cases: Sequence[RequestCase],
    headers_of: Callable[[], dict[str, str]],
    *,
    requests: int,
    warmup: int,
) -> dict[str, Sample]:
    samples: dict[str, Sample] = {}
    with httpx.Client(base_url=base, timeout=60) as http:
        for case in cases:
            headers = headers_of()  # a fresh token per case: a long run outlives one
            params: Params = list(case.params)
            sample = samples.setdefault(case.label, Sample())
            if case.cursor:
                first = http.get(case.path, params=params, headers=headers).json()
                params.append(("cursor", first["pagination"]["next_cursor"]))
            for i in range(warmup + requests):
                started = time.perf_counter()
                response = http.get(case.path, params=params, headers=headers)
                took = time.perf_counter() - started
                if response.status_code != 200:
                    sample.failures.append(f"{response.status_code} {response.text[:300]}")
                elif i >= warmup:
                    sample.latencies.append(took)
                    if sample.found is None:
                        body = response.json()
                        data = body["data"]
                        total = body.get("pagination", {}).get("total")
                        sample.found = (
                            total if total is not None else (len(data) if isinstance(data, list) else 1)
                        )
    return samples


def report(title: str, samples: dict[str, Sample], *, width: int = 58, target_ms: float = 10.0) -> str:
    """The table, then the worst p50 and the cases over ``target_ms``."""
    lines = [title, f"{'case':<{width}}{'p50 ms':>9}{'p95 ms':>9}{'found':>7}{'failed':>7}"]
    for label, sample in samples.items():
        found = "" if sample.found is None else str(sample.found)
        p50, p95 = sample.percentile(50), sample.percentile(95)
        lines.append(f"{label:<{width}}{p50:>9.2f}{p95:>9.2f}{found:>7}{len(sample.failures):>7}")
        lines += [f"    {failure}" for failure in sample.failures[:2]]
    medians = sorted(s.percentile(50) for s in samples.values() if s.latencies)
    if medians:
        over = [label for label, s in samples.items() if s.latencies and s.percentile(50) > target_ms]
        lines.append(f"worst p50 {medians[-1]:.2f} ms; cases with p50 over {target_ms:g} ms: {len(over)}")
        lines += [f"    {label}" for label in over]
    return "\n".join(lines)
