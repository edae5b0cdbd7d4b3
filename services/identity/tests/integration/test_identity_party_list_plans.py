"""Every documented sort of GET /parties, in both directions and with each filter, is served by
an index: EXPLAIN of the statements the repository sends, over a tenant large enough that
PostgreSQL prefers indexes where they fit, shows no Seq Scan of ``parties`` and no Sort of more
than a page's worth of the tenant's rows."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from starlette.datastructures import QueryParams

from identity.repositories import parties
from identity.repositories.parties import PartyFilter
from proximity.db.engine import build_engine
from proximity.db.listing import MAX_OFFSET
from proximity.db.migrate import upgrade
from proximity.devstack.embedded import libpq_url
from proximity.http.list_query import parse_list_query

ROWS = 20_000
# A Sort above this many rows sorts the tenant, not a page (the filters below keep ~1 % at most
# when no index fits them, e.g. a group's members).
MOST_SORTED = ROWS // 10

_LOAD = """
INSERT INTO tenants (id, name, version, created_at) VALUES (%(tenant)s, 'plans', 1, now());
INSERT INTO party_types (id, tenant_id, name, base_type, created_at)
VALUES (%(user_type)s, %(tenant)s, 'User', 'user', now()),
       (gen_random_uuid(), %(tenant)s, 'Contact', 'contact', now());
INSERT INTO job_titles (id, tenant_id, name, created_at)
VALUES (%(title)s, %(tenant)s, 'Manager', now());
INSERT INTO parties (id, tenant_id, base_type, first_name, last_name, email, type_id, phone,
                     job_title_id, addresses, profile, version, created_at, updated_at, deleted_at)
SELECT gen_random_uuid(), %(tenant)s, 'user', 'F' || md5(n::text),
       CASE WHEN n %% 10 = 0 THEN 'Smith' WHEN n = 77 THEN 'Zanzibar' WHEN n %% 20 = 3 THEN NULL
            ELSE 'L' || md5((n * 7)::text) END,
       CASE WHEN n %% 9 = 0 THEN NULL ELSE 'p' || n || '@example.com' END,
       CASE WHEN n %% 2 = 0 THEN %(user_type)s END,
       CASE WHEN n %% 3 = 0 THEN NULL ELSE '+44' || n END,
       CASE WHEN n %% 4 = 0 THEN %(title)s END,
       '[]', '[]', 1, now() - make_interval(secs => n * 37 %% 86400000),
       CASE WHEN n %% 5 = 0 THEN now() END, CASE WHEN n %% 50 = 1 THEN now() END
FROM generate_series(1, %(rows)s) n;
INSERT INTO skillsets (id, tenant_id, name, description, version, created_at)
VALUES (%(skillset)s, %(tenant)s, 'Welding', 'Hot work', 1, now());
INSERT INTO party_group_memberships (group_id, party_id, tenant_id)
SELECT %(group)s, id, %(tenant)s FROM parties
WHERE tenant_id = %(tenant)s AND abs(hashtext(id::text)) %% 100 = 0;
INSERT INTO party_skillsets (party_id, skillset_id, tenant_id, created_at)
SELECT id, %(skillset)s, %(tenant)s, now() FROM parties
WHERE tenant_id = %(tenant)s AND abs(hashtext(id::text)) %% 100 = 1;
"""


class Loaded:
    def __init__(self, url: str) -> None:
        self.url = url
        self.tenant = uuid.uuid4()
        self.user_type = uuid.uuid4()
        self.group = uuid.uuid4()
        self.skillset = uuid.uuid4()


@pytest.fixture(scope="module")
def loaded(database_factory: Callable[[str], str]) -> Loaded:
    """A database of its own: the planner's statistics of the shared one are not disturbed."""
    data = Loaded(database_factory("identity_plans"))
    upgrade("identity", data.url)
    params = {
        "tenant": data.tenant,
        "user_type": data.user_type,
        "title": uuid.uuid4(),
        "group": data.group,
        "skillset": data.skillset,
        "rows": ROWS,
    }
    with psycopg.connect(libpq_url(data.url), autocommit=True) as connection:
        with connection.transaction(), connection.cursor() as cursor:
            for statement in _LOAD.split(";\n"):
                if statement.strip():
                    cursor.execute(statement, params)
        connection.execute("VACUUM ANALYZE")
    return data


@pytest.fixture
async def engine(loaded: Loaded) -> AsyncIterator[AsyncEngine]:
    built = build_engine(loaded.url, pool_size=1)
    yield built
    await built.dispose()


def _nodes(plan: dict[str, Any], under_limit: bool = False) -> Iterator[tuple[dict[str, Any], bool]]:
    yield plan, under_limit
    for child in plan.get("Plans", []):
        yield from _nodes(child, under_limit or plan["Node Type"] == "Limit")


def _faults(plan: dict[str, Any], *, counting: bool) -> list[str]:
    found = []
    for node, under_limit in _nodes(plan):
        scan = node["Node Type"] == "Seq Scan" and node.get("Relation Name") == "parties"
        # A count stops after the cap: a scan below its Limit reads a bounded number of rows.
        if scan and not (counting and under_limit):
            found.append("Seq Scan on parties")
        if node["Node Type"] == "Sort":
            sorted_rows = max(child["Plan Rows"] for child in node["Plans"])
            if sorted_rows > MOST_SORTED:
                found.append(f"Sort of {sorted_rows} rows")
    return found


async def _statements(
    engine: AsyncEngine, loaded: Loaded, query: str, filters: PartyFilter
) -> list[tuple[str, Any]]:
    """The statements GET /parties?<query> sends, with their parameters."""
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, params: Any, _context: Any, _many: bool) -> None:
        sent.append((statement, params))

    listing = parse_list_query(
        QueryParams(query), sortable=parties.SORTS, includes=("stats",), max_offset=MAX_OFFSET
    )
    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        async with AsyncSession(engine) as session:
            await parties.list_page(session, loaded.tenant, filters, listing)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    return sent


def _filters(loaded: Loaded) -> dict[str, PartyFilter]:
    return {
        "none": PartyFilter(),
        "type_id": PartyFilter(type_id=loaded.user_type),
        "group_id": PartyFilter(group_id=loaded.group),
        "skillset_id": PartyFilter(skillset_id=loaded.skillset),
        "keywords common": PartyFilter(keywords="smith"),
        "keywords rare": PartyFilter(keywords="zanzibar"),
        "keywords prefix": PartyFilter(keywords="smi"),
    }


@pytest.mark.parametrize("direction", ["+", "-"])
async def test_every_sort_and_filter_is_served_by_an_index(
    engine: AsyncEngine, loaded: Loaded, direction: str
) -> None:
    faults: dict[str, list[str]] = {}
    for field in parties.SORTS:
        for label, filters in _filters(loaded).items():
            query = f"sort={direction}{field}&include[]=stats"
            sent = await _statements(engine, loaded, query, filters)
            assert sent, query
            async with engine.connect() as connection:
                for statement, params in sent:
                    counting = statement.lstrip().upper().startswith("SELECT COUNT")
                    explained = await connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", params)
                    root = explained.scalar_one()[0]["Plan"]  # psycopg parses the JSON
                    for fault in _faults(root, counting=counting):
                        faults.setdefault(f"{direction}{field} / {label}", []).append(fault)
    assert not faults, faults


async def test_a_cursor_page_is_a_range_of_the_sort_index(engine: AsyncEngine, loaded: Loaded) -> None:
    """A deep page continues from its cursor's row (an index range), not past skipped rows."""
    listing = parse_list_query(
        QueryParams("sort=-created&per_page=100"), sortable=parties.SORTS, max_offset=MAX_OFFSET
    )
    async with AsyncSession(engine) as session:
        _, page = await parties.list_page(session, loaded.tenant, PartyFilter(), listing)
    assert page.next_cursor is not None
    query = f"sort=-created&per_page=100&cursor={page.next_cursor}"
    for statement, params in await _statements(engine, loaded, query, PartyFilter()):
        if "OFFSET" not in statement:
            continue
        async with engine.connect() as connection:
            explained = await connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", params)
        root = explained.scalar_one()[0]["Plan"]
        conditions = [node.get("Index Cond", "") for node, _ in _nodes(root)]
        assert any("ROW(" in condition for condition in conditions), conditions
        assert not _faults(root, counting=False)
