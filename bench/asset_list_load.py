"""Bulk-load assets into one tenant of the assets database, then VACUUM ANALYZE: the data the
``GET /assets`` and ``GET /search/locations`` benchmark reads.

Rows are generated inside PostgreSQL (``INSERT … SELECT … FROM generate_series``), so 100,000
assets take seconds and 1,000,000 a few minutes. They are the rows the service writes (the
columns ``POST /assets`` fills, the address as ``AddressIn.model_dump()`` stores it, the geo's
point and bounding box as ``apply_location`` computes them); the generated columns
(``search_words``, ``location_words``), the type's name (``sort_type``, migration 0003's
trigger) and whether it is a container (``is_container``, migration 0014's) are PostgreSQL's
own. The two counters the triggers keep by increments (``assets.total_parties``,
``entities.total_assets``) are set by one aggregate after the load instead, with those
triggers off while it runs: the same values, without a million single-row updates of a few
thousand entity rows.

The tree is site → 3 buildings → 2 floors each → 3 units each (28 assets a site). Sites lie
around 24 British cities (a skewed draw: London ~20 % of them, the smallest ~1.5 %; spread by a
normal of a few kilometres) or, one in seven, anywhere in the country; buildings within a few
hundred metres of their site, units at their building. Floors carry no location (the type
permits none). A third of the sites are a WKT square, the rest a point with a radius. Names are
words (``Oak Court``, ``Oak Court Block B``, ``Floor 2``, ``Suite 217``: ~200 distinct words,
so PostgreSQL keeps statistics for each); ``zanzibar`` names one
site in 1,000. Three sites in five belong to an entity (their units name it), about 50 assets
an entity; two units in three have one or two parties assigned (skewed: a few parties hold
hundreds). 2 % of units are deleted, 1 % of assets hidden, 20 % updated since created. Run on
its own to add rows to a tenant (types and catalogues already provisioned):

    .venv/bin/python bench/asset_list_load.py --database-url postgresql://… --tenant <uuid> --count 100000
"""

from __future__ import annotations

import argparse
import time
import uuid

import psycopg

from assets.domain.asset_types import type_id
from proximity.devstack.embedded import libpq_url

PER_SITE = 28
# name, latitude, longitude, region, spread (degrees of latitude, one standard deviation)
CITIES: tuple[tuple[str, float, float, str, float], ...] = (
    ("london", 51.5072, -0.1276, "greater london", 0.08),
    ("birmingham", 52.4862, -1.8904, "west midlands", 0.05),
    ("manchester", 53.4808, -2.2426, "greater manchester", 0.05),
    ("glasgow", 55.8642, -4.2518, "scotland", 0.04),
    ("leeds", 53.8008, -1.5491, "west yorkshire", 0.04),
    ("liverpool", 53.4084, -2.9916, "merseyside", 0.04),
    ("newcastle", 54.9783, -1.6178, "tyne and wear", 0.035),
    ("sheffield", 53.3811, -1.4701, "south yorkshire", 0.035),
    ("bristol", 51.4545, -2.5879, "bristol", 0.035),
    ("edinburgh", 55.9533, -3.1883, "scotland", 0.035),
    ("leicester", 52.6369, -1.1398, "leicestershire", 0.03),
    ("nottingham", 52.9548, -1.1581, "nottinghamshire", 0.03),
    ("cardiff", 51.4816, -3.1791, "wales", 0.03),
    ("belfast", 54.5973, -5.9301, "northern ireland", 0.03),
    ("southampton", 50.9097, -1.4044, "hampshire", 0.025),
    ("aberdeen", 57.1497, -2.0943, "scotland", 0.025),
    ("cambridge", 52.2053, 0.1218, "cambridgeshire", 0.02),
    ("oxford", 51.7520, -1.2577, "oxfordshire", 0.02),
    ("york", 53.9600, -1.0873, "north yorkshire", 0.02),
    ("plymouth", 50.3755, -4.1427, "devon", 0.02),
    ("norwich", 52.6309, 1.2974, "norfolk", 0.02),
    ("exeter", 50.7184, -3.5339, "devon", 0.02),
    ("hull", 53.7676, -0.3274, "east yorkshire", 0.02),
    ("newark", 53.0765, -0.8086, "nottinghamshire", 0.015),
)
# Anywhere in the country (rural sites): a box over Great Britain, land and sea alike.
COUNTRY_BOX = (-5.5, 50.3, 1.6, 57.6)  # min long, min lat, max long, max lat
RURAL_PER_100 = 15
TOWNS = "ashby bourne cromer dorking epsom frome hexham ilkley kendal ludlow malton oakham".split()  # noqa: SIM905
FIRST_WORDS = (  # noqa: SIM905 - a word list reads best as words
    "oak river mill station harbour king queen park bridge castle church market north south east "
    "west green hill lake abbey meadow orchard willow cedar granite copper iron silver golden "
    "crown victoria albert regent cathedral forge foundry wharf quay dock canal ash beech birch "
    "elm hazel holly maple pine rowan yew alder heron kestrel falcon swan otter badger fox hare "
    "lark wren linnet thistle heather bramble clover fern ivy juniper laurel myrtle poplar spruce "
    "sycamore acorn anchor beacon compass lantern marble slate flint chalk"
).split()
SECOND_WORDS = (  # noqa: SIM905
    "house court park centre works yard place plaza tower gardens point square exchange hall lodge"
).split()
STREETS = (  # noqa: SIM905
    "high station church main park victoria green manor mill school kings queens new london "
    "north south west east chapel bridge"
).split()
ROADS = ("road", "street", "lane", "avenue", "way", "close")
DESCRIPTIONS = (
    "",
    "",
    "Open plan office space with meeting rooms",
    "Warehouse with loading bay",
    "Retail unit on the ground floor",
    "Plant room and storage",
    "Refurbished in the last five years",
)

# One row per asset n of the tenant (1-based): block b = (n-1)/28 is a site's tree, o its place
# in the tree (0 site, 1-3 buildings, 4-9 floors, 10-27 units). Ids derive from (tenant, n), so a
# child's parent id is known without looking it up and a later load continues the same trees.
_INSERT_ASSETS = """
WITH numbered AS (
    SELECT n, (n - 1) / 28 AS b, (n - 1) %% 28 AS o FROM generate_series(%(start)s::int, %(stop)s::int) n
), placed AS (
    SELECT n, b, o,
           CASE WHEN o = 0 THEN 'site' WHEN o <= 3 THEN 'building' WHEN o <= 9 THEN 'floor' ELSE 'unit' END
               AS kind,
           CASE WHEN o = 0 THEN NULL WHEN o <= 3 THEN b * 28 + 1
                WHEN o <= 9 THEN b * 28 + 1 + 1 + (o - 4) / 2 ELSE b * 28 + 1 + 4 + (o - 10) / 3 END
               AS parent_n,
           -- the building a row belongs to (1-3), for its place on the map
           CASE WHEN o = 0 THEN 0 WHEN o <= 3 THEN o WHEN o <= 9 THEN 1 + (o - 4) / 2
                ELSE 1 + (o - 10) / 6 END AS building,
           -- the site's city: none (rural) or a skewed draw, low indexes far more often
           CASE WHEN (hashint4(b * 5 + 1) & 2147483647) %% 100 < %(rural)s THEN NULL
                ELSE 1 + floor(cardinality(%(city_names)s::text[])
                     * power(((hashint4(b * 7 + 2) & 2147483647) %% 1000000) / 1000000.0, 2.2))::int
           END AS city,
           -- two uniform draws for a normal offset (Box-Muller) and two for a rural place
           (1 + (hashint4(b * 11 + 3) & 2147483647) %% 999999) / 1000000.0 AS u1,
           ((hashint4(b * 13 + 4) & 2147483647) %% 1000000) / 1000000.0 AS u2
    FROM numbered
), sited AS (
    SELECT p.*,
           CASE WHEN city IS NULL
                THEN %(min_lat)s + (%(max_lat)s - %(min_lat)s) * u1
                ELSE (%(city_lats)s::float8[])[city]
                     + (%(city_spreads)s::float8[])[city] * sqrt(-2 * ln(u1)) * sin(2 * pi() * u2)
           END AS site_lat,
           CASE WHEN city IS NULL
                THEN %(min_long)s + (%(max_long)s - %(min_long)s) * u2
                ELSE (%(city_longs)s::float8[])[city]
                     + (%(city_spreads)s::float8[])[city] * sqrt(-2 * ln(u1)) * cos(2 * pi() * u2)
                       / cos(radians((%(city_lats)s::float8[])[city]))
           END AS site_long
    FROM placed p
), located AS (
    SELECT s.*,
           -- buildings within ~300 m of their site, units a few metres from their building
           round((site_lat + CASE WHEN building = 0 THEN 0
                  ELSE ((hashint4(b * 4 + building) & 65535) / 65535.0 - 0.5) * 0.006 END
                  + CASE WHEN kind = 'unit' THEN ((hashint4(n) & 255) / 255.0 - 0.5) * 0.0004 ELSE 0 END
                 )::numeric, 6)::float8 AS lat,
           round((site_long + CASE WHEN building = 0 THEN 0
                  ELSE ((hashint4(b * 4 + building + 7) & 65535) / 65535.0 - 0.5) * 0.009 END
                  + CASE WHEN kind = 'unit' THEN ((hashint4(n + 3) & 255) / 255.0 - 0.5) * 0.0006 ELSE 0 END
                 )::numeric, 6)::float8 AS long,
           kind = 'site' AND b %% 3 = 0 AS is_area,
           (%(first_words)s::text[])
               [1 + (hashint4(b * 17) & 2147483647) %% cardinality(%(first_words)s::text[])]
               AS word1,
           (%(second_words)s::text[])
               [1 + (hashint4(b * 19) & 2147483647) %% cardinality(%(second_words)s::text[])]
               AS word2,
           (%(streets)s::text[])
               [1 + (hashint4(b * 23 + building) & 2147483647) %% cardinality(%(streets)s::text[])]
               || ' ' || (%(roads)s::text[])
               [1 + (hashint4(b * 29 + building) & 2147483647) %% cardinality(%(roads)s::text[])]
               AS street,
           (1 + (hashint4(b * 31 + building) & 2147483647) %% 180)::text AS street_number,
           CASE WHEN city IS NULL
                THEN (%(towns)s::text[])[1 + (hashint4(b) & 2147483647) %% cardinality(%(towns)s::text[])]
                ELSE (%(city_names)s::text[])[city] END AS town,
           CASE WHEN city IS NULL THEN 'countryside' ELSE (%(city_regions)s::text[])[city] END AS region,
           CASE WHEN kind = 'floor' THEN 1 + (o - 4) %% 2 WHEN kind = 'unit' THEN 1 + ((o - 10) / 3) %% 2 END
               AS floor_number,
           -- a floor's units numbered from 1-40 (two floors: 80 suite numbers in all)
           CASE WHEN kind = 'unit' THEN 1 + (b * 3 + (o - 10) %% 3) %% 40 END AS unit_number
    FROM sited s
), shaped AS (
    SELECT l.*,
           CASE WHEN is_area THEN format('POLYGON ((%%s %%s, %%s %%s, %%s %%s, %%s %%s, %%s %%s))',
                  long - 0.002, lat - 0.001, long + 0.002, lat - 0.001, long + 0.002, lat + 0.001,
                  long - 0.002, lat + 0.001, long - 0.002, lat - 0.001) END AS wkt,
           CASE WHEN kind = 'floor' THEN NULL
                ELSE jsonb_build_object(
                  'name', CASE WHEN kind = 'site' THEN initcap(word1 || ' ' || word2) END,
                  'unit', CASE WHEN kind = 'unit'
                               THEN 'Suite ' || floor_number || lpad(unit_number::text, 2, '0') END,
                  'street', street_number || ' ' || street,
                  'locale', NULL,
                  'city', town,
                  'region', region,
                  'postal', upper(substr(town, 1, 2)) || (1 + b %% 20) || ' ' || (b %% 10) || 'AB',
                  'country', 'gb',
                  'lat', lat,
                  'long', long)
           END AS address
    FROM located l
)
INSERT INTO assets (id, tenant_id, type_id, entity_id, parent_id, name, description, phone, floor_unit,
                    year_built, building_floor, num_floors_units, strata, address, geo_lat, geo_long,
                    geo_radius, geo_wkt, point_long, point_lat, min_long, min_lat, max_long, max_lat,
                    is_hidden, version, created_at, updated_at, suspended_at, deleted_at)
SELECT md5(%(tenant)s::text || ':' || n)::uuid,
       %(tenant)s,
       CASE kind WHEN 'site' THEN %(site)s::uuid WHEN 'building' THEN %(building)s::uuid
                 WHEN 'floor' THEN %(floor)s::uuid ELSE %(unit)s::uuid END,
       -- three sites in five belong to an entity; its units name it (a container takes none)
       CASE WHEN kind = 'unit' AND (hashint4(b * 37) & 2147483647) %% 5 < 3
            THEN md5(%(tenant)s::text || ':entity:'
                     || 1 + (hashint4(b * 41) & 2147483647) %% %(entities)s)::uuid END,
       CASE WHEN parent_n IS NOT NULL THEN md5(%(tenant)s::text || ':' || parent_n)::uuid END,
       CASE kind WHEN 'site' THEN initcap(word1 || ' ' || word2)
                 WHEN 'building' THEN initcap(word1 || ' ' || word2) || ' Block ' || chr(64 + building)
                 WHEN 'floor' THEN 'Floor ' || floor_number
                 ELSE 'Suite ' || floor_number || lpad(unit_number::text, 2, '0') END
           -- a rare word, for keywords that match a handful of rows
           || CASE WHEN kind = 'site' AND b %% 1000 = 424 THEN ' Zanzibar' ELSE '' END,
       CASE WHEN kind = 'site' THEN 'Site in ' || initcap(town)
            ELSE (%(descriptions)s::text[])
               [1 + (hashint4(n * 43) & 2147483647) %% cardinality(%(descriptions)s::text[])]
       END,
       CASE WHEN kind IN ('site', 'building') AND n %% 3 = 0
            THEN '+44' || lpad(((hashint4(n * 3) & 2147483647) %% 10000000000)::text, 10, '0') END,
       CASE WHEN kind = 'unit' THEN 'Suite ' || floor_number || lpad(unit_number::text, 2, '0') END,
       CASE WHEN kind = 'building' THEN (1900 + (hashint4(n * 47) & 2147483647) %% 125)::text END,
       CASE WHEN kind = 'floor' THEN floor_number::text END,
       CASE WHEN kind = 'building' THEN '2' END,
       NULL,
       address,
       CASE WHEN kind <> 'floor' AND NOT is_area THEN lat END,
       CASE WHEN kind <> 'floor' AND NOT is_area THEN long END,
       CASE kind WHEN 'site' THEN CASE WHEN NOT is_area THEN 250 END WHEN 'building' THEN 40 END,
       wkt,
       CASE WHEN kind <> 'floor' THEN long END,
       CASE WHEN kind <> 'floor' THEN lat END,
       CASE WHEN kind <> 'floor' THEN CASE WHEN is_area THEN long - 0.002 ELSE long END END,
       CASE WHEN kind <> 'floor' THEN CASE WHEN is_area THEN lat - 0.001 ELSE lat END END,
       CASE WHEN kind <> 'floor' THEN CASE WHEN is_area THEN long + 0.002 ELSE long END END,
       CASE WHEN kind <> 'floor' THEN CASE WHEN is_area THEN lat + 0.001 ELSE lat END END,
       n %% 100 = 17,
       1,
       now() - make_interval(secs => (hashint4(n * 53) & 2147483647) %% (3 * 365 * 86400)),
       CASE WHEN n %% 5 = 0
            THEN now() - make_interval(secs => (hashint4(n * 59) & 2147483647) %% 86400000) END,
       CASE WHEN n %% 100 = 33 THEN now() - interval '3 days' END,
       -- only leaves are deleted (an asset with live children cannot be)
       CASE WHEN kind = 'unit' AND n %% 50 = 11 THEN now() - interval '1 day' END
FROM shaped
"""

_INSERT_ENTITIES = """
INSERT INTO entities (id, tenant_id, type_id, industry_id, name, description, phone, url, addresses,
                      version, created_at, updated_at, suspended_at, deleted_at)
SELECT md5(%(tenant)s::text || ':entity:' || e)::uuid, %(tenant)s,
       CASE WHEN e %% 4 = 0 THEN %(vendor)s::uuid ELSE %(client)s::uuid END,
       NULL,
       initcap((%(first_words)s::text[])
               [1 + (hashint4(e * 61) & 2147483647) %% cardinality(%(first_words)s::text[])]
               || ' ' || (%(second_words)s::text[])
               [1 + (hashint4(e * 67) & 2147483647) %% cardinality(%(second_words)s::text[])])
           || ' ' || (ARRAY['Ltd', 'Group', 'Holdings', 'Partners', 'plc'])[1 + e %% 5],
       NULL, NULL, NULL,
       jsonb_build_array(jsonb_build_object(
           'name', NULL, 'unit', NULL, 'street',
           (1 + e %% 90) || ' ' || (%(streets)s::text[])[1 + e %% cardinality(%(streets)s::text[])]
           || ' road',
           'locale', NULL, 'city', (%(city_names)s::text[])[c], 'region', (%(city_regions)s::text[])[c],
           'postal', NULL, 'country', 'gb',
           'lat', round(((%(city_lats)s::float8[])[c]
                         + ((hashint4(e * 71) & 65535) / 65535.0 - 0.5) * 0.1)::numeric, 6)::float8,
           'long', round(((%(city_longs)s::float8[])[c]
                          + ((hashint4(e * 73) & 65535) / 65535.0 - 0.5) * 0.15)::numeric, 6)::float8)),
       1, now() - make_interval(secs => (hashint4(e * 79) & 2147483647) %% (3 * 365 * 86400)),
       NULL, NULL, NULL
FROM generate_series(%(start)s::int, %(stop)s::int) e
CROSS JOIN LATERAL (
    SELECT 1 + (hashint4(e * 83) & 2147483647) %% cardinality(%(city_names)s::text[]) AS c) city
"""

_INSERT_PARTIES = """
INSERT INTO replicated_parties (party_id, tenant_id, deleted, version)
SELECT md5(%(tenant)s::text || ':party:' || p)::uuid, %(tenant)s, false, 1
FROM generate_series(%(start)s::int, %(stop)s::int) p
"""

# Two units in three get a party, one in six a second; a skewed draw, so a few parties hold
# hundreds of assets and most a handful.
_INSERT_ASSET_PARTIES = """
INSERT INTO asset_parties (asset_id, party_id, tenant_id)
SELECT DISTINCT md5(%(tenant)s::text || ':' || n)::uuid,
       md5(%(tenant)s::text || ':party:' || 1 + floor(%(parties)s
           * power(((hashint4(n * 89 + slot) & 2147483647) %% 1000000) / 1000000.0, 2))::int)::uuid,
       %(tenant)s
FROM generate_series(%(start)s::int, %(stop)s::int) n
CROSS JOIN generate_series(1, 2) slot
WHERE (n - 1) %% 28 >= 10 AND (hashint4(n * 97) & 2147483647) %% 6 < CASE slot WHEN 1 THEN 4 ELSE 1 END
"""


def _count(cursor: psycopg.Cursor[tuple[int]], query: str, tenant: uuid.UUID) -> int:
    cursor.execute(query, (tenant,))
    row = cursor.fetchone()
    return int(row[0]) if row else 0


def _word_lists() -> dict[str, object]:
    return {
        "city_names": [c[0] for c in CITIES],
        "city_lats": [c[1] for c in CITIES],
        "city_longs": [c[2] for c in CITIES],
        "city_regions": [c[3] for c in CITIES],
        "city_spreads": [c[4] for c in CITIES],
        "first_words": FIRST_WORDS,
        "second_words": SECOND_WORDS,
        "streets": STREETS,
        "roads": list(ROADS),
        "towns": TOWNS,
        "descriptions": list(DESCRIPTIONS),
    }


def load_assets(database_url: str, tenant: uuid.UUID, total: int, *, verbose: bool = False) -> int:
    """Add assets to ``tenant`` until it has ``total`` (none are removed), with the entities and
    parties they name; returns how many were added. The tenant's standard asset and entity types
    must exist (``provision_standard_types``, ``provision_entity_catalogues``)."""
    url = libpq_url(database_url)
    with psycopg.connect(url, autocommit=False) as connection, connection.cursor() as cursor:
        have = _count(cursor, "SELECT count(*) FROM assets WHERE tenant_id = %s", tenant)
        if have >= total:
            return 0
        entities = max(1, total // 50)
        parties = max(1, total // 20)
        have_entities = _count(cursor, "SELECT count(*) FROM entities WHERE tenant_id = %s", tenant)
        have_parties = _count(cursor, "SELECT count(*) FROM replicated_parties WHERE tenant_id = %s", tenant)
        params: dict[str, object] = {
            "tenant": tenant,
            **_word_lists(),
            "client": type_id(tenant, "entity-type:client"),
            "vendor": type_id(tenant, "entity-type:vendor"),
            **{key: type_id(tenant, key) for key in ("site", "building", "floor", "unit")},
            "rural": RURAL_PER_100,
            "min_long": COUNTRY_BOX[0],
            "min_lat": COUNTRY_BOX[1],
            "max_long": COUNTRY_BOX[2],
            "max_lat": COUNTRY_BOX[3],
            "entities": entities,
            "parties": parties,
        }
        steps = [
            (_INSERT_ENTITIES, have_entities + 1, entities),
            (_INSERT_PARTIES, have_parties + 1, parties),
        ]
        for statement, start, stop in steps:
            if start <= stop:
                cursor.execute(statement, {**params, "start": start, "stop": stop})
        # The counters these triggers keep by increments are set once below, from the rows.
        cursor.execute("ALTER TABLE assets DISABLE TRIGGER assets_entity_counted")
        cursor.execute("ALTER TABLE asset_parties DISABLE TRIGGER asset_parties_counted")
        started = time.perf_counter()
        cursor.execute(_INSERT_ASSETS, {**params, "start": have + 1, "stop": total})
        if verbose:
            print(f"  assets inserted in {time.perf_counter() - started:.1f} s", flush=True)
        cursor.execute(_INSERT_ASSET_PARTIES, {**params, "start": have + 1, "stop": total})
        cursor.execute("ALTER TABLE assets ENABLE TRIGGER assets_entity_counted")
        cursor.execute("ALTER TABLE asset_parties ENABLE TRIGGER asset_parties_counted")
        cursor.execute(
            """UPDATE assets a SET total_parties = c.parties
               FROM (SELECT asset_id, count(*) AS parties FROM asset_parties
                     WHERE tenant_id = %(tenant)s GROUP BY asset_id) c
               WHERE a.id = c.asset_id AND a.total_parties <> c.parties""",
            {"tenant": tenant},
        )
        cursor.execute(
            """UPDATE entities e SET total_assets = c.assets
               FROM (SELECT e2.id, count(a.id) AS assets FROM entities e2
                     LEFT JOIN assets a ON a.entity_id = e2.id AND a.deleted_at IS NULL
                     WHERE e2.tenant_id = %(tenant)s GROUP BY e2.id) c
               WHERE e.id = c.id AND e.total_assets <> c.assets""",
            {"tenant": tenant},
        )
        connection.commit()
    with psycopg.connect(url, autocommit=True) as connection:
        # VACUUM too: a table at rest has been vacuumed by autovacuum (visibility map set, GIN
        # pending list merged); a freshly loaded one has not, and would measure the load.
        connection.execute("VACUUM ANALYZE")
    return total - have


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True, help="the assets service's database")
    parser.add_argument("--tenant", required=True, type=uuid.UUID)
    parser.add_argument("--count", type=int, default=100_000, help="assets the tenant ends up with")
    args = parser.parse_args()
    added = load_assets(args.database_url, args.tenant, args.count, verbose=True)
    print(f"added {added} assets; tenant {args.tenant} now has at least {args.count}")


if __name__ == "__main__":
    main()
