"""``GET /services`` pages are cut by an index at 100,000 services: EXPLAIN of the page statement
the repository sends, for every documented sort in both directions, from the first page and
from a cursor, and with ``type_id``, shows the sort's partial index under the LIMIT and no sort
of the tenant's rows (a plan that sorted them would read all 100,000 for every page)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from contracts.domain.service_catalogues import STANDARD_SERVICE_TYPES, catalogue_id
from contracts.repositories.service_catalogues import provision_service_catalogues
from contracts.repositories.services import SORTS, ServiceFilter, list_page
from proximity.db.engine import build_engine
from proximity.db.migrate import upgrade
from proximity.devstack.embedded import libpq_url
from proximity.http.list_query import ListQuery, SortKey

ROWS = 100_000
# Every sixth service has no type or category (those sort last); the others cycle through
# the tenant's types, and another tenant holds a tenth as many rows.
_LOAD = """
INSERT INTO services (id, tenant_id, name, description, type_id, category_id, version, created_at,
                      updated_at)
SELECT gen_random_uuid(), %(tenant)s, 'service ' || n, 'about service ' || (n * 7919 %% 100000),
       (%(types)s::uuid[])[NULLIF(n %% 6, 0)], (%(categories)s::uuid[])[NULLIF(n %% 6, 0) %% 4 + 1],
       1, now() - n * interval '1 second', CASE WHEN n %% 3 = 0 THEN now() END
FROM generate_series(1, %(rows)s) n;
INSERT INTO services (id, tenant_id, name, description, version, created_at)
SELECT gen_random_uuid(), %(other)s, 'theirs ' || n, '', 1, now()
FROM generate_series(1, %(rows)s / 10) n
"""

_CATEGORY_KEYS = ("facilities", "hospitality", "safety", "technical")


class Loaded:
    def __init__(self, url: str) -> None:
        self.url = url
        self.tenant = uuid.uuid4()
        self.other = uuid.uuid4()


async def _provisioned(url: str, *tenants: uuid.UUID) -> None:
    engine = build_engine(url, pool_size=1)
    try:
        async with AsyncSession(engine) as session:
            for tenant_id in tenants:
                await provision_service_catalogues(session, tenant_id)
            await session.commit()
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def loaded(database_factory: Callable[[str], str]) -> Loaded:
    """A database of its own: the planner's statistics of the shared one are not disturbed."""
    data = Loaded(database_factory("contracts_service_plans"))
    upgrade("contracts", data.url)
    asyncio.run(_provisioned(data.url, data.tenant, data.other))
    params = {
        "tenant": data.tenant,
        "other": data.other,
        "types": [catalogue_id(data.tenant, "service-type", t.key) for t in STANDARD_SERVICE_TYPES],
        "categories": [catalogue_id(data.tenant, "service-category", key) for key in _CATEGORY_KEYS],
        "rows": ROWS,
    }
    with psycopg.connect(libpq_url(data.url), autocommit=True) as connection:
        with connection.transaction(), connection.cursor() as cursor:
            for statement in _LOAD.split(";\n"):
                cursor.execute(statement, params)
        connection.execute("VACUUM ANALYZE")
    return data


@pytest.fixture
async def engine(loaded: Loaded) -> AsyncIterator[AsyncEngine]:
    built = build_engine(loaded.url, pool_size=1)
    yield built
    await built.dispose()


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


async def _page_plan(engine: AsyncEngine, tenant: uuid.UUID, filters: ServiceFilter, query: ListQuery) -> Any:
    """The page the repository returns, and the plan of its page statement (the one that orders)."""
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, params: Any, _context: Any, _many: bool) -> None:
        sent.append((statement, params))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        async with AsyncSession(engine) as session:
            found, page = await list_page(session, tenant, filters, query)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    assert len(found) == query.per_page
    (statement, params), *_ = [(s, p) for s, p in sent if "ORDER BY" in s]
    async with engine.connect() as connection:
        explained = await connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", params)
    return explained.scalar_one()[0]["Plan"], page


def _assert_cut_by(plan: dict[str, Any], index: str) -> None:
    limits = [node for node in _nodes(plan) if node["Node Type"] == "Limit"]
    assert limits, plan
    under = list(_nodes(limits[0]))
    used = {
        node.get("Index Name") for node in under if node["Node Type"] in ("Index Scan", "Index Only Scan")
    }
    assert index in used, (index, plan)
    assert not [node for node in under if node["Node Type"] in ("Sort", "Incremental Sort", "Seq Scan")], plan


@pytest.mark.parametrize("direction", ["asc", "desc"])
@pytest.mark.parametrize("field", sorted(SORTS))
async def test_every_sort_is_a_walk_of_its_index(
    engine: AsyncEngine, loaded: Loaded, field: str, direction: str
) -> None:
    query = ListQuery(sort=(SortKey(field, direction),), per_page=20, max_offset=1000)  # type: ignore[arg-type]
    plan, page = await _page_plan(engine, loaded.tenant, ServiceFilter(), query)
    _assert_cut_by(plan, f"ix_services_list_{field}")
    assert (page.total.total, page.total.exact) == (1000, False)
    assert page.next_cursor is not None
    deeper = ListQuery(sort=query.sort, per_page=20, max_offset=1000, cursor=page.next_cursor)
    plan, _ = await _page_plan(engine, loaded.tenant, ServiceFilter(), deeper)
    _assert_cut_by(plan, f"ix_services_list_{field}")


async def test_a_type_with_the_default_sort_is_a_walk_of_its_index(
    engine: AsyncEngine, loaded: Loaded
) -> None:
    of_type = catalogue_id(loaded.tenant, "service-type", STANDARD_SERVICE_TYPES[0].key)
    query = ListQuery(sort=(SortKey("name", "asc"),), per_page=20, max_offset=1000)
    plan, _ = await _page_plan(engine, loaded.tenant, ServiceFilter(type_id=of_type), query)
    _assert_cut_by(plan, "ix_services_of_type")
