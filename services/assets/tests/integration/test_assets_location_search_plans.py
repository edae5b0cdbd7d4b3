"""Location search finds its candidates by index for both kinds: EXPLAIN of the statements the
repository sends, over a tenant of a few thousand located assets and entities, shows the GiST
index of assets' boxes (``ix_assets_box``) and of entities' address boxes (``ix_entities_box``)
and no Seq Scan of either table."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from assets.domain.asset_types import type_id
from assets.repositories import location_search
from assets.repositories.entity_catalogues import provision_entity_catalogues
from assets.search.keyword_query import compiled_tsquery
from proximity.db.engine import build_engine
from proximity.db.migrate import upgrade
from proximity.devstack.embedded import libpq_url

ROWS = 5_000
# A grid over most of the globe: a 2° box holds a handful of rows of each kind.
_LOAD = """
INSERT INTO assets (id, tenant_id, name, description, geo_lat, geo_long, point_lat, point_long,
                    min_long, min_lat, max_long, max_lat, is_hidden, version, created_at, total_parties)
SELECT gen_random_uuid(), %(tenant)s, 'asset ' || n, '', lat, long, lat, long, long, lat, long, lat,
       false, 1, now(), 0
FROM (SELECT n, (n %% 70) * 2.0 - 70 AS lat, (n / 70) * 2.5 - 90 AS long
      FROM generate_series(1, %(rows)s) n) grid;
INSERT INTO entities (id, tenant_id, type_id, name, addresses, version, created_at, total_assets)
SELECT gen_random_uuid(), %(tenant)s, %(entity_type)s, 'entity ' || n,
       jsonb_build_array(
           jsonb_build_object('name', 'Head office', 'lat', lat, 'long', long),
           jsonb_build_object('name', 'Depot', 'lat', lat + 0.5, 'long', long + 0.5)),
       1, now(), 0
FROM (SELECT n, (n %% 70) * 2.0 - 70 AS lat, (n / 70) * 2.5 - 90 AS long
      FROM generate_series(1, %(rows)s) n) grid;
INSERT INTO entities (id, tenant_id, type_id, name, addresses, version, created_at, total_assets)
SELECT gen_random_uuid(), %(tenant)s, %(entity_type)s, 'unlocated ' || n,
       '[{"name": "Somewhere", "country": "ca"}]', 1, now(), 0
FROM generate_series(1, %(rows)s) n
"""


class Loaded:
    def __init__(self, url: str) -> None:
        self.url = url
        self.tenant = uuid.uuid4()


async def _provisioned(url: str, tenant_id: uuid.UUID) -> None:
    engine = build_engine(url, pool_size=1)
    try:
        async with AsyncSession(engine) as session:
            await provision_entity_catalogues(session, tenant_id)
            await session.commit()
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def loaded(database_factory: Callable[[str], str]) -> Loaded:
    """A database of its own: the planner's statistics of the shared one are not disturbed."""
    data = Loaded(database_factory("assets_location_plans"))
    upgrade("assets", data.url)
    asyncio.run(_provisioned(data.url, data.tenant))
    params = {
        "tenant": data.tenant,
        "entity_type": type_id(data.tenant, "entity-type:client"),
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


Search = Callable[[AsyncSession], Awaitable[Any]]


async def _plans(engine: AsyncEngine, search: Search) -> list[dict[str, Any]]:
    """The plan of each statement ``search`` sends, and checks it found something."""
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, params: Any, _context: Any, _many: bool) -> None:
        sent.append((statement, params))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        async with AsyncSession(engine) as session:
            assert await search(session)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    plans = []
    async with engine.connect() as connection:
        for statement, params in sent:
            explained = await connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", params)
            plans.append(explained.scalar_one()[0]["Plan"])
    return plans


BOXES: dict[str, list[location_search.Box]] = {
    "one bound": [(10.0, 10.0, 12.0, 12.0)],
    "two bounds": [(10.0, 10.0, 12.0, 12.0), (-40.0, -30.0, -38.0, -28.0)],
}


@pytest.mark.parametrize("bounds", list(BOXES))
@pytest.mark.parametrize("keywords", [None, "asset OR entity"])
async def test_assets_and_entities_are_found_through_their_box_indexes(
    engine: AsyncEngine, loaded: Loaded, bounds: str, keywords: str | None
) -> None:
    boxes = BOXES[bounds]
    tsquery = compiled_tsquery(keywords) if keywords else None
    kinds = {
        ("assets", "ix_assets_box"): lambda s: location_search.assets_in(
            s, loaded.tenant, boxes, tsquery, 4000
        ),
        ("entities", "ix_entities_box"): lambda s: location_search.entities_in(
            s, loaded.tenant, boxes, tsquery, 4000
        ),
    }
    for (table, index), search in kinds.items():
        for plan in await _plans(engine, search):
            nodes = list(_nodes(plan))
            used = {node.get("Index Name") for node in nodes}
            scanned = [n for n in nodes if n["Node Type"] == "Seq Scan" and n.get("Relation Name") == table]
            assert index in used, (table, plan)
            assert not scanned, (table, plan)


async def test_only_entities_with_an_address_inside_a_box_are_candidates(
    engine: AsyncEngine, loaded: Loaded
) -> None:
    """The index's box is around every located address: the depot half a degree off is inside."""
    async with AsyncSession(engine) as session:
        around_depots = await location_search.entities_in(
            session, loaded.tenant, [(10.4, 10.4, 10.6, 10.6)], None, 4000
        )
        nowhere = await location_search.entities_in(
            session, loaded.tenant, [(179.0, 89.0, 180.0, 90.0)], None, 4000
        )
    # n = 2840 sits at long 10, lat 10 (its depot at 10.5, 10.5).
    assert [e.name for e in around_depots] == ["entity 2840"]
    assert nowhere == []
