"""``GET /assets`` and ``GET /search/locations`` at the assets service directly, over a
bulk-loaded tenant: p50/p95 per case, and with ``--explain`` the plan of each case's statements.

Creates a fresh database on the PostgreSQL server ``DATABASE_URL`` names (else an embedded
one), migrates it, provisions a tenant as ``identity.tenant.created`` does, bulk-loads assets
into it (``asset_list_load``), VACUUM ANALYZEs, starts a stand-in identity in this process (the
JWKS and client keys of ``services/assets/tests/integration/assets_support.py``: assets
verifies tokens with identity's JWKS and resolves client keys there) and the assets service
alone (uvicorn in a child process, with an embedded NATS of its own), and sends each case's
request one at a time (concurrency 1: latency without queueing) with a system administrator's
token. Repeats at each size, growing the same tenant. ``--gateway`` also starts the gateway in
front of it and alternates each case's requests between the service and the gateway; ``--base``
does the same between this service and one started from another tree of the repository.

    .venv/bin/python bench/asset_list.py                                   # 10,000 then 100,000
    .venv/bin/python bench/asset_list.py --sizes 100000 --only keywords --explain
    .venv/bin/python bench/asset_list.py --sizes 10000,100000,1000000 --explain  # 1M: one case a shape
    .venv/bin/python bench/asset_list.py --sizes 100000 --gateway --only "+name"  # what the gateway adds
    git archive <commit> | tar -x -C /tmp/base
    .venv/bin/python bench/asset_list.py --sizes 100000 --base /tmp/base        # before vs after

The load generator shares the machine with PostgreSQL and the service; figures are a floor.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import platform
import re
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(REPO / "services/assets/tests/integration"))

from assets_support import ClientKeys, Signer  # type: ignore[import-not-found]  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine  # noqa: E402

from asset_list_load import CITIES, COUNTRY_BOX, load_assets  # type: ignore[import-not-found]  # noqa: E402
from assets.config import AssetsSettings  # noqa: E402
from assets.repositories.asset_types import provision_standard_types  # noqa: E402
from assets.repositories.entity_catalogues import provision_entity_catalogues  # noqa: E402
from assets.repositories.layouts import provision_default_layouts  # noqa: E402
from bench_servers import checked_by, served, stand_in_identity  # type: ignore[import-not-found]  # noqa: E402
from list_requests import Sample, measure, report  # type: ignore[import-not-found]  # noqa: E402
from proximity.db.migrate import upgrade  # noqa: E402
from proximity.devstack.embedded import drop_database, embedded_nats, ensure_database, libpq_url  # noqa: E402
from proximity.testing.servers import postgres_server  # noqa: E402

SORTS = [
    "name",
    "description",
    "type",
    "entity_name",
    "total_contracts",
    "total_parties",
    "created",
    "updated",
]


@dataclass(frozen=True)
class Case:
    label: str
    path: str
    params: list[tuple[str, str]]
    cursor: bool = False  # follow page 1's next_cursor and measure page 2
    shape: bool = True  # in the reduced set (one case per kind of query)


def polygon(lat: float, long: float, radius_lat: float, vertices: int = 16) -> str:
    """A round WKT area of ``radius_lat`` degrees of latitude around a point (wider in
    longitude by 1/cos(lat), so it is round on the ground)."""
    stretch = 1 / math.cos(math.radians(lat))
    points = [
        (
            long + radius_lat * stretch * math.cos(2 * math.pi * i / vertices),
            lat + radius_lat * math.sin(2 * math.pi * i / vertices),
        )
        for i in range(vertices)
    ]
    points.append(points[0])
    return "POLYGON((" + ", ".join(f"{x:.5f} {y:.5f}" for x, y in points) + "))"


def city_bound(name: str, radius_lat: float) -> str:
    _, lat, long, _, _ = next(c for c in CITIES if c[0] == name)
    return polygon(lat, long, radius_lat)


def country_bound() -> str:
    min_long, min_lat, max_long, max_lat = COUNTRY_BOX
    corners = [(min_long, min_lat), (max_long, min_lat), (max_long, max_lat), (min_long, max_lat)]
    return "POLYGON((" + ", ".join(f"{x} {y}" for x, y in [*corners, corners[0]]) + "))"


def cases(database_url: str, tenant: uuid.UUID) -> list[Case]:
    """Every sort both ways with keywords and each filter; ids[], the plain list, page 2 by
    cursor; location search by a city, a big city, the country, two cities, a city and keywords."""
    with psycopg.connect(libpq_url(database_url)) as connection:

        def first(query: str) -> str:
            row = connection.execute(query, {"tenant": tenant}).fetchone()
            return str(row[0]) if row else str(uuid.uuid4())

        building = first("SELECT id FROM asset_types WHERE tenant_id = %(tenant)s AND key = 'building'")
        # A floor (three units under it) and the entity and party with the most live assets.
        floor = first(
            "SELECT parent_id FROM assets WHERE tenant_id = %(tenant)s AND name LIKE 'Suite%%' "
            "AND deleted_at IS NULL ORDER BY id LIMIT 1"
        )
        entity = first(
            "SELECT id FROM entities WHERE tenant_id = %(tenant)s ORDER BY total_assets DESC LIMIT 1"
        )
        party = first(
            "SELECT party_id FROM asset_parties WHERE tenant_id = %(tenant)s "
            "GROUP BY party_id ORDER BY count(*) DESC LIMIT 1"
        )
        ids = [
            str(r[0])
            for r in connection.execute(
                "SELECT id FROM assets WHERE tenant_id = %(tenant)s ORDER BY md5(id::text) LIMIT 20",
                {"tenant": tenant},
            )
        ]
    # Each filter with a keyword that matches within it.
    filters: list[tuple[str, list[tuple[str, str]]]] = [
        ("keywords=park", [("keywords", "park")]),
        ("keywords=park type_id", [("keywords", "park"), ("type_id", building)]),
        ("keywords=suite parent_id", [("keywords", "suite"), ("parent_id", floor)]),
        ("keywords=suite entity_id", [("keywords", "suite"), ("entity_id", entity)]),
        ("keywords=suite party_id", [("keywords", "suite"), ("party_id", party)]),
        ("keywords=suite exclude_containers", [("keywords", "suite"), ("exclude_containers", "true")]),
    ]
    found: list[Case] = []
    for label, params in filters:
        for sort in SORTS:
            for sign in "+-":
                shape = sort == "name" and sign == "+"
                found.append(
                    Case(
                        f"{label} sort={sign}{sort}",
                        "/assets",
                        [*params, ("sort", f"{sign}{sort}")],
                        shape=shape,
                    )
                )
    found += [
        Case("plain list (+name)", "/assets", []),
        *(
            Case(f"plain sort={sign}{sort}", "/assets", [("sort", f"{sign}{sort}")], shape=False)
            for sort in SORTS
            for sign in "+-"
        ),
        Case("keywords=zanzibar (rare)", "/assets", [("keywords", "zanzibar")]),
        Case("keywords=oak court (two words)", "/assets", [("keywords", "oak court")]),
        Case("include[]=stats", "/assets", [("include[]", "stats")]),
        Case("ids[] x20", "/assets", [("ids[]", i) for i in ids]),
        Case("page 2 by cursor (+name)", "/assets", [], cursor=True),
        Case("page 2 by cursor (-created)", "/assets", [("sort", "-created")], cursor=True),
        Case(
            "page 2 by cursor (keywords=suite -updated)",
            "/assets",
            [("keywords", "suite"), ("sort", "-updated")],
            cursor=True,
        ),
        Case("by id (GET /assets/{id})", f"/assets/{ids[0]}", []),
    ]
    bristol = city_bound("bristol", 0.1)
    search = "/search/locations"
    found += [
        Case("city bound (bristol) assets", search, [("bound[]", bristol), ("types[]", "asset")]),
        Case("city bound (bristol) assets+entities", search, [("bound[]", bristol)]),
        Case(
            "city bound (york) assets", search, [("bound[]", city_bound("york", 0.06)), ("types[]", "asset")]
        ),
        Case(
            "big city bound (london) assets",
            search,
            [("bound[]", city_bound("london", 0.2)), ("types[]", "asset")],
        ),
        Case("country bound assets", search, [("bound[]", country_bound()), ("types[]", "asset")]),
        Case(
            "two bounds (bristol, cardiff) assets",
            search,
            [("bound[]", bristol), ("bound[]", city_bound("cardiff", 0.1)), ("types[]", "asset")],
        ),
        Case(
            "bound + keywords=station (bristol) assets",
            search,
            [("bound[]", bristol), ("keywords", "station"), ("types[]", "asset")],
        ),
    ]
    return found


@contextlib.contextmanager
def assets_server(database_url: str, nats_url: str, identity_url: str, log: Path) -> Iterator[str]:
    settings = {"DATABASE_URL": database_url, "NATS_URL": nats_url, **checked_by(identity_url)}
    with served("assets", "assets.app:create_app", settings, log) as url:
        yield url


@contextlib.contextmanager
def gateway_server(assets_url: str, nats_url: str, identity_url: str, log: Path) -> Iterator[str]:
    """The gateway in front of this assets service alone, checking callers with the same
    stand-in identity; no rate limit (the benchmark is one client sending thousands)."""
    settings = {"NATS_URL": nats_url, "ASSETS_URL": assets_url, "RATE_LIMIT_PER_MINUTE": "0"}
    with served(
        "the gateway", "gateway.app:create_app", {**settings, **checked_by(identity_url)}, log
    ) as url:
        yield url


def measure_pair(
    first: str, second: str, all_cases: list[Case], headers_of: Any, *, requests: int, warmup: int
) -> dict[str, tuple[Sample, Sample]]:
    """Each case's request to two servers in turn (the service and the gateway in front of it,
    or two versions of the service), so both see the same load on the shared cores."""
    pairs: dict[str, tuple[Sample, Sample]] = {}
    with (
        httpx.Client(base_url=first, timeout=60) as to_service,
        httpx.Client(base_url=second, timeout=60) as via,
    ):
        for case in all_cases:
            headers = headers_of()
            params = list(case.params)
            if case.cursor:
                first = to_service.get(case.path, params=params, headers=headers).json()
                params.append(("cursor", first["pagination"]["next_cursor"]))
            pair = pairs.setdefault(case.label, (Sample(), Sample()))
            for i in range(warmup + requests):
                for http, sample in zip((to_service, via), pair, strict=True):
                    started = time.perf_counter()
                    response = http.get(case.path, params=params, headers=headers)
                    took = time.perf_counter() - started
                    if response.status_code != 200:
                        sample.failures.append(f"{response.status_code} {response.text[:300]}")
                    elif i >= warmup:
                        sample.latencies.append(took)
    return pairs


def pair_report(title: str, names: tuple[str, str], pairs: dict[str, tuple[Sample, Sample]]) -> str:
    lines = [title, f"{'case':<58}{names[0]:>9}{names[1]:>9}{'added':>8}{'failed':>7}"]
    for label, (direct, via) in pairs.items():
        added = via.percentile(50) - direct.percentile(50)
        failed = len(direct.failures) + len(via.failures)
        lines.append(
            f"{label:<58}{direct.percentile(50):>9.2f}{via.percentile(50):>9.2f}{added:>8.2f}{failed:>7}"
        )
        lines += [f"    {failure}" for failure in (direct.failures + via.failures)[:2]]
    return "\n".join(lines)


def admin_headers(
    signer: Signer, keys: ClientKeys, settings: AssetsSettings, tenant: uuid.UUID
) -> dict[str, str]:
    """A system administrator's token (valid five minutes) with the tenant's client key."""
    claims = {
        "sub": str(uuid.uuid4()),
        "tid": str(tenant),
        "pid": str(uuid.uuid4()),
        "perms": [],
        "adm": True,
    }
    return {
        "Authorization": f"Bearer {signer.token(settings, **claims)}",
        "X-Client-Key": keys.key_of(tenant),
    }


# --- plans: the service's own statements, captured as it runs them, then EXPLAIN ANALYZEd ---

_PLAN_NODE = re.compile(
    r"(Index Only Scan|Index Scan|Bitmap Index Scan|Bitmap Heap Scan|Seq Scan|CTE Scan|Sort|Limit|Nested Loop"
    r"|Hash Join|Merge Join|BitmapAnd|BitmapOr)( Backward)?(?: using (\w+))?(?: on (\w+))?"
)


def plan_summary(plan: list[str]) -> str:
    """The scans and sorts of a plan in order, e.g. ``Index Scan Backward ix_assets_list_name``,
    then the execution time."""
    nodes: list[str] = []
    for line in plan:
        match = _PLAN_NODE.search(line) if "(cost=" in line else None
        if match and match.group(1) not in ("Limit", "Nested Loop"):
            kind, backward, index, table = match.groups()
            rows = re.search(r"actual time=[\d.]+\.\.[\d.]+ rows=(\d+)", line)
            name = index or table or ""
            nodes.append(
                f"{kind}{backward or ''} {name}".strip() + (f" ({rows.group(1)} rows)" if rows else "")
            )
    took = next((line.strip() for line in plan if "Execution Time" in line), "")
    return "; ".join(nodes) + f" | {took}"


async def explain_cases(database_url: str, tenant: uuid.UUID, chosen: list[Case], out: Path) -> list[str]:
    """Runs each case's use case in this process on an engine that records the SQL the service
    sends, then EXPLAIN (ANALYZE, BUFFERS) each statement with its parameters."""
    from sqlalchemy import event
    from starlette.datastructures import QueryParams

    from assets.repositories import location_search
    from assets.repositories.asset_list import SORTS as LIST_SORTS
    from assets.repositories.asset_list import AssetFilter, list_page
    from assets.search.keyword_query import compiled_tsquery
    from proximity.db.listing import MAX_OFFSET
    from proximity.geo import checked_area
    from proximity.http.list_query import parse_list_query

    engine = create_async_engine(database_url)
    recorded: list[tuple[str, Any]] = []

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if not statement.lstrip().upper().startswith("EXPLAIN"):
            recorded.append((statement, parameters))

    summaries: list[str] = []
    with out.open("w") as plans:
        for case in chosen:
            if case.cursor or case.path not in ("/assets", "/search/locations"):
                continue
            recorded.clear()
            async with AsyncSession(engine) as session:
                params = QueryParams(case.params)
                if case.path == "/assets":
                    listing = parse_list_query(
                        params,
                        sortable=LIST_SORTS,
                        default_sort="+name",
                        includes=("stats",),
                        max_offset=MAX_OFFSET,
                    )
                    filters = AssetFilter(
                        ids=listing.ids,
                        keywords=listing.keywords,
                        type_id=uuid.UUID(params["type_id"]) if "type_id" in params else None,
                        parent_id=uuid.UUID(params["parent_id"]) if "parent_id" in params else None,
                        party_id=uuid.UUID(params["party_id"]) if "party_id" in params else None,
                        entity_id=uuid.UUID(params["entity_id"]) if "entity_id" in params else None,
                        exclude_containers=params.get("exclude_containers") == "true",
                    )
                    await list_page(session, tenant, filters, listing)
                else:
                    bounds = [checked_area(b) for b in params.getlist("bound[]")]
                    keywords = params.get("keywords")
                    tsquery = compiled_tsquery(keywords) if keywords else None
                    await location_search.assets_in(
                        session, tenant, [b.bounds for b in bounds], tsquery, 4000
                    )
                statements = list(recorded)
                plans.write(f"### {case.label}\n")
                parts = []
                for statement, parameters in statements:
                    result = await session.connection()
                    rows = await result.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                    plan = [row[0] for row in rows]
                    plans.write(statement + "\n" + "\n".join(plan) + "\n\n")
                    parts.append(plan_summary(plan))
                summaries.append(f"{case.label}\n    " + "\n    ".join(parts))
    await engine.dispose()
    return summaries


async def provision(database_url: str, tenant: uuid.UUID) -> None:
    engine = create_async_engine(database_url)
    async with AsyncSession(engine) as session:
        await provision_standard_types(session, tenant)
        await provision_entity_catalogues(session, tenant)
        await provision_default_layouts(session, tenant)
        await session.commit()
    await engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated asset counts, ascending")
    parser.add_argument("--requests", type=int, default=30, help="measured requests per case")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", default="", help="run only the cases whose label contains this")
    parser.add_argument(
        "--reduced-from", type=int, default=1_000_000, help="from this size on, one case per kind of query"
    )
    parser.add_argument("--explain", action="store_true", help="also EXPLAIN ANALYZE each case's statements")
    parser.add_argument(
        "--gateway",
        action="store_true",
        help="also the reduced set direct vs through the gateway, alternating",
    )
    parser.add_argument(
        "--base", type=Path, help="also every case against the service from this tree (git archive <commit>)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database (its name is printed)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {os.cpu_count()} CPUs, {platform.python_implementation()} {platform.python_version()}")
    failed = False
    signer, keys = Signer(), ClientKeys()
    settings = AssetsSettings()
    tenant = uuid.uuid4()
    # NATS of its own: a shared server's durable consumers would hand this service other
    # processes' messages.
    with (
        tempfile.TemporaryDirectory(prefix="proximity-bench-") as tmp,
        postgres_server() as server,
        embedded_nats(Path(tmp) / "nats") as nats,
    ):
        name = f"bench_asset_list_{uuid.uuid4().hex[:8]}"
        database_url = ensure_database(server, name)
        try:
            upgrade("assets", database_url)
            asyncio.run(provision(database_url, tenant))
            with (
                stand_in_identity(signer, keys) as identity,
                assets_server(database_url, nats, identity, Path(tmp) / "assets.log") as base,
            ):
                for size in sizes:
                    started = time.perf_counter()
                    load_assets(database_url, tenant, size)
                    print(
                        f"\nloaded {size} assets and analyzed in {time.perf_counter() - started:.1f} s",
                        flush=True,
                    )
                    chosen = [
                        c
                        for c in cases(database_url, tenant)
                        if args.only in c.label and (c.shape or size < args.reduced_from)
                    ]
                    samples = measure(
                        base,
                        chosen,
                        lambda: admin_headers(signer, keys, settings, tenant),
                        requests=args.requests,
                        warmup=args.warmup,
                    )
                    failed = failed or any(s.failures for s in samples.values())
                    print(
                        report(
                            f"assets directly, {size} assets in one tenant, "
                            f"{args.requests} requests per case, c=1",
                            samples,
                            width=58,
                        ),
                        flush=True,
                    )
                    if args.gateway:
                        with gateway_server(base, nats, identity, Path(tmp) / "gateway.log") as gateway:
                            pairs = measure_pair(
                                base,
                                gateway,
                                [c for c in chosen if c.shape],
                                lambda: admin_headers(signer, keys, settings, tenant),
                                requests=args.requests,
                                warmup=args.warmup,
                            )
                        failed = failed or any(a.failures or b.failures for a, b in pairs.values())
                        title = f"direct vs through the gateway, {size} assets, {args.requests} requests each"
                        print(pair_report(title, ("direct", "gateway"), pairs), flush=True)
                    if args.base is not None:
                        # The child imports the base tree first: PYTHONPATH comes before the
                        # editable installs. The database keeps this tree's migrations.
                        base_path = os.pathsep.join(
                            str(args.base / p) for p in ("libs/src", "services/assets/src")
                        )
                        os.environ["PYTHONPATH"] = base_path
                        try:
                            older = assets_server(database_url, nats, identity, Path(tmp) / "base.log")
                            with older as base_url:
                                pairs = measure_pair(
                                    base_url,
                                    base,
                                    chosen,
                                    lambda: admin_headers(signer, keys, settings, tenant),
                                    requests=args.requests,
                                    warmup=args.warmup,
                                )
                        finally:
                            del os.environ["PYTHONPATH"]
                        failed = failed or any(a.failures or b.failures for a, b in pairs.values())
                        title = f"{args.base} vs this tree, {size} assets, {args.requests} requests each"
                        print(pair_report(title, ("base", "this"), pairs), flush=True)
                    if args.explain:
                        out = Path(tempfile.gettempdir()) / f"asset_list_plans_{size}.txt"
                        summaries = asyncio.run(explain_cases(database_url, tenant, chosen, out))
                        print(f"\nplans at {size} (full text in {out}):\n" + "\n".join(summaries), flush=True)
        finally:
            if args.keep:
                print(f"kept database {name}")
            else:
                drop_database(server, name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
