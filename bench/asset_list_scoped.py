"""``GET /assets`` (and ``/assets/{id}``, ``/search/locations``) for users scoped to datazones,
over 100,000 bulk-loaded assets: p50/p95 per case, against the same lists for a system
administrator and for a user whose permissions come from the token alone.

Builds what ``asset_list.py`` builds (a fresh migrated database on ``DATABASE_URL``'s server or
an embedded one, a provisioned tenant, ``asset_list_load``'s assets around 24 British cities, a
stand-in identity, the assets service alone under uvicorn), then applies iam's events in this
process through the service's own handlers (``assets.services.territories``), as its consumers
would: datazones around Bristol (10 km), Leeds (8 km) and London (15 km), each recomputing the
tenant's assets (its time is printed), and the grants of four users: Bristol only, Bristol and
Leeds, London, and a territory with no live zone. Requests go one at a time (c=1).

    .venv/bin/python bench/asset_list_scoped.py
    .venv/bin/python bench/asset_list_scoped.py --size 100000 --requests 50 --explain --keep
    .venv/bin/python bench/asset_list_scoped.py --reuse bench_asset_scoped_1a2b3c4d --explain  # kept one

Target: p50 <= 15 ms for a scoped user's list. The load generator shares the machine with
PostgreSQL and the service; figures are a floor.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
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

from asset_list import assets_server, city_bound, plan_summary, provision  # type: ignore[import-not-found]  # noqa: E402
from asset_list_load import CITIES, load_assets  # type: ignore[import-not-found]  # noqa: E402
from assets.config import AssetsSettings  # noqa: E402
from assets.services.territories import apply_datazone_event, apply_permissions_event  # noqa: E402
from bench_servers import stand_in_identity  # type: ignore[import-not-found]  # noqa: E402
from list_requests import Sample  # type: ignore[import-not-found]  # noqa: E402
from proximity.db.migrate import upgrade  # noqa: E402
from proximity.devstack.embedded import drop_database, embedded_nats, ensure_database, libpq_url  # noqa: E402
from proximity.events.envelope import Event  # noqa: E402
from proximity.testing.servers import postgres_server  # noqa: E402

ZONES = {"bristol": 10_000, "leeds": 8_000, "london": 15_000}  # city: radius in metres
VIEW = ["assets.view", "entities.view"]


USERS = ("admin", "token only", "bristol", "bristol+leeds", "london", "no live zone")


@dataclass(frozen=True)
class Shape:
    """One request, sent by each of ``users`` in turn (alternating, so all see the same load)."""

    label: str
    path: str
    params: list[tuple[str, str]]
    users: tuple[str, ...] = USERS
    cursor: bool = False


def zone_event(tenant: uuid.UUID, zone: uuid.UUID, city: str, radius: int) -> Event:
    _, lat, long, _, _ = next(c for c in CITIES if c[0] == city)
    return Event(
        type="iam.datazone.created",
        tenant_id=tenant,
        aggregate_id=str(zone),
        version=1,
        data={
            "contract": 1,
            "id": str(zone),
            "name": city,
            "type": "geo",
            "is_dynamic": True,
            "geozones": [{"id": str(uuid.uuid4()), "name": city, "lat": lat, "long": long, "radius": radius}],
        },
    )


def grants_event(tenant: uuid.UUID, party: uuid.UUID, zones: list[uuid.UUID]) -> Event:
    entries = [
        {"op_group_id": str(uuid.uuid4()), "permissions": VIEW, "datazone_ids": [str(z) for z in zones]},
        # Groups without view, over other zones: a realistic user is in several.
        *(
            {"op_group_id": str(uuid.uuid4()), "permissions": ["assets.update"], "datazone_ids": [str(z)]}
            for z in zones
        ),
    ]
    return Event(
        type="iam.permissions.updated",
        tenant_id=tenant,
        aggregate_id=str(party),
        version=1,
        data={"contract": 1, "party_id": str(party), "user_id": None, "permissions": entries},
    )


async def apply_iam(
    database_url: str, tenant: uuid.UUID, parties: dict[str, uuid.UUID]
) -> dict[str, uuid.UUID]:
    """The datazones (each recomputing the tenant's assets, timed) and the users' grants."""
    engine = create_async_engine(database_url)
    zones: dict[str, uuid.UUID] = {}
    for city, radius in ZONES.items():
        zones[city] = uuid.uuid4()
        started = time.perf_counter()
        async with AsyncSession(engine) as session, session.begin():
            await apply_datazone_event(session, zone_event(tenant, zones[city], city, radius))
        took = time.perf_counter() - started
        print(f"datazone {city} ({radius} m) applied and assets recomputed in {took:.2f} s")
    scopes = {
        "bristol": [zones["bristol"]],
        "bristol+leeds": [zones["bristol"], zones["leeds"]],
        "london": [zones["london"]],
        "no live zone": [],
    }
    async with AsyncSession(engine) as session, session.begin():
        for name, reach in scopes.items():
            await apply_permissions_event(session, grants_event(tenant, parties[name], reach))
    await engine.dispose()
    return zones


def headers(
    signer: Signer,
    keys: ClientKeys,
    settings: AssetsSettings,
    tenant: uuid.UUID,
    party: uuid.UUID | None,
    *,
    admin: bool = False,
) -> dict[str, str]:
    claims: dict[str, Any] = {
        "sub": str(uuid.uuid4()),
        "tid": str(tenant),
        "pid": str(party or uuid.uuid4()),
        "perms": [*VIEW, "assets.update"],
        "adm": admin,
    }
    return {
        "Authorization": f"Bearer {signer.token(settings, **claims)}",
        "X-Client-Key": keys.key_of(tenant),
    }


def counts(database_url: str, tenant: uuid.UUID, zones: dict[str, uuid.UUID]) -> dict[str, Any]:
    with psycopg.connect(libpq_url(database_url)) as connection:
        found: dict[str, Any] = {}
        for city, zone in zones.items():
            row = connection.execute(
                "SELECT count(*), min(id::text) FROM assets WHERE tenant_id = %s AND %s = ANY(datazone_ids) "
                "AND deleted_at IS NULL",
                (tenant, zone),
            ).fetchone()
            assert row is not None
            found[city] = row
        return found


def shapes(in_bristol: str) -> list[Shape]:
    bristol = [("bound[]", city_bound("bristol", 0.1)), ("types[]", "asset")]
    return [
        Shape("plain list (+name)", "/assets", []),
        Shape("sort=-created", "/assets", [("sort", "-created")]),
        Shape("keywords=park", "/assets", [("keywords", "park")]),
        Shape("page 2 by cursor (+name)", "/assets", [], USERS[:-1], cursor=True),
        Shape("keywords=suite sort=-updated", "/assets", [("keywords", "suite"), ("sort", "-updated")]),
        Shape(
            "GET /assets/{id} (in bristol)", f"/assets/{in_bristol}", [], ("admin", "token only", "bristol")
        ),
        Shape(
            "location search (bristol bound)", "/search/locations", bristol, ("admin", "bristol", "london")
        ),
    ]


def measure_shapes(
    base: str, chosen: list[Shape], headers_of: Callable[[str], dict[str, str]], *, requests: int, warmup: int
) -> dict[str, dict[str, Sample]]:
    """Per shape, per user: each round sends the shape once as every user, in turn."""
    found: dict[str, dict[str, Sample]] = {}
    with httpx.Client(base_url=base, timeout=60) as http:
        for shape in chosen:
            by_user = found.setdefault(shape.label, {user: Sample() for user in shape.users})
            prepared = {}
            for user in shape.users:
                headers, params = headers_of(user), list(shape.params)
                if shape.cursor:
                    first = http.get(shape.path, params=params, headers=headers).json()
                    params.append(("cursor", first["pagination"]["next_cursor"]))
                prepared[user] = (headers, params)
            for i in range(warmup + requests):
                for user, (headers, params) in prepared.items():
                    started = time.perf_counter()
                    response = http.get(shape.path, params=params, headers=headers)
                    took = time.perf_counter() - started
                    sample = by_user[user]
                    if response.status_code != 200:
                        sample.failures.append(f"{response.status_code} {response.text[:200]}")
                    elif i >= warmup:
                        sample.latencies.append(took)
                        if sample.found is None:
                            body = response.json()
                            total = body.get("pagination", {}).get("total")
                            data = body["data"]
                            sample.found = (
                                total if total is not None else (len(data) if isinstance(data, list) else 1)
                            )
    return found


def table(title: str, found: dict[str, dict[str, Sample]]) -> str:
    """p50 ms (found) per shape and user."""
    lines = [title, f"{'case':<34}" + "".join(f"{user:>17}" for user in USERS)]
    for label, by_user in found.items():
        cells = []
        for user in USERS:
            sample = by_user.get(user)
            if sample is None:
                cells.append(f"{'':>17}")
            elif sample.failures:
                cells.append(f"{'failed ' + str(len(sample.failures)):>17}")
            else:
                cells.append(f"{sample.percentile(50):>9.2f} ({sample.found!s:>5})")
        lines.append(f"{label:<34}" + "".join(cells))
    return "\n".join(lines)


async def explain(database_url: str, tenant: uuid.UUID, zones: dict[str, uuid.UUID]) -> list[str]:
    """The list's statements for each scope, as the service sends them, EXPLAIN ANALYZEd."""
    from sqlalchemy import event
    from starlette.datastructures import QueryParams

    from assets.repositories.asset_list import SORTS as LIST_SORTS
    from assets.repositories.asset_list import AssetFilter, list_page
    from proximity.db.listing import MAX_OFFSET
    from proximity.http.list_query import parse_list_query

    engine = create_async_engine(database_url)
    recorded: list[tuple[str, Any]] = []

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if not statement.lstrip().upper().startswith("EXPLAIN"):
            recorded.append((statement, parameters))

    scopes: dict[str, frozenset[uuid.UUID] | None] = {
        "admin": None,
        "bristol": frozenset({zones["bristol"]}),
        "bristol+leeds": frozenset({zones["bristol"], zones["leeds"]}),
        "london": frozenset({zones["london"]}),
    }
    shapes = [
        [],
        [("sort", "-created")],
        [("keywords", "park")],
        [("keywords", "suite"), ("sort", "-updated")],
    ]
    summaries = []
    for scope, reach in scopes.items():
        for params in shapes:
            listing = parse_list_query(
                QueryParams(params),
                sortable=LIST_SORTS,
                default_sort="+name",
                includes=("stats",),
                max_offset=MAX_OFFSET,
            )
            recorded.clear()
            async with AsyncSession(engine) as session:
                await list_page(session, tenant, AssetFilter(keywords=listing.keywords, zones=reach), listing)
                parts = []
                for statement, parameters in list(recorded):
                    connection = await session.connection()
                    rows = await connection.exec_driver_sql(
                        "EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters
                    )
                    parts.append(plan_summary([row[0] for row in rows]))
            summaries.append(f"{scope} {params}\n    " + "\n    ".join(parts))
    await engine.dispose()
    return summaries


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", default="")
    parser.add_argument("--explain", action="store_true", help="also EXPLAIN ANALYZE the scoped lists")
    parser.add_argument("--keep", action="store_true", help="keep the database (its name is printed)")
    parser.add_argument("--reuse", default="", help="a database kept by --keep: no load, no events")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, {platform.python_implementation()} {platform.python_version()}")
    signer, keys, settings, tenant = Signer(), ClientKeys(), AssetsSettings(), uuid.uuid4()
    parties = {name: uuid.uuid4() for name in ("bristol", "bristol+leeds", "london", "no live zone")}
    failed = False
    with (
        tempfile.TemporaryDirectory(prefix="proximity-bench-") as tmp,
        postgres_server() as server,
        embedded_nats(Path(tmp) / "nats") as nats,
    ):
        name = args.reuse or f"bench_asset_scoped_{uuid.uuid4().hex[:8]}"
        database_url = ensure_database(server, name)
        sidecar = Path(tempfile.gettempdir()) / f"{name}.json"
        try:
            if args.reuse:
                kept = json.loads(sidecar.read_text())
                tenant = uuid.UUID(kept["tenant"])
                parties = {k: uuid.UUID(v) for k, v in kept["parties"].items()}
                zones = {k: uuid.UUID(v) for k, v in kept["zones"].items()}
            else:
                upgrade("assets", database_url)
                asyncio.run(provision(database_url, tenant))
                started = time.perf_counter()
                load_assets(database_url, tenant, args.size)
                print(
                    f"loaded {args.size} assets and analyzed in {time.perf_counter() - started:.1f} s",
                    flush=True,
                )
                zones = asyncio.run(apply_iam(database_url, tenant, parties))
                with psycopg.connect(libpq_url(database_url), autocommit=True) as connection:
                    connection.execute("VACUUM ANALYZE assets")
                saved = {"tenant": str(tenant), "parties": parties, "zones": zones}
                sidecar.write_text(json.dumps(saved, default=str))
            members = counts(database_url, tenant, zones)
            print(
                "live assets per zone: " + ", ".join(f"{c} {n}" for c, (n, _) in members.items()), flush=True
            )
            chosen = [c for c in shapes(members["bristol"][1]) if args.only in c.label]

            def headers_of(user: str) -> dict[str, str]:
                if user == "admin":
                    return headers(signer, keys, settings, tenant, None, admin=True)
                return headers(signer, keys, settings, tenant, parties.get(user))

            with (
                stand_in_identity(signer, keys) as identity,
                assets_server(database_url, nats, identity, Path(tmp) / "assets.log") as base,
            ):
                found = measure_shapes(base, chosen, headers_of, requests=args.requests, warmup=args.warmup)
            failed = any(s.failures for by_user in found.values() for s in by_user.values())
            for by_user in found.values():
                for sample in by_user.values():
                    for failure in sample.failures[:1]:
                        print("failure:", failure)
            title = (
                f"p50 ms (found) at assets directly, {args.size} assets in one tenant, "
                f"{args.requests} rounds, users alternating, c=1"
            )
            print(table(title, found), flush=True)
            if args.explain:
                print("\nplans:\n" + "\n".join(asyncio.run(explain(database_url, tenant, zones))), flush=True)
        finally:
            if args.keep or args.reuse:
                print(f"kept database {name}")
            else:
                drop_database(server, name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
