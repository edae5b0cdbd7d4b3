"""``GET /contracts`` at the contracts service directly, over a bulk-loaded tenant: p50/p95 per
case, and with ``--explain`` the plan of each case's statements.

Creates a fresh database on the PostgreSQL server ``DATABASE_URL`` names (else an embedded
one), migrates it, provisions a tenant as ``identity.tenant.created`` does, bulk-loads contracts
with their links into it (``contract_list_load``), VACUUM ANALYZEs, starts the stand-in identity
(``proximity.testing.stand_in_identity``: contracts verifies tokens with identity's JWKS and
resolves client keys there) in a thread of this process and the contracts service alone (uvicorn
in a child process, with an embedded NATS of its own), and sends each case's request one at a
time (concurrency 1: latency without queueing) with a system administrator's token. Repeats at
each size, growing the same tenant.

    .venv/bin/python bench/contract_list.py                          # 10,000 then 100,000
    .venv/bin/python bench/contract_list.py --sizes 100000 --only service_id --explain

Cases: every documented sort both ways with each filter (``party_id``, ``asset_id``,
``service_id``, ``entity_ids``: the busy object many contracts link; ``keywords``: a common
word), then each filter on a typical object, rare keywords, ``ids[]``, the plain list in every
sort, ``include[]=counts`` and page 2 by cursor. The load generator shares the machine with
PostgreSQL and the service; figures are a floor.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
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

import psycopg
from sqlalchemy.ext.asyncio import AsyncSession

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_servers import checked_by, served, stand_in_identity  # type: ignore[import-not-found]
from contract_list_load import load_contracts, object_id  # type: ignore[import-not-found]
from contracts.config import ContractsSettings
from contracts.services.tenant_provisioning import provision_tenant
from list_requests import measure, report  # type: ignore[import-not-found]
from proximity.db.engine import build_engine
from proximity.db.migrate import upgrade
from proximity.devstack.embedded import drop_database, embedded_nats, ensure_database, libpq_url
from proximity.testing.servers import postgres_server
from proximity.testing.stand_in_identity import ClientKeys, Signer

REPO = Path(__file__).resolve().parent.parent
SORTS = ["name", "description", "total_assets", "total_entities", "expiry", "created", "updated"]


@dataclass(frozen=True)
class Case:
    label: str
    params: list[tuple[str, str]]
    cursor: bool = False  # follow page 1's next_cursor and measure page 2
    path: str = "/contracts"


def cases(database_url: str, tenant: uuid.UUID) -> list[Case]:
    with psycopg.connect(libpq_url(database_url)) as connection:

        def typical(table: str, column: str) -> str:
            """An object linked by about as many contracts as the median one."""
            row = connection.execute(
                f"""WITH counted AS (
                      SELECT {column} AS linked, count(*) AS c FROM {table}
                      WHERE tenant_id = %(tenant)s GROUP BY {column})
                    SELECT linked FROM counted ORDER BY c, linked
                    OFFSET (SELECT count(*) / 2 FROM counted) LIMIT 1""",  # noqa: S608 - our own names
                {"tenant": tenant},
            ).fetchone()
            return str(row[0]) if row else str(uuid.uuid4())

        party = typical("contract_party_links", "party_id")
        asset = typical("contract_asset_links", "asset_id")
        entity = typical("contract_entity_links", "entity_id")
        service = typical("contract_service_links", "service_id")
        ids = [
            str(r[0])
            for r in connection.execute(
                "SELECT id FROM contracts WHERE tenant_id = %(tenant)s ORDER BY md5(id::text) LIMIT 20",
                {"tenant": tenant},
            )
        ]

    def busy(kind: str) -> str:
        return str(object_id(tenant, kind, 0))

    filters: list[tuple[str, list[tuple[str, str]]]] = [
        ("party_id (busy, 5%)", [("party_id", busy("party"))]),
        ("asset_id (busy, 2%)", [("asset_id", busy("asset"))]),
        ("service_id (busy, 10%)", [("service_id", busy("service"))]),
        ("entity_ids (busy + typical)", [("entity_ids[]", busy("entity")), ("entity_ids[]", entity)]),
        ("keywords=agreement (common)", [("keywords", "agreement")]),
    ]
    found = [
        Case(f"{label} sort={sign}{sort}", [*params, ("sort", f"{sign}{sort}")])
        for label, params in filters
        for sort in SORTS
        for sign in "+-"
    ]
    found += [
        Case("party_id (typical) +name", [("party_id", party)]),
        Case("asset_id (typical) +name", [("asset_id", asset)]),
        Case("service_id (typical) +name", [("service_id", service)]),
        Case("entity_ids (typical) +name", [("entity_ids", entity)]),
        Case("service_id (typical) -created", [("service_id", service), ("sort", "-created")]),
        Case("keywords=cleaning (moderate)", [("keywords", "cleaning")]),
        Case("keywords=zanzibar (rare)", [("keywords", "zanzibar")]),
        Case("keywords=north clean (two prefixes)", [("keywords", "north clean")]),
        Case(
            "keywords=agreement service_id (busy)",
            [("keywords", "agreement"), ("service_id", busy("service"))],
        ),
        Case(
            "keywords=zanzibar service_id (busy)",
            [("keywords", "zanzibar"), ("service_id", busy("service"))],
        ),
        Case("asset_id + party_id (both busy)", [("asset_id", busy("asset")), ("party_id", busy("party"))]),
        Case("ids[] x20", [("ids[]", i) for i in ids]),
        *(Case(f"plain sort={sign}{sort}", [("sort", f"{sign}{sort}")]) for sort in SORTS for sign in "+-"),
        Case("include[]=counts", [("include[]", "counts")]),
        Case("page 2 by cursor (+name)", [], cursor=True),
        Case("page 2 by cursor (-updated)", [("sort", "-updated")], cursor=True),
        Case(
            "page 2 by cursor (service_id busy -expiry)",
            [("service_id", busy("service")), ("sort", "-expiry")],
            cursor=True,
        ),
        Case("page 2 by cursor (keywords=agreement +name)", [("keywords", "agreement")], cursor=True),
        Case("by id (GET /contracts/{id})", [], path=f"/contracts/{ids[0]}"),
    ]  # fmt: skip
    return found


@contextlib.contextmanager
def contracts_server(database_url: str, nats_url: str, identity_url: str, log: Path) -> Iterator[str]:
    settings = {"DATABASE_URL": database_url, "NATS_URL": nats_url, **checked_by(identity_url)}
    with served("contracts", "contracts.app:create_app", settings, log) as url:
        yield url


def admin_headers(
    signer: Signer, keys: ClientKeys, settings: ContractsSettings, tenant: uuid.UUID
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
    r"(Index Only Scan|Index Scan|Bitmap Index Scan|Bitmap Heap Scan|Seq Scan|Sort|Incremental Sort"
    r"|Hash Join|Merge Join|Hash Semi Join|Nested Loop Semi Join|BitmapAnd|BitmapOr)( Backward)?"
    r"(?: using (\w+))?(?: on (\w+))?"
)


def plan_summary(plan: list[str]) -> str:
    """The scans, joins and sorts of a plan in order, with their actual rows, then the time."""
    nodes: list[str] = []
    for line in plan:
        match = _PLAN_NODE.search(line) if "(cost=" in line else None
        if match:
            kind, backward, index, table = match.groups()
            rows = re.search(r"actual time=[\d.]+\.\.[\d.]+ rows=(\d+)", line)
            name = index or table or ""
            nodes.append(
                f"{kind}{backward or ''} {name}".strip() + (f" ({rows.group(1)} rows)" if rows else "")
            )
    took = next((line.strip() for line in plan if "Execution Time" in line), "")
    return "; ".join(nodes) + f" | {took}"


async def explain_cases(database_url: str, tenant: uuid.UUID, chosen: list[Case], out: Path) -> list[str]:
    """Runs each list case's repository call in this process on an engine that records the SQL
    it sends, then EXPLAIN (ANALYZE, BUFFERS) each statement with its parameters."""
    from sqlalchemy import event
    from starlette.datastructures import QueryParams

    from contracts.repositories.contract_queries import SORTS as LIST_SORTS
    from contracts.repositories.contract_queries import ContractFilter, list_page
    from contracts.routes.params import optional_uuid, uuid_list
    from proximity.db.listing import MAX_OFFSET
    from proximity.http.list_query import parse_list_query

    engine = build_engine(database_url, pool_size=1)
    recorded: list[tuple[str, Any]] = []

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if not statement.lstrip().upper().startswith("EXPLAIN"):
            recorded.append((statement, parameters))

    summaries: list[str] = []
    with out.open("w") as plans:
        for case in chosen:
            if case.cursor or case.path != "/contracts":
                continue
            recorded.clear()
            async with AsyncSession(engine) as session:
                params = QueryParams(case.params)
                listing = parse_list_query(
                    params,
                    sortable=LIST_SORTS,
                    default_sort="+name",
                    includes=("counts",),
                    max_offset=MAX_OFFSET,
                )
                filters = ContractFilter(
                    ids=listing.ids,
                    keywords=listing.keywords,
                    party_id=optional_uuid(params, "party_id"),
                    service_id=optional_uuid(params, "service_id"),
                    asset_id=optional_uuid(params, "asset_id"),
                    entity_ids=uuid_list(params, "entity_ids"),
                )
                await list_page(session, tenant, filters, listing)
                plans.write(f"### {case.label}\n")
                parts = []
                connection = await session.connection()
                for statement, parameters in list(recorded):
                    rows = await connection.exec_driver_sql(
                        "EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters
                    )
                    plan = [row[0] for row in rows]
                    plans.write(statement + "\n" + "\n".join(plan) + "\n\n")
                    parts.append(plan_summary(plan))
                summaries.append(f"{case.label}\n    " + "\n    ".join(parts))
    await engine.dispose()
    return summaries


async def provision(database_url: str, tenant: uuid.UUID) -> None:
    engine = build_engine(database_url, pool_size=1)
    try:
        async with AsyncSession(engine) as session:
            await provision_tenant(session, tenant)
            await session.commit()
    finally:
        await engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated contract counts, ascending")
    parser.add_argument("--requests", type=int, default=30, help="measured requests per case")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", default="", help="run only the cases whose label contains this")
    parser.add_argument("--explain", action="store_true", help="also EXPLAIN ANALYZE each case's statements")
    parser.add_argument("--keep", action="store_true", help="keep the database (its name is printed)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {os.cpu_count()} CPUs, {platform.python_implementation()} {platform.python_version()}")
    failed = False
    signer, keys = Signer(), ClientKeys()
    settings = ContractsSettings()
    tenant = uuid.uuid4()
    # NATS of its own: a shared server's durable consumers would hand this service other
    # processes' messages.
    with (
        tempfile.TemporaryDirectory(prefix="proximity-bench-") as tmp,
        postgres_server() as server,
        embedded_nats(Path(tmp) / "nats") as nats,
    ):
        name = f"bench_contract_list_{uuid.uuid4().hex[:8]}"
        database_url = ensure_database(server, name)
        try:
            upgrade("contracts", database_url)
            asyncio.run(provision(database_url, tenant))
            with (
                stand_in_identity(signer, keys) as identity,
                contracts_server(database_url, nats, identity, Path(tmp) / "contracts.log") as base,
            ):
                for size in sizes:
                    started = time.perf_counter()
                    load_contracts(database_url, tenant, size)
                    took = time.perf_counter() - started
                    print(f"\nloaded {size} contracts and analyzed in {took:.1f} s", flush=True)
                    chosen = [c for c in cases(database_url, tenant) if args.only in c.label]
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
                            f"contracts directly, {size} contracts in one tenant, "
                            f"{args.requests} requests per case, c=1",
                            samples,
                            width=56,
                        ),
                        flush=True,
                    )
                    if args.explain:
                        out = Path(tempfile.gettempdir()) / f"contract_list_plans_{size}.txt"
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
