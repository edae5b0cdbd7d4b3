"""``GET /heatmaps/{id}/query`` through the gateway and at the heatmaps service directly, for a
1920x1080-pixel viewport at zooms 3, 8, 12 and 16 over N points of one tenant (default
1,000,000): p50 / p99 per viewport, its pins, and what share of the service's time the answer's
JSON encoding takes (issue 12, "Through the API"; goal: p50 <= 50 ms).

The bulk path (documented): the points are COPYed straight into the read model, the rows the
consumers of ``assets.asset.*`` / ``assets.entity.*`` / ``assets.value.updated`` write
(``map_point``: one row per point, version 1, ``tx`` its default, country, region and city set,
the address as the asset event carries it; ``map_value``: one number field's value per asset,
its subject and object the asset), plus the field replica row (``heatmaps_field_replica``) that
the heatmap's sum metric needs. The service reads the read model into memory at start-up
(``services.map_feed``), so it is started after the load: the start-up figure is from starting
its process until a query answers (polled directly). The heatmap configuration (metrics: a
count, and a sum over the field) is created through the gateway with ``POST /heatmaps``.

The points are clustered like cities, as bench/supercluster/gen_points.py draws them (numpy
here, seeded): 200 Gaussian cities (centre longitude uniform, latitude -55..70, sigma
log-uniform 0.05..2 degrees, Zipf weights 1/(rank+1)) and 10 % uniform noise; 9 in 10 points
are assets, the rest entities; a city's points carry its city, region and country, a noise
point the nearest city's region and country and the city ``rural``.

Viewports: 256-pixel tiles, so at zoom z the view spans 1920/(256*2^z) of the Web-Mercator
world's width and 1080/(256*2^z) of its height, centred on the densest city and on the noise
point farthest from every city (shifted to stay inside the world); ``bound`` is that box as a
WKT POLYGON. Each case's request goes to the service and to the gateway in turn (c=1, after a
warm-up) with a system administrator's token. Two scoped cases take the subset path (the points
the caller may see clustered on their own): ``types[]=asset`` (its cluster index built on the
first request, then kept while nothing changes: that first request is printed) and
``keywords=`` (matched over every point on each request).

Then, in this process, the same rows go into a ``TenantMap`` through the repositories (as the
feed's first pass does), and per viewport ``TenantMap.query``, ``map_answer`` and the JSON
encoding (``proximity.http.responses.JSON(...).body``, orjson) are timed apart.

    .venv/bin/python bench/heatmap_api.py --points 100000        # while developing (~2 min)
    .venv/bin/python bench/heatmap_api.py                        # 1,000,000 (~8 min)

The load generator shares the machine with PostgreSQL, the service and the gateway; figures are
a floor. With 40 requests a case, p99 is the slowest one.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import numpy.typing as npt
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from starlette.datastructures import QueryParams

from bench_servers import checked_by, served, stand_in_identity  # type: ignore[import-not-found]
from heatmaps.config import HeatmapsSettings
from heatmaps.domain.map_view import MapView
from heatmaps.domain.tenant_map import TenantMap
from heatmaps.repositories import map_points
from heatmaps.schemas.map_answer import map_answer
from heatmaps.schemas.map_query import parse_map_request
from heatmaps.services.map_query import metrics_of
from list_requests import Sample  # type: ignore[import-not-found]
from proximity.access.grants import EVERYWHERE
from proximity.db.migrate import upgrade
from proximity.devstack.embedded import drop_database, embedded_nats, ensure_database, libpq_url
from proximity.http.responses import JSON
from proximity.testing.servers import postgres_server
from proximity.testing.stand_in_identity import ClientKeys, Signer

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

ZOOMS = (3, 8, 12, 16)
VIEW_PX = (1920, 1080)
TILE_PX = 256
MAX_MERCATOR_LAT = 85.05112878
CITIES = 200
NOISE_SHARE = 0.10
ENTITY_SHARE = 0.10
COUNTRIES = 25
REGIONS_PER_COUNTRY = 4
WORDS = (  # noqa: SIM905 - a word list reads best as words
    "oak river mill station harbour king queen park bridge castle church market north south east "
    "west green hill lake abbey meadow orchard willow cedar granite copper iron silver golden crown "
    "regent forge foundry wharf quay dock canal beech birch elm hazel holly maple pine rowan heron"
).split()
KINDS_OF_PLACE = ("Depot", "Office", "Store", "Yard", "Plant")
KEYWORD = "harbour"  # one name in len(WORDS)
QUERY_PATH = "/heatmaps/{id}/query"


# --- the points -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Places:
    lng: F64
    lat: F64
    city: I64  # the city a point belongs to (noise: the nearest one's, for region and country)
    rural: npt.NDArray[np.bool_]
    centres: F64  # (CITIES, 2) lng, lat; row 0 the densest
    sparse: tuple[float, float]  # the noise point farthest from every city


def draw_places(n: int, seed: int) -> Places:
    rnd = np.random.default_rng(seed)
    centres = np.column_stack([rnd.uniform(-180, 180, CITIES), rnd.uniform(-55, 70, CITIES)])
    sigma = np.exp(rnd.uniform(math.log(0.05), math.log(2.0), CITIES))
    weights = 1 / np.arange(1, CITIES + 1)
    rural = rnd.random(n) < NOISE_SHARE
    city = rnd.choice(CITIES, size=n, p=weights / weights.sum())
    lng = centres[city, 0] + rnd.normal(size=n) * sigma[city]
    lat = centres[city, 1] + rnd.normal(size=n) * sigma[city]
    lng[rural] = rnd.uniform(-180, 180, int(rural.sum()))
    lat[rural] = rnd.uniform(-85, 85, int(rural.sum()))
    lng, lat = np.clip(lng, -180, 180), np.clip(lat, -85, 85)
    noise = np.flatnonzero(rural)
    nearest = np.empty(len(noise), np.int64)
    distance = np.empty(len(noise))
    for start in range(0, len(noise), 20_000):  # a (chunk x cities) distance matrix at a time
        part = noise[start : start + 20_000]
        d = np.hypot(lng[part, None] - centres[None, :, 0], lat[part, None] - centres[None, :, 1])
        nearest[start : start + len(part)] = d.argmin(axis=1)
        distance[start : start + len(part)] = d.min(axis=1)
    city[noise] = nearest
    loneliest = noise[int(distance.argmax())] if len(noise) else 0
    return Places(lng, lat, city, rural, centres, (float(lng[loneliest]), float(lat[loneliest])))


def country_of(city: int) -> str:
    return f"country {city % COUNTRIES:02d}"


def region_of(city: int) -> str:
    return f"region {city % (COUNTRIES * REGIONS_PER_COUNTRY):03d}"


def load_read_model(database_url: str, tenant: uuid.UUID, field: uuid.UUID, places: Places, seed: int) -> int:
    """COPYs the points and their values into ``map_point`` / ``map_value`` and the field's
    replica row; returns how many values it wrote."""
    rnd = np.random.default_rng(seed + 1)
    n = len(places.lng)
    is_entity = rnd.random(n) < ENTITY_SHARE
    word = rnd.integers(0, len(WORDS), n)
    place = rnd.integers(0, len(KINDS_OF_PLACE), n)
    value = rnd.integers(0, 1001, n)
    raw = np.frombuffer(rnd.bytes(16 * n), np.uint8).reshape(n, 16)
    ids = [uuid.UUID(bytes=row.tobytes(), version=4) for row in raw]
    values = 0
    with psycopg.connect(libpq_url(database_url)) as connection:
        columns = "id, tenant_id, kind, version, name, lng, lat, country, region, city, entity_id, addresses"
        with connection.cursor().copy(f"COPY map_point ({columns}, on_map) FROM STDIN") as copy:
            for i in range(n):
                city_index = int(places.city[i])
                city = "rural" if places.rural[i] else f"city {city_index:03d}"
                country, region = country_of(city_index), region_of(city_index)
                name = f"{WORDS[word[i]].title()} {KINDS_OF_PLACE[place[i]]} {i}"
                address: dict[str, Any] = {
                    "street": f"{i % 300} {WORDS[(word[i] + 7) % len(WORDS)]} road",
                    "city": city,
                    "region": region,
                    "country": country,
                }
                kind = "entity" if is_entity[i] else "asset"
                if kind == "entity":  # an entity is located at its address's coordinates
                    address |= {"long": float(places.lng[i]), "lat": float(places.lat[i])}
                copy.write_row(
                    (
                        ids[i], tenant, kind, 1, name, float(places.lng[i]), float(places.lat[i]),
                        country, region, city, ids[i] if kind == "entity" else None,
                        json.dumps([address]), True,
                    )
                )  # fmt: skip
        with connection.cursor().copy(
            "COPY map_value (field_id, subject_id, object_id, tenant_id, value, version) FROM STDIN"
        ) as copy:
            for i in np.flatnonzero(~is_entity).tolist():
                copy.write_row((field, ids[i], ids[i], tenant, float(value[i]), 1))
                values += 1
        connection.execute(
            "INSERT INTO heatmaps_field_replica (field_id, tenant_id, object_type, field_type, version)"
            " VALUES (%s, %s, 'asset', 'number', 1)",
            (field, tenant),
        )
        connection.commit()
    with psycopg.connect(libpq_url(database_url), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE map_point")
        connection.execute("VACUUM ANALYZE map_value")
    return values


# --- viewports ------------------------------------------------------------------------------


def _mercator(lng: float, lat: float) -> tuple[float, float]:
    lat = max(-MAX_MERCATOR_LAT, min(MAX_MERCATOR_LAT, lat))
    sine = math.sin(math.radians(lat))
    return (lng + 180) / 360, 0.5 - math.log((1 + sine) / (1 - sine)) / (4 * math.pi)


def _geographic(x: float, y: float) -> tuple[float, float]:
    return x * 360 - 180, math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y))))


def viewport(lng: float, lat: float, zoom: int) -> str:
    """The WKT box a 1920x1080 screen shows at ``zoom`` centred on (lng, lat), moved inside
    the world when it would cross its edge."""
    width, height = (px / (TILE_PX * 2**zoom) for px in VIEW_PX)
    x, y = _mercator(lng, lat)
    x = min(max(x, width / 2), 1 - width / 2)
    y = min(max(y, height / 2), 1 - height / 2)
    west, north = _geographic(x - width / 2, y - height / 2)
    east, south = _geographic(x + width / 2, y + height / 2)
    corners = [(west, south), (east, south), (east, north), (west, north), (west, south)]
    return "POLYGON((" + ", ".join(f"{a:.7f} {b:.7f}" for a, b in corners) + "))"


@dataclass(frozen=True)
class Case:
    label: str
    params: list[tuple[str, str]]


def cases_of(places: Places) -> list[Case]:
    dense = (float(places.centres[0, 0]), float(places.centres[0, 1]))
    found = [
        Case(f"z{zoom} {where}", [("zoom", str(zoom)), ("bound", viewport(*centre, zoom))])
        for zoom in ZOOMS
        for where, centre in (("dense city", dense), ("sparse area", places.sparse))
    ]
    dense_z12 = [("zoom", "12"), ("bound", viewport(*dense, 12))]
    dense_z3 = [("zoom", "3"), ("bound", viewport(*dense, 3))]
    found += [
        Case("z12 dense city, types[]=asset (subset)", [*dense_z12, ("types[]", "asset")]),
        Case(f"z12 dense city, keywords={KEYWORD} (subset)", [*dense_z12, ("keywords", KEYWORD)]),
        Case(f"z3 dense city, keywords={KEYWORD} (subset)", [*dense_z3, ("keywords", KEYWORD)]),
    ]
    return found


# --- the servers and the requests -----------------------------------------------------------


@contextlib.contextmanager
def heatmaps_server(database_url: str, nats_url: str, identity_url: str, log: Path) -> Iterator[str]:
    settings = {"DATABASE_URL": database_url, "NATS_URL": nats_url, **checked_by(identity_url)}
    with served("heatmaps", "heatmaps.app:create_app", settings, log) as url:
        yield url


@contextlib.contextmanager
def gateway_server(heatmaps_url: str, nats_url: str, identity_url: str, log: Path) -> Iterator[str]:
    """The gateway in front of this heatmaps service alone; no rate limit (one client sends
    thousands of requests)."""
    settings = {"NATS_URL": nats_url, "HEATMAPS_URL": heatmaps_url, "RATE_LIMIT_PER_MINUTE": "0"}
    with served(
        "the gateway", "gateway.app:create_app", {**settings, **checked_by(identity_url)}, log
    ) as url:
        yield url


def admin_headers(signer: Signer, keys: ClientKeys, tenant: uuid.UUID) -> dict[str, str]:
    """A system administrator's token (valid five minutes) with the tenant's client key."""
    claims = {
        "sub": str(uuid.uuid4()),
        "tid": str(tenant),
        "pid": str(uuid.uuid4()),
        "perms": [],
        "adm": True,
    }
    return {
        "Authorization": f"Bearer {signer.token(HeatmapsSettings(), **claims)}",
        "X-Client-Key": keys.key_of(tenant),
    }


def heatmap_metrics(field: uuid.UUID) -> list[dict[str, Any]]:
    return [
        {"field_id": None, "label": "Points", "ref": "number", "calc": "count", "ranges": None},
        {"field_id": str(field), "label": "Value", "ref": "size", "calc": "sum", "ranges": None},
    ]


def create_heatmap(gateway: str, headers: dict[str, str], field: uuid.UUID) -> str:
    body = {
        "name": "Bench heatmap",
        "description": "bench/heatmap_api.py",
        "type": "business",
        "owner_ids": [],
        "group_ids": [],
        "metrics": heatmap_metrics(field),
        "suspended_at": None,
    }
    made = httpx.post(f"{gateway}/heatmaps", json=body, headers=headers, timeout=30)
    if made.status_code != 201:
        raise RuntimeError(f"POST /heatmaps: {made.status_code} {made.text[:500]}")
    return str(made.json()["data"]["id"])


def first_answer(url: str, path: str, params: list[tuple[str, str]], headers: dict[str, str]) -> None:
    """Polls until the query answers 200 (the service's maps loaded)."""
    deadline = time.monotonic() + 600
    while True:
        with contextlib.suppress(httpx.HTTPError):
            answer = httpx.get(f"{url}{path}", params=tuple(params), headers=headers, timeout=120)
            if answer.status_code == 200:
                return
        if time.monotonic() > deadline:
            raise RuntimeError("the heatmaps service did not answer a query within 10 minutes")
        time.sleep(0.2)


@dataclass
class Measured:
    direct: Sample
    gateway: Sample
    pins: int = 0
    bytes: int = 0
    first_ms: float = math.nan  # the first request of the case (direct): a subset's build


def measure(
    service: str, gateway: str, path: str, chosen: list[Case], headers_of: Callable[[], dict[str, str]],
    *, requests: int, warmup: int,
) -> dict[str, Measured]:  # fmt: skip
    """Each case's request to the service and to the gateway in turn, so both see the same
    load on the shared cores."""
    found: dict[str, Measured] = {}
    with (
        httpx.Client(base_url=service, timeout=120) as direct,
        httpx.Client(base_url=gateway, timeout=120) as via,
    ):
        for case in chosen:
            headers = headers_of()
            measured = found[case.label] = Measured(Sample(), Sample())
            for i in range(warmup + requests):
                for http, sample in ((direct, measured.direct), (via, measured.gateway)):
                    started = time.perf_counter()
                    response = http.get(path, params=tuple(case.params), headers=headers)
                    took = time.perf_counter() - started
                    if i == 0 and http is direct:
                        measured.first_ms = took * 1000
                        answer = response.json()["data"][0] if response.status_code == 200 else None
                        measured.pins = len(answer["clusters"][0]["pins"]) if answer else 0
                        measured.bytes = len(response.content)
                    if response.status_code != 200:
                        sample.failures.append(f"{response.status_code} {response.text[:300]}")
                    elif i >= warmup:
                        sample.latencies.append(took)
    return found


# --- in this process: where the service's time goes -----------------------------------------


async def tenant_map_of(database_url: str) -> TenantMap:
    """The map the service holds, from the same rows, as the feed's first pass reads them."""
    engine = create_async_engine(database_url)
    found = TenantMap()
    async with AsyncSession(engine) as session:
        async for chunk in map_points.points_since(session, "0"):
            found.stage(point for _tenant, point in chunk)
        found.build()
        async for values in map_points.values_since(session, "0"):
            for v in values:
                found.apply_value(v.field_id, v.subject_id, v.object_id, v.value, v.version)
    await engine.dispose()
    return found


@dataclass
class Split:
    query_ms: float
    answer_ms: float
    encode_ms: float
    pins: int

    @property
    def total_ms(self) -> float:
        return self.query_ms + self.answer_ms + self.encode_ms


def _median_ms(run: Callable[[], object], reps: int) -> float:
    times = []
    for _ in range(reps):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def split_of(tenant_map: TenantMap, case: Case, field: uuid.UUID, reps: int) -> Split:
    wanted = parse_map_request(QueryParams(case.params))
    view = MapView(
        zoom=wanted.zoom,
        bbox=wanted.bbox,
        shape=wanted.shape,
        group_type=wanted.group_type,
        kinds=wanted.kinds,
        reach={"asset": EVERYWHERE, "entity": EVERYWHERE},  # a system administrator's
        keywords=wanted.keywords,
        query=wanted.query,
        datazones=wanted.datazones,
        items_below=wanted.items_below,
        options=wanted.options,
        metrics=metrics_of(heatmap_metrics(field)),
    )
    entries = tenant_map.query(view)  # a subset's index is built here, outside the timing
    answer = map_answer(wanted, entries)
    return Split(
        query_ms=_median_ms(lambda: tenant_map.query(view), reps),
        answer_ms=_median_ms(lambda: map_answer(wanted, entries), reps),
        encode_ms=_median_ms(lambda: JSON({"data": [answer], "warnings": []}).body, reps),
        pins=len(entries[0].pins),
    )


# --- the report -----------------------------------------------------------------------------


def table(
    n: int, requests: int, measured: dict[str, Measured], splits: dict[str, Split], load_s: float
) -> str:
    lines = [
        f"### {n:,} points in one tenant, {requests} requests per case, c=1; service start-up "
        f"(process start to first query answered): {load_s:.1f} s",
        "",
        "| viewport | pins | KB | gateway p50 | gateway p99 | direct p50 | direct p99 | first (direct) "
        "| in-process: query / answer / encode ms | encode share of direct p50 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for label, m in measured.items():
        s = splits.get(label)
        parts = f"{s.query_ms:.1f} / {s.answer_ms:.1f} / {s.encode_ms:.1f}" if s else ""
        share = f"{100 * s.encode_ms / m.direct.percentile(50):.0f} %" if s else ""
        failed = len(m.direct.failures) + len(m.gateway.failures)
        lines.append(
            f"| {label}{f' ({failed} failed)' if failed else ''} | {m.pins} | {m.bytes / 1024:.0f} "
            f"| {m.gateway.percentile(50):.1f} | {m.gateway.percentile(99):.1f} "
            f"| {m.direct.percentile(50):.1f} | {m.direct.percentile(99):.1f} | {m.first_ms:.0f} "
            f"| {parts} | {share} |"
        )
    over = [
        (label, m.gateway.percentile(50)) for label, m in measured.items() if m.gateway.percentile(50) > 50
    ]
    lines.append("")
    lines.append(
        "goal p50 <= 50 ms through the gateway: "
        + (
            "met by every case"
            if not over
            else "missed by " + "; ".join(f"{lb} (+{p - 50:.0f} ms)" for lb, p in over)
        )
    )
    lines.append(
        "in-process shares (encode / (query + answer + encode)): "
        + ", ".join(f"{label} {100 * s.encode_ms / s.total_ms:.0f} %" for label, s in splits.items())
    )
    for label, m in measured.items():
        lines += [f"    {label}: {failure}" for failure in (m.direct.failures + m.gateway.failures)[:2]]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--requests", type=int, default=40, help="measured requests per case and server")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--reps", type=int, default=10, help="in-process repetitions per part")
    parser.add_argument("--only", default="", help="run only the cases whose label contains this")
    parser.add_argument("--keep", action="store_true", help="keep the database (its name is printed)")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, {platform.python_implementation()} {platform.python_version()}")
    signer, keys = Signer(), ClientKeys()
    tenant, field = uuid.uuid4(), uuid.uuid4()
    places = draw_places(args.points, args.seed)
    chosen = [c for c in cases_of(places) if args.only in c.label]
    measured: dict[str, Measured] = {}
    # NATS of its own: a shared server's durable consumers would hand this service other
    # processes' messages.
    with (
        tempfile.TemporaryDirectory(prefix="proximity-bench-") as tmp,
        postgres_server() as server,
        embedded_nats(Path(tmp) / "nats") as nats,
    ):
        name = f"bench_heatmap_api_{uuid.uuid4().hex[:8]}"
        database_url = ensure_database(server, name)
        try:
            upgrade("heatmaps", database_url)
            started = time.perf_counter()
            values = load_read_model(database_url, tenant, field, places, args.seed)
            print(
                f"COPYed {args.points:,} points and {values:,} values"
                f" in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
            with stand_in_identity(signer, keys) as identity:
                started = time.perf_counter()
                with (
                    heatmaps_server(database_url, nats, identity, Path(tmp) / "heatmaps.log") as service,
                    gateway_server(service, nats, identity, Path(tmp) / "gateway.log") as gateway,
                ):
                    heatmap = create_heatmap(gateway, admin_headers(signer, keys, tenant), field)
                    path = QUERY_PATH.format(id=heatmap)
                    first_answer(service, path, chosen[0].params, admin_headers(signer, keys, tenant))
                    load_s = time.perf_counter() - started
                    print(f"service up and its maps loaded in {load_s:.1f} s", flush=True)
                    measured = measure(
                            service, gateway, path, chosen, lambda: admin_headers(signer, keys, tenant),
                            requests=args.requests, warmup=args.warmup,
                        )  # fmt: skip
            started = time.perf_counter()
            tenant_map = asyncio.run(tenant_map_of(database_url))
            print(f"this process's TenantMap loaded in {time.perf_counter() - started:.1f} s", flush=True)
            splits = {c.label: split_of(tenant_map, c, field, args.reps) for c in chosen}
            print(table(args.points, args.requests, measured, splits, load_s), flush=True)
        finally:
            if args.keep:
                print(f"kept database {name}")
            else:
                drop_database(server, name)
    failed = any(m.direct.failures or m.gateway.failures for m in measured.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
