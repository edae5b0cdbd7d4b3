"""The request path's in-process checks (``proximity.access``), timed one call at a time: a
caller in 50 operational groups (each a handful of tags over a few of the tenant's datazones),
200 geozones in scope (circles and polygons over a region), and one object.

- ``may()``: does the caller hold a tag on an object in these zones (what every write and
  every ``GET /{id}`` asks);
- ``object_permissions()``: the object's ``__permissions__`` (what each item of a list shows);
- ``zones_of()``: which datazones an object lies in (what every asset or entity write computes);
- ``Grants`` from the replica row (what ``caller_access`` builds per request);
- ``zones_of_many()`` over 100,000 objects (a datazone event recomputing a tenant), per object.

    .venv/bin/python bench/access_check.py
    .venv/bin/python bench/access_check.py --rounds 20000

Target: p50 <= 50 us for ``may()`` and ``zones_of()``.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import statistics
import time
import uuid
from collections.abc import Callable
from typing import Any

from proximity.access.datazones import DatazoneState
from proximity.access.grants import Grants
from proximity.access.territory import Locatable, Territory

TAGS = ["assets.view", "assets.update", "assets.create", "entities.view", "contracts.view", "assets.delete"]
CENTRE = (-1.5, 53.0)  # long, lat: the middle of England


def square(long: float, lat: float, half: float) -> str:
    corners = [
        (long - half, lat - half),
        (long + half, lat - half),
        (long + half, lat + half),
        (long - half, lat + half),
    ]
    return "POLYGON ((" + ", ".join(f"{x} {y}" for x, y in [*corners, corners[0]]) + "))"


def zones(rng: random.Random, count: int) -> list[DatazoneState]:
    """``count`` geozones over a 6 x 6 degree region, in 50 datazones of 4 each: three circles
    of 2-20 km and one square of ~10-30 km."""
    made = []
    for _ in range(count // 4):
        geozones: list[dict[str, Any]] = []
        for k in range(4):
            long = CENTRE[0] + rng.uniform(-3, 3)
            lat = CENTRE[1] + rng.uniform(-3, 3)
            if k == 3:
                geozones.append({"wkt": square(long, lat, rng.uniform(0.05, 0.15))})
            else:
                geozones.append({"lat": lat, "long": long, "radius": rng.uniform(2000, 20000)})
        made.append(
            DatazoneState.model_validate(
                {"id": str(uuid.uuid4()), "type": "geo", "is_dynamic": True, "geozones": geozones}
            )
        )
    return made


def timed(call: Callable[[], object], rounds: int) -> tuple[float, float]:
    """p50 and p95 in microseconds, one call at a time."""
    for _ in range(min(1000, rounds)):
        call()
    took = []
    clock = time.perf_counter_ns
    for _ in range(rounds):
        started = clock()
        call()
        took.append(clock() - started)
    took.sort()
    return statistics.median(took) / 1000, took[int(0.95 * len(took))] / 1000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=10_000)
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--geozones", type=int, default=200)
    parser.add_argument("--many", type=int, default=100_000, help="objects for zones_of_many")
    args = parser.parse_args()
    rng = random.Random(11)
    print(f"machine: {os.cpu_count()} CPUs, {platform.python_implementation()} {platform.python_version()}")
    datazones = zones(rng, args.geozones)
    territory = Territory(datazones)
    ids = [zone.id for zone in datazones]
    entries = [
        {
            "op_group_id": str(uuid.uuid4()),
            "permissions": rng.sample(TAGS, 3),
            "datazone_ids": [str(z) for z in rng.sample(ids, 3)],
        }
        for _ in range(args.groups)
    ]
    grants = Grants.from_json(entries)
    # An object 1 km from the centre of one of the circles (so in at least that zone).
    first = datazones[0].geozones[0]
    assert first.long is not None
    assert first.lat is not None
    obj = Locatable(point=(first.long, first.lat + 0.009))
    object_zones = territory.zones_of(obj)
    other_zones = frozenset(rng.sample(ids, 2))  # an object in two zones of the tenant
    elsewhere = frozenset({uuid.uuid4()})
    results = {
        "Grants from the replica row (50 groups)": timed(lambda: Grants.from_json(entries), args.rounds),
        "may(assets.update) on an object in 2 zones": timed(
            lambda: grants.may("assets.update", other_zones), args.rounds
        ),
        "may(assets.delete) refused (no reach)": timed(
            lambda: grants.may("assets.delete", elsewhere), args.rounds
        ),
        "object_permissions(assets) (__permissions__)": timed(
            lambda: grants.object_permissions("assets", other_zones), args.rounds
        ),
        f"zones_of(point) over {args.geozones} geozones": timed(lambda: territory.zones_of(obj), args.rounds),
        "zones_of(point, address, entity, contract)": timed(
            lambda: territory.zones_of(
                Locatable(
                    point=obj.point,
                    addresses=({"country": "gb", "city": "leeds"},),
                    entity_ids=frozenset({uuid.uuid4()}),
                    contract_ids=frozenset({uuid.uuid4()}),
                )
            ),
            args.rounds,
        ),
        f"Territory({len(datazones)} datazones) compiled": timed(
            lambda: Territory(datazones), max(50, args.rounds // 100)
        ),
    }
    print(f"{'call':<52}{'p50 us':>10}{'p95 us':>10}")
    for label, (p50, p95) in results.items():
        print(f"{label:<52}{p50:>10.2f}{p95:>10.2f}")
    spread = [
        Locatable(point=(CENTRE[0] + rng.uniform(-3.2, 3.2), CENTRE[1] + rng.uniform(-3.2, 3.2)))
        for _ in range(args.many)
    ]
    started = time.perf_counter()
    found = territory.zones_of_many(spread)
    took = time.perf_counter() - started
    inside = sum(1 for z in found if z)
    print(
        f"zones_of_many over {args.many} objects: {took * 1000:.0f} ms "
        f"({took / args.many * 1e6:.2f} us each; {inside} in some zone); object in {len(object_zones)} zones"
    )
    assert math.isfinite(took)


if __name__ == "__main__":
    main()
