"""The heatmaps clustering engine on supercluster's benchmark input, in its JSON shape.

    .venv/bin/python bench/heatmap_engine.py POINTS.bin BOXES.json > result.json

POINTS.bin and BOXES.json are made by bench/supercluster/gen_points.py (its run.sh
caches them in /tmp/supercluster-bench/). Timed like its bench.js: `load_ms` is the median of
3 index builds (after one warm-up build on a few points, `jit_ms`, kept in the output for the shape);
each (zoom 0..16, box) query runs twice as warm-up, then call by call until at least 5 reps and
300 ms, at most 1000 reps, and its median is kept. The timed call is
`ClusterIndex.clusters(bbox, zoom)`: a new float64 array of one row per cluster or lone point
(lng, lat, count, sum, min, max, and where its point ids start), no JSON. Compare with
`python3 bench/supercluster/compare.py ANCHOR.json[,...] THIS.json[,...]`.
Tunables (env) as bench.js: BENCH_LOAD_REPS, BENCH_WARMUP, BENCH_MIN_REPS, BENCH_MIN_TIME_MS,
BENCH_MAX_REPS.
"""

import gc
import hashlib
import json
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from heatmaps.domain.cluster_index import COUNT, SUM, ClusterIndex, ClusterOptions

HEADER_BYTES = 24


def env(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


LOAD_REPS = env("BENCH_LOAD_REPS", 3)
WARMUP = env("BENCH_WARMUP", 2)
MIN_REPS = env("BENCH_MIN_REPS", 5)
MIN_TIME_MS = env("BENCH_MIN_TIME_MS", 300)
MAX_REPS = env("BENCH_MAX_REPS", 1000)


def log(*args: object) -> None:
    print("[bench]", *args, file=sys.stderr, flush=True)


def main(points_path: str, boxes_path: str) -> None:
    raw = Path(points_path).read_bytes()
    if raw[:8] != b"SCBPTS01":
        sys.exit(f"{points_path}: bad magic")
    n = int.from_bytes(raw[8:16], "little")
    seed = int.from_bytes(raw[16:24], "little")
    records = np.frombuffer(raw, dtype="<f8", offset=HEADER_BYTES).reshape(-1, 3)
    if records.shape[0] != n:
        sys.exit(f"{points_path}: {records.shape[0]} records, header says {n}")
    lng, lat, value = (np.ascontiguousarray(records[:, i]) for i in range(3))
    ids = np.arange(n, dtype=np.int64)
    boxes = json.loads(Path(boxes_path).read_text())["boxes"]
    value_sum_all = float(value.sum())
    options = ClusterOptions(radius=40, extent=512, min_points=2, node_size=64, max_zoom=16)

    t0 = time.perf_counter()
    ClusterIndex(lng[:1000], lat[:1000], value[:1000], ids[:1000], options)
    jit_ms = (time.perf_counter() - t0) * 1e3
    log(f"n={n} seed={seed}; kernels ready in {jit_ms:.0f} ms")

    load_times = []
    index = None
    for rep in range(LOAD_REPS):
        index = None
        gc.collect()
        t0 = time.perf_counter()
        index = ClusterIndex(lng, lat, value, ids, options)
        load_times.append((time.perf_counter() - t0) * 1e3)
        log(f"load rep {rep + 1}/{LOAD_REPS}: {load_times[-1]:.1f} ms")
    assert index is not None

    queries = []
    world_covers_all = sums_exact = True
    t_q0 = time.perf_counter()
    for zoom in range(17):
        for box in boxes:
            bbox = tuple(box["bbox"])
            gc.collect()
            res = None
            for _ in range(max(1, WARMUP)):
                res = index.clusters(bbox, zoom)
            assert res is not None
            returned, covered, vsum = len(res), int(res[:, COUNT].sum()), float(res[:, SUM].sum())
            times: list[float] = []
            start = time.perf_counter_ns()
            deadline = start + MIN_TIME_MS * 1_000_000
            clock = time.perf_counter_ns
            clusters = index.clusters
            while len(times) < MAX_REPS and (len(times) < MIN_REPS or clock() < deadline):
                t1 = clock()
                res = clusters(bbox, zoom)
                t2 = clock()
                times.append((t2 - t1) / 1e6)
            queries.append(
                {
                    "zoom": zoom,
                    "box_id": box["id"],
                    "box": box["name"],
                    "bbox": box["bbox"],
                    "median_ms": round(statistics.median(times), 4),
                    "min_ms": round(min(times), 4),
                    "reps": len(times),
                    "clusters_returned": returned,
                    "cluster_features": int((res[:, COUNT] > 1).sum()),
                    "total_points_covered": covered,
                    "value_sum": vsum,
                }
            )
            if box["name"] == "world":
                world_covers_all &= covered == n
                sums_exact &= vsum == value_sum_all
        log(f"zoom {zoom} done ({time.perf_counter() - t_q0:.1f} s elapsed)")

    text = "".join(
        f"{q['zoom']},{q['box_id']},{q['clusters_returned']},{q['total_points_covered']}\n" for q in queries
    )
    out = {
        "n": n,
        "seed": seed,
        "load_ms": round(statistics.median(load_times), 4),
        "load_ms_all": [round(t, 4) for t in load_times],
        "jit_ms": round(jit_ms, 1),
        "queries": queries,
        "checksum": hashlib.sha256(text.encode()).hexdigest(),
        "clusters_returned_total": sum(q["clusters_returned"] for q in queries),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 4),
        "queries_total_s": round(time.perf_counter() - t_q0, 4),
        "checks": {
            "world_box_covers_all_points_every_zoom": world_covers_all,
            "world_box_value_sum_exact_every_zoom": sums_exact,
            "value_sum_all_points": value_sum_all,
        },
        "options": {"radius": 40, "extent": 512, "minPoints": 2, "nodeSize": 64, "maxZoom": 16},
        "timed_call": "ClusterIndex.clusters(bbox, zoom) -> new float64 array, a row per cluster or lone "
        "point: lng, lat, count, sum, min, max, start of its point ids",
        "points_file": points_path,
        "points_sha256": hashlib.sha256(raw).hexdigest(),
        "boxes_file": boxes_path,
        "versions": {"python": platform.python_version(), "numpy": np.__version__},
        "host": {"platform": platform.platform(), "cpus": os.cpu_count()},
    }
    parts = [
        '  "queries": [\n' + ",\n".join("    " + json.dumps(q) for q in v) + "\n  ]"
        if k == "queries"
        else f"  {json.dumps(k)}: {json.dumps(v)}"
        for k, v in out.items()
    ]
    sys.stdout.write("{\n" + ",\n".join(parts) + "\n}\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: heatmap_engine.py POINTS.bin BOXES.json")
    main(sys.argv[1], sys.argv[2])
