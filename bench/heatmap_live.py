"""The live heatmap index under updates: sustained update rate, query latency, compaction, visibility.

    .venv/bin/python bench/heatmap_live.py [--points POINTS.bin] [-n 1000000] [--seed 42]
        [--rates 100,1000,5000,0] [--phase-seconds 10] [--idle-seconds 4] [--refresh-after 0] [--json]

Points: bench/supercluster/gen_points.py's synthetic set (N, SEED), or its POINTS.bin if given;
slot i is point i. Queries: a 1920x1080 viewport (256-pixel tiles) centred on the seed's largest
city at zooms 3, 8, 12 and 16, in turn, by one query thread calling `LiveIndex.clusters`.
Phases, on one index: `idle` (queries only), then per rate in --rates (updates per second, 0 = as
fast as the writer can) a phase of --phase-seconds where a writer thread applies moves (80 %,
a jitter of ~0.05 degrees), removes (10 %) and creates (10 %, reusing freed slots), and a
compactor thread runs `compact()` whenever `needs_compaction()` says so (the default policy), and
once halfway through the phase if it has not yet.
A query is counted "during compaction" if a compaction ran at any moment of it. Visibility: twice
a second the writer puts a probe point somewhere new; the query thread also asks for a small box
around it at zoom 16 each turn, and the time from `put` to the first answer holding it is kept.
"""

import argparse
import json
import math
import random
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from heatmaps.domain.cluster_index import BBox
from heatmaps.domain.live_index import F64, LiveIndex

sys.path.insert(0, str(Path(__file__).parent / "supercluster"))
import gen_points  # type: ignore[import-not-found]  # the anchor's generator, kept verbatim

ZOOMS = (3, 8, 12, 16)
VIEWPORT = (1920, 1080)


def viewport(lng: float, lat: float, zoom: int) -> BBox:
    """The box a 1920x1080 map shows at zoom, centred on (lng, lat), in supercluster's projection."""
    tiles = 256 * 2**zoom
    half_w, half_h = VIEWPORT[0] / tiles / 2, VIEWPORT[1] / tiles / 2
    if half_w >= 0.5:
        west, east = -180.0, 180.0
    else:
        west = (lng / 360 - half_w) * 360
        east = (lng / 360 + half_w) * 360
        west, east = (west + 360 if west < -180 else west), (east - 360 if east > 180 else east)
    s = math.sin(math.radians(lat))
    y = 0.5 - 0.25 * math.log((1 + s) / (1 - s)) / math.pi

    def y_lat(v: float) -> float:
        v = min(1.0, max(0.0, v))
        return 360 * math.atan(math.exp((180 - v * 360) * math.pi / 180)) / math.pi - 90

    return (west, y_lat(y + half_h), east, y_lat(y - half_h))


def points(path: str | None, n: int, seed: int) -> tuple[F64, F64, int]:
    if path:
        raw = Path(path).read_bytes()
        seed = int.from_bytes(raw[16:24], "little")
        records = np.frombuffer(raw, dtype="<f8", offset=24).reshape(-1, 3)
    else:
        records = np.frombuffer(gen_points.generate(n, seed)[1], dtype=np.float64).reshape(-1, 3)
    return np.ascontiguousarray(records[:, 0]), np.ascontiguousarray(records[:, 1]), seed


@dataclass
class Phase:
    name: str
    rate: float  # updates per second asked, 0 = unthrottled
    queries: list[tuple[float, float, int]] = field(default_factory=list)  # start, end, zoom
    compactions: list[tuple[float, float]] = field(default_factory=list)
    visible_ms: list[float] = field(default_factory=list)
    updates: int = 0
    seconds: float = 0.0  # the writer's, from its start to the stop (joins wait for a compaction)
    largest_pending: int = 0


def run(
    index: LiveIndex, phase: Phase, seconds: float, centre: tuple[float, float], base_lng: F64, base_lat: F64
) -> None:
    n = base_lng.shape[0]
    stop = threading.Event()
    boxes = [(z, viewport(*centre, z)) for z in ZOOMS]
    probe: list[tuple[int, BBox, float] | None] = [None]
    probe_slot = n + 10_000_000  # far from every other slot

    def query() -> None:
        turn = 0
        while not stop.is_set():
            zoom, box = boxes[turn % len(boxes)]
            turn += 1
            t0 = time.perf_counter()
            index.clusters(box, zoom)
            phase.queries.append((t0, time.perf_counter(), zoom))
            seen = probe[0]
            if seen is not None and seen[0] in index.clusters(seen[1], 16).members:
                phase.visible_ms.append((time.perf_counter() - seen[2]) * 1000)
                probe[0] = None

    def write() -> None:
        rnd = random.Random(7)
        free: list[int] = []
        lng: dict[int, float] = {}  # the writer's view of moved points; others start at their loaded place
        lat: dict[int, float] = {}
        start = last_probe = time.perf_counter()
        done = 0
        while not stop.is_set():
            now = time.perf_counter()
            if now - last_probe >= 0.5 and probe[0] is None:
                x, y = rnd.uniform(-170, 170), rnd.uniform(-60, 60)
                probe[0] = (probe_slot, (x - 1e-3, y - 1e-3, x + 1e-3, y + 1e-3), time.perf_counter())
                index.put(probe_slot, x, y)
                last_probe = now
            due = int(phase.rate * (now - start)) - done if phase.rate else 1000
            if due <= 0:
                time.sleep(0.0005)
                continue
            for _ in range(due):
                op = rnd.random()
                if op < 0.1 and free:
                    slot = free.pop()
                    lng[slot], lat[slot] = rnd.uniform(-180, 180), rnd.uniform(-80, 80)
                    index.put(slot, lng[slot], lat[slot])
                elif op < 0.2:
                    slot = rnd.randrange(n)
                    index.remove(slot)
                    free.append(slot)
                else:
                    slot = rnd.randrange(n)
                    x, y = lng.get(slot, base_lng[slot]), lat.get(slot, base_lat[slot])
                    lng[slot] = min(180.0, max(-180.0, x + rnd.gauss(0, 0.05)))
                    lat[slot] = min(85.0, max(-85.0, y + rnd.gauss(0, 0.05)))
                    index.put(slot, lng[slot], lat[slot])
            done += due
            phase.updates, phase.seconds = done, time.perf_counter() - start
            phase.largest_pending = max(phase.largest_pending, index.pending())

    def compact() -> None:
        halfway = time.perf_counter() + seconds / 2
        while not stop.is_set():
            # The policy's call, and once halfway through a phase if it has not called yet.
            if index.needs_compaction() or (not phase.compactions and time.perf_counter() > halfway):
                t0 = time.perf_counter()
                index.compact()
                phase.compactions.append((t0, time.perf_counter()))
            else:
                time.sleep(0.01)

    jobs = [query] + ([write, compact] if phase.name != "idle" else [])
    threads = [threading.Thread(target=j) for j in jobs]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    return round(float(np.percentile(values, q)), 2)


def summary(phase: Phase) -> dict[str, object]:
    def overlaps(q: tuple[float, float, int]) -> bool:
        return any(c0 < q[1] and q[0] < c1 for c0, c1 in phase.compactions)

    latency: dict[str, dict[str, object]] = {}
    for kind in ("idle",) if phase.name == "idle" else ("updates", "compaction"):
        for zoom in ZOOMS:
            ms = [
                (q[1] - q[0]) * 1000
                for q in phase.queries
                if q[2] == zoom and (kind == "idle" or overlaps(q) == (kind == "compaction"))
            ]
            latency[f"{kind} z{zoom}"] = {
                "n": len(ms),
                "p50_ms": percentile(ms, 50),
                "p99_ms": percentile(ms, 99),
            }
    return {
        "phase": phase.name,
        "rate_asked": phase.rate,
        "updates_per_s": round(phase.updates / phase.seconds) if phase.seconds else 0,
        "compactions_s": [round(c1 - c0, 2) for c0, c1 in phase.compactions],
        "largest_pending": phase.largest_pending,
        "visible_ms": {
            "n": len(phase.visible_ms),
            "p50": percentile(phase.visible_ms, 50),
            "max": round(max(phase.visible_ms), 1) if phase.visible_ms else None,
        },
        "latency": latency,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--points", help="a POINTS.bin of gen_points.py (else generated)")
    ap.add_argument("-n", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument(
        "--rates", default="100,1000,5000,0", help="updates per second per phase, 0 = unthrottled"
    )
    ap.add_argument("--phase-seconds", type=float, default=10.0)
    ap.add_argument("--idle-seconds", type=float, default=4.0)
    ap.add_argument("--refresh-after", type=float, default=0.0, help="LiveIndex(refresh_after=...)")
    ap.add_argument("--json", action="store_true", help="JSON instead of markdown")
    a = ap.parse_args()
    t0 = time.perf_counter()
    lng0, lat0, seed = points(a.points, a.n, a.seed)
    n = lng0.shape[0]
    city = gen_points.make_cities(random.Random(seed).random)[0]
    centre = (city["lon"], city["lat"])
    print(f"[bench] {n} points in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    index = LiveIndex(refresh_after=a.refresh_after)
    t0 = time.perf_counter()
    index.load(np.arange(n), lng0, lat0)
    load_s = time.perf_counter() - t0
    print(f"[bench] load {load_s:.2f} s", file=sys.stderr)
    shapes = {}
    for zoom in ZOOMS:
        pins = index.clusters(viewport(*centre, zoom), zoom)
        shapes[f"z{zoom}"] = {"rows": len(pins), "members": int(pins.offsets[-1])}
    phases = [Phase("idle", 0.0)] + [
        Phase(f"updates at {r or 'max'}/s", float(r)) for r in a.rates.split(",")
    ]
    results = []
    for phase in phases:
        seconds = a.idle_seconds if phase.name == "idle" else a.phase_seconds
        index.compact()  # each phase starts from a fresh base
        run(index, phase, seconds, centre, lng0, lat0)
        results.append(summary(phase))
        print(f"[bench] {phase.name} done", file=sys.stderr)
    report = {
        "n": n,
        "seed": seed,
        "refresh_after": a.refresh_after,
        "load_s": round(load_s, 2),
        "viewport": shapes,
    }
    report["phases"] = results
    if a.json:
        print(json.dumps(report, indent=1))
    else:
        print(markdown(report))


def markdown(report: dict[str, object]) -> str:
    lines = [
        f"N = {report['n']:,}, refresh_after {report['refresh_after']} s, load {report['load_s']} s, "
        f"viewport rows/members: {report['viewport']}",
        "",
    ]
    head = ["phase", "updates/s", "compactions (s)", "largest pending", "visible ms p50 / max"]
    lines.append("| " + " | ".join(head + [f"z{z}" for z in ZOOMS]) + " |")
    lines.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for p in report["phases"]:  # type: ignore[attr-defined]
        kinds = ("idle",) if p["phase"] == "idle" else ("updates", "compaction")
        for kind in kinds:
            cells = []
            for zoom in ZOOMS:
                q = p["latency"][f"{kind} z{zoom}"]
                cells.append(f"{q['p50_ms']} / {q['p99_ms']} ({q['n']})")
            v = p["visible_ms"]
            lines.append(
                f"| {p['phase']}, {kind} | {p['updates_per_s']:,} | {p['compactions_s']} "
                f"| {p['largest_pending']:,} | {v['p50']} / {v['max']} ({v['n']}) | "
                + " | ".join(cells)
                + " |"
            )
    lines.append("")
    lines.append("Latency cells: query p50 / p99 ms (queries).")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
