"""``GET /contracts`` pages are cut by an index at 100,000 contracts, whatever the filter: for
every documented sort in both directions, with each filter (a busy party and service that many
contracts link, a party, asset and entities few link, a common and a rare keyword), with a
keyword and a busy link together, with two busy links, and with none, EXPLAIN ANALYZE of every
statement the repository sends shows no sort of more than the filter's first ``TOTAL_CAP + 1``
matches and no scan that reads a tenth of the tenant's rows (a plan that did would read all
100,000 for every page: a walk of the sort's index filtering each row for a rare keyword, or a
sort of every match of a busy party; a capped total counted by a join over a scan of the
tenant). The pages and totals are the ones the full ORDER BY gives, first and after a cursor."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import and_, event, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from contracts.repositories.contract_queries import SORTS, ContractFilter, _conditions, list_page
from contracts.repositories.contract_records import Contract
from contracts.services.tenant_provisioning import provision_tenant
from proximity.db.engine import build_engine
from proximity.db.listing import TOTAL_CAP, ordering
from proximity.db.migrate import upgrade
from proximity.devstack.embedded import libpq_url
from proximity.http.list_query import ListQuery, SortKey

ROWS = 100_000
_CONTRACT = "md5('contract:' || %(tenant)s || ':' || n)::uuid"
_BUSY = "md5('busy:' || %(tenant)s || ':' || {kind})::uuid"
_FEW = "md5('few:' || %(tenant)s || ':' || ({kind} || ':' || {value}))::uuid"


def _hash(n: str, salt: int, modulus: int) -> str:
    """A draw from a hash of ``n``: which contracts link the busy party must not follow their
    names, dates or totals (a draw by ``n`` would)."""
    return f"((hashint4({n} * {2 * salt + 101} + {salt}) & 2147483647) %% {modulus})"


# Names: "agreement" in half of them, "zanzibar" in ten. Links: a busy party in a tenth of the
# contracts and a busy service in a tenth (other draws), a busy asset in 2 %; every contract
# also links one of 5,000 parties (20 contracts each), one of 20,000 assets (5) and one of 2,000
# entities (50). 2 % are deleted, 10 % have no expiry; another tenant holds a tenth as many.
_LOAD = f"""
INSERT INTO contracts (id, tenant_id, name, description, starts_at, expires_at, version, created_at,
                       updated_at, deleted_at, total_assets, total_entities)
SELECT {_CONTRACT}, %(tenant)s,
       CASE WHEN n %% 10000 = 4242 THEN 'Zanzibar ' ELSE '' END || 'Contract ' || n
         || CASE WHEN {_hash("n", 1, 2)} = 0 THEN ' agreement' ELSE ' lease' END,
       'about contract ' || (n * 7919 %% 100000), now() - n * interval '1 minute',
       CASE WHEN {_hash("n", 2, 10)} <> 3 THEN now() + {_hash("n", 3, 1000)} * interval '1 day' END,
       1, now() - n * interval '1 minute', CASE WHEN n %% 3 = 0 THEN now() END,
       CASE WHEN n %% 50 = 1 THEN now() END, 1 + {_hash("n", 4, 5)}, 1 + {_hash("n", 5, 3)}
FROM generate_series(1, {ROWS}) n;
INSERT INTO contract_party_links (contract_id, party_id, tenant_id)
SELECT {_CONTRACT}, {_FEW.format(kind="'party'", value="n %% 5000")}, %(tenant)s
FROM generate_series(1, {ROWS}) n
UNION ALL
SELECT {_CONTRACT}, {_BUSY.format(kind="'party'")}, %(tenant)s
FROM generate_series(1, {ROWS}) n WHERE {_hash("n", 6, 10)} = 0;
INSERT INTO contract_asset_links (contract_id, asset_id, tenant_id)
SELECT {_CONTRACT}, {_FEW.format(kind="'asset'", value="n %% 20000")}, %(tenant)s
FROM generate_series(1, {ROWS}) n
UNION ALL
SELECT {_CONTRACT}, {_BUSY.format(kind="'asset'")}, %(tenant)s
FROM generate_series(1, {ROWS}) n WHERE {_hash("n", 7, 50)} = 0;
INSERT INTO contract_entity_links (contract_id, entity_id, tenant_id)
SELECT {_CONTRACT}, {_FEW.format(kind="'entity'", value="n %% 2000")}, %(tenant)s
FROM generate_series(1, {ROWS}) n;
INSERT INTO contract_service_links (contract_id, service_id, tenant_id)
SELECT {_CONTRACT}, {_BUSY.format(kind="'service'")}, %(tenant)s
FROM generate_series(1, {ROWS}) n WHERE {_hash("n", 8, 10)} = 0;
INSERT INTO contracts (id, tenant_id, name, description, version, created_at)
SELECT gen_random_uuid(), %(other)s,
       CASE WHEN n %% 5 = 0 THEN 'Zanzibar agreement ' ELSE 'Their lease ' END || n, '', 1, now()
FROM generate_series(1, {ROWS // 10}) n
"""  # noqa: S608 - built from this module's constants only


def _busy(tenant: uuid.UUID, kind: str) -> uuid.UUID:
    return _md5(f"busy:{tenant}:{kind}")


def _few(tenant: uuid.UUID, kind: str, value: int) -> uuid.UUID:
    return _md5(f"few:{tenant}:{kind}:{value}")


def _md5(text: str) -> uuid.UUID:
    return uuid.UUID(hex=hashlib.md5(text.encode(), usedforsecurity=False).hexdigest())


class Loaded:
    def __init__(self, url: str) -> None:
        self.url = url
        self.tenant = uuid.uuid4()
        self.other = uuid.uuid4()

    def filters(self) -> dict[str, ContractFilter]:
        t = self.tenant
        return {
            "none": ContractFilter(),
            "busy party": ContractFilter(party_id=_busy(t, "party")),
            "busy service": ContractFilter(service_id=_busy(t, "service")),
            "busy asset": ContractFilter(asset_id=_busy(t, "asset")),
            "party": ContractFilter(party_id=_few(t, "party", 42)),
            "asset": ContractFilter(asset_id=_few(t, "asset", 42)),
            "entities": ContractFilter(entity_ids=(_few(t, "entity", 42), _few(t, "entity", 43))),
            "common keyword": ContractFilter(keywords="agreement"),
            "rare keyword": ContractFilter(keywords="zanzibar"),
            # The first pass's misses: a page planned as a hash join of the keyword's ~50,000
            # matches with the party's links, a capped count as a join over a seq scan.
            "common keyword, busy party": ContractFilter(keywords="agreement", party_id=_busy(t, "party")),
            "common keyword, busy service": ContractFilter(
                keywords="agreement", service_id=_busy(t, "service")
            ),
            # Few matches among many links: the keyword drives, not the service's 10,000 links.
            "rare keyword, busy service": ContractFilter(keywords="zanzibar", service_id=_busy(t, "service")),
            "busy asset, busy party": ContractFilter(asset_id=_busy(t, "asset"), party_id=_busy(t, "party")),
        }


async def _provisioned(url: str, *tenants: uuid.UUID) -> None:
    engine = build_engine(url, pool_size=1)
    try:
        async with AsyncSession(engine) as session:
            for tenant_id in tenants:
                await provision_tenant(session, tenant_id)
            await session.commit()
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def loaded(database_factory: Callable[[str], str]) -> Loaded:
    """A database of its own: the planner's statistics of the shared one are not disturbed."""
    data = Loaded(database_factory("contracts_list_plans"))
    upgrade("contracts", data.url)
    asyncio.run(_provisioned(data.url, data.tenant, data.other))
    with psycopg.connect(libpq_url(data.url), autocommit=True) as connection:
        with connection.transaction(), connection.cursor() as cursor:
            for statement in _LOAD.split(";\n"):
                cursor.execute(statement, {"tenant": data.tenant, "other": data.other})
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


def _read(node: dict[str, Any]) -> float:
    """Rows a scan node looked at, over all its loops."""
    seen = (
        node["Actual Rows"]
        + node.get("Rows Removed by Filter", 0)
        + node.get("Rows Removed by Index Recheck", 0)
    )
    return float(seen * node["Actual Loops"])


def _shape(plan: dict[str, Any], depth: int = 0) -> str:
    """The plan as an indented outline of its nodes with their actual rows (for a failure)."""
    name = plan.get("Index Name") or plan.get("Relation Name") or ""
    line = f"{'  ' * depth}{plan['Node Type']} {name} rows={plan['Actual Rows']}x{plan['Actual Loops']}"
    return "\n".join([line, *(_shape(child, depth + 1) for child in plan.get("Plans", []))])


def _assert_cut(plan: dict[str, Any]) -> None:
    for node in _nodes(plan):
        if node["Node Type"] in ("Sort", "Incremental Sort"):
            # The rows sorted: its input's, not a CTE's or subquery's it also carries (InitPlan).
            fed = [child for child in node["Plans"] if child.get("Parent Relationship") == "Outer"]
            sorted_rows = sum(child["Actual Rows"] * child["Actual Loops"] for child in fed)
            assert sorted_rows <= TOTAL_CAP + 1, _shape(plan)
        if node.get("Relation Name") == "contracts" and "Scan" in node["Node Type"]:
            assert _read(node) <= ROWS / 10, _shape(plan)


async def _page(
    engine: AsyncEngine, tenant: uuid.UUID, filters: ContractFilter, query: ListQuery
) -> tuple[list[uuid.UUID], Any, list[dict[str, Any]]]:
    """The page's ids, its pagination, and the plan of every statement the repository sent."""
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, params: Any, _context: Any, _many: bool) -> None:
        sent.append((statement, params))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        async with AsyncSession(engine) as session:
            found, page = await list_page(session, tenant, filters, query)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    assert sent
    plans = []
    async with engine.connect() as connection:
        for statement, params in sent:
            explained = await connection.exec_driver_sql(
                f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", params
            )
            plans.append(explained.scalar_one()[0]["Plan"])
    return [c.id for c in found], page, plans


async def _expected(
    engine: AsyncEngine, tenant: uuid.UUID, filters: ContractFilter, query: ListQuery
) -> list[uuid.UUID]:
    """Every match in the list's order, by a full ORDER BY without a LIMIT."""
    order = ordering(query.sort, SORTS, Contract.__table__.c.id)  # type: ignore[attr-defined]
    statement = select(Contract.__table__.c.id).where(and_(*_conditions(tenant, filters)))  # type: ignore[attr-defined]
    async with engine.connect() as connection:
        return list((await connection.execute(statement.order_by(*order.order_by()))).scalars())


_FILTERS = [
    "none", "busy party", "busy service", "busy asset", "party", "asset", "entities",
    "common keyword", "rare keyword", "common keyword, busy party", "common keyword, busy service",
    "rare keyword, busy service", "busy asset, busy party",
]  # fmt: skip


@pytest.mark.parametrize("direction", ["asc", "desc"])
@pytest.mark.parametrize("field", sorted(SORTS))
@pytest.mark.parametrize("name", _FILTERS)
async def test_every_sort_with_every_filter_is_cut_by_an_index(
    engine: AsyncEngine, loaded: Loaded, name: str, field: str, direction: str
) -> None:
    filters = loaded.filters()[name]
    query = ListQuery(sort=(SortKey(field, direction),), per_page=20, max_offset=1000)  # type: ignore[arg-type]
    expected = await _expected(engine, loaded.tenant, filters, query)
    assert expected, name
    first, page, plans = await _page(engine, loaded.tenant, filters, query)
    for plan in plans:
        _assert_cut(plan)
    assert first == expected[:20]
    assert (page.total.total, page.total.exact) == (
        (len(expected), True) if len(expected) <= TOTAL_CAP else (TOTAL_CAP, False)
    )
    if len(expected) <= 20:
        assert page.next_cursor is None
        return
    assert page.next_cursor is not None
    deeper = ListQuery(sort=query.sort, per_page=20, max_offset=1000, cursor=page.next_cursor)
    second, _, plans = await _page(engine, loaded.tenant, filters, deeper)
    for plan in plans:
        _assert_cut(plan)
    assert second == expected[20:40]
