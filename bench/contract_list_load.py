"""Bulk-load contracts into one tenant of contracts' database, then VACUUM ANALYZE: the data the
``GET /contracts`` benchmark reads.

Rows are what the service writes, generated inside PostgreSQL (``INSERT … SELECT … FROM
generate_series``): the ``contracts`` row with its owner and contact (party associations in the
tenant's roles) and its ``total_assets`` / ``total_entities`` (kept with the links), a row per
link in ``contract_{asset,entity,party,service}_links``, and the replicas and services the links
name (``party_replica``, ``asset_replica``, ``entity_replica``; ``services`` through its trigger).
The outbox rows a write also leaves are not made: no list reads them.

Names read like a tenant's contracts ("Northwind Cleaning Service Agreement 2024"): a customer,
a service, a kind and a year, so ``agreement`` is common (~40 % of names), a service word
moderate (~7 %) and ``zanzibar`` rare (one in 10,000). Links are spread over 5,000 parties,
20,000 assets, 2,000 entities and 200 services, each contract linking 1-3 parties, 0-5 assets,
0-2 entities and 0-3 services, plus one busy object of each kind that many contracts link: a
party (5 %), an asset (2 %), an entity (4 %) and a service (10 %). 2 % of contracts are deleted,
3 % suspended, 10 % have no expiry. Run on its own to add rows to a tenant:

    .venv/bin/python bench/contract_list_load.py --database-url postgresql://… --tenant <uuid> --count 100000
"""

from __future__ import annotations

import argparse
import hashlib
import uuid

import psycopg

from contracts.domain.contract_roles import role_id
from contracts.domain.service_catalogues import STANDARD_SERVICE_TYPES, catalogue_id
from proximity.devstack.embedded import libpq_url

CUSTOMERS = (  # noqa: SIM905 - a word list reads best as words
    "northwind contoso fabrikam globex initech umbrella hooli stark wayne wonka acme tyrell cyberdyne "
    "soylent vandelay oscorp massive aperture gringotts monarch nakatomi oceanic pied dunder "
    "sterling cooper prestige virtucom zorg bluth kramerica gekko duff krusty paper wernham "
    "grayson abstergo blackmesa daedalus ellingson genco hanso ingen jupiter kronos lexcorp "
    "macguffin nostromo octan pendant quartz rekall sirius tessier ultor veidt weyland yoyodyne "
    "zenith albion brightwater cedar danube elmwood fairview granite harbour ironbridge juniper "
    "kingsway lakeside meridian newhaven oakfield pinecrest queensgate riverside summit thornbury"
).split()
SERVICES = (  # noqa: SIM905
    "cleaning maintenance security catering inspection landscaping plumbing electrical hvac lifts "
    "waste pest fire glazing reception parking"
).split()
KINDS = ("service agreement", "contract", "agreement", "maintenance plan", "sla", "lease", "framework")
PARTIES, ASSETS, ENTITIES, SERVICE_ROWS = 5000, 20000, 2000, 200


def object_id(tenant: uuid.UUID, kind: str, n: int) -> uuid.UUID:
    """The id the load gives object ``n`` (0: the busy one) of a kind, as the SQL does."""
    return uuid.UUID(hex=hashlib.md5(f"{kind}:{tenant}:{n}".encode(), usedforsecurity=False).hexdigest())


def _draw(low: int, modulus: int, salt: int) -> str:
    """SQL of a number from ``low`` to ``low + modulus - 1`` drawn from a hash of ``n``."""
    return f"({low} + (hashint4(n * {2 * salt + 101} + {salt}) & 2147483647) %% {modulus})"


# Contract n's links by kind: table, column, how many it draws, when it links the busy one, pool.
# Drawn from hashes of n, not n itself: which contracts link the busy party must not follow their
# expiry, totals or age (a draw by n modulo k would, and would send a sort's walk through every
# row before the first match).
_LINKS = {
    "party": ("contract_party_links", "party_id", _draw(1, 3, 1), f"{_draw(0, 20, 2)} = 0", PARTIES),
    "asset": ("contract_asset_links", "asset_id", _draw(0, 6, 3), f"{_draw(0, 50, 4)} = 0", ASSETS),
    "entity": ("contract_entity_links", "entity_id", _draw(0, 3, 5), f"{_draw(0, 25, 6)} = 0", ENTITIES),
    "service": (
        "contract_service_links",
        "service_id",
        _draw(0, 4, 7),
        f"{_draw(0, 10, 8)} = 0",
        SERVICE_ROWS,
    ),
}


def _link_rows(kind: str) -> str:
    _, _, count, busy, pool = _LINKS[kind]
    return f"""
CREATE TEMP TABLE new_{kind}_links ON COMMIT DROP AS
SELECT DISTINCT n, md5('{kind}:' || %(tenant)s || ':' || k)::uuid AS object_id FROM (
    SELECT n, 1 + (hashint4(n * 31 + i * 7 + {len(kind)}) & 2147483647) %% {pool} AS k
    FROM generate_series(%(start)s::int, %(stop)s::int) n, generate_series(1, {count}) i
    UNION ALL
    SELECT n, 0 FROM generate_series(%(start)s::int, %(stop)s::int) n WHERE {busy}
) drawn
"""  # noqa: S608 - built from this module's constants only


_INSERT_CONTRACTS = """
INSERT INTO contracts (id, tenant_id, name, description, starts_at, expires_at, url, owners, contacts,
                       media_ids, version, created_at, updated_at, suspended_at, deleted_at,
                       total_assets, total_entities)
SELECT md5('contract:' || %(tenant)s || ':' || n)::uuid, %(tenant)s,
       CASE WHEN n %% 10000 = 4242 THEN 'Zanzibar ' ELSE '' END
         || initcap(customer) || ' ' || initcap(service) || ' ' || initcap(kind) || ' '
         || (2019 + n %% 7),
       'Covers ' || service || ' at the ' || customer || ' sites, reviewed yearly. Reference C-' || n,
       created, CASE WHEN n %% 10 = 3 THEN NULL
                     ELSE created + make_interval(days => 365 * (1 + n %% 3)) END,
       CASE WHEN n %% 4 = 0 THEN 'https://docs.example.com/contracts/' || n || '.pdf' END,
       jsonb_build_array(jsonb_build_object('party_id', owner::text, 'role_id', %(owner_role)s::text)),
       jsonb_build_array(jsonb_build_object('party_id', owner::text, 'role_id', %(contact_role)s::text)),
       '{}'::uuid[], 1 + n %% 4, created,
       CASE WHEN n %% 4 <> 0
            THEN created + make_interval(secs => (hashint4(n * 13) & 2147483647) %% 8640000) END,
       CASE WHEN n %% 33 = 5 THEN now() END,
       CASE WHEN n %% 50 = 1 THEN now() END,
       (SELECT count(*) FROM new_asset_links l WHERE l.n = g.n),
       (SELECT count(*) FROM new_entity_links l WHERE l.n = g.n)
FROM generate_series(%(start)s::int, %(stop)s::int) AS g(n)
CROSS JOIN LATERAL (SELECT
    (%(customers)s::text[])[1 + (hashint4(n) & 2147483647) %% cardinality(%(customers)s::text[])] AS customer,
    (%(services)s::text[])[1 + floor(cardinality(%(services)s::text[])
        * power(((hashint4(n * 7 + 1) & 2147483647) %% 1000000) / 1000000.0, 1.5))::int] AS service,
    (%(kinds)s::text[])[1 + floor(cardinality(%(kinds)s::text[])
        * power(((hashint4(n * 5 + 3) & 2147483647) %% 1000000) / 1000000.0, 2.0))::int] AS kind,
    now() - make_interval(secs => (hashint4(n * 11) & 2147483647) %% (3 * 365 * 86400)) AS created,
    (SELECT min(object_id::text)::uuid FROM new_party_links l WHERE l.n = g.n) AS owner
) drawn
"""


def _objects(cursor: psycopg.Cursor[tuple[int]], tenant: uuid.UUID) -> None:
    """The parties, assets, entities and services the links name, as identity's and assets'
    events and ``POST /services`` made them (0: the busy one of each kind)."""
    for table, column, kind, pool, label in (
        ("party_replica", "party_id", "party", PARTIES, None),
        ("asset_replica", "asset_id", "asset", ASSETS, "Asset"),
        ("entity_replica", "entity_id", "entity", ENTITIES, "Entity"),
    ):
        named = ", name" if label else ""
        value = f", '{label} ' || k" if label else ""
        extra = ", deleted" if not label else ""
        extra_value = ", false" if not label else ""
        cursor.execute(
            f"""INSERT INTO {table} ({column}, tenant_id{named}{extra}, version)
                SELECT md5('{kind}:' || %(tenant)s || ':' || k)::uuid, %(tenant)s{value}{extra_value}, 1
                FROM generate_series(0, {pool}) k ON CONFLICT DO NOTHING""",  # noqa: S608
            {"tenant": tenant},
        )
    types = [catalogue_id(tenant, "service-type", t.key) for t in STANDARD_SERVICE_TYPES]
    cursor.execute(
        f"""INSERT INTO services (id, tenant_id, name, description, type_id, version, created_at)
            SELECT md5('service:' || %(tenant)s || ':' || k)::uuid, %(tenant)s,
                   initcap((%(services)s::text[])[1 + k %% cardinality(%(services)s::text[])]) || ' ' || k,
                   '', (%(types)s::uuid[])[1 + k %% cardinality(%(types)s::uuid[])], 1, now()
            FROM generate_series(0, {SERVICE_ROWS}) k ON CONFLICT DO NOTHING""",  # noqa: S608
        {"tenant": tenant, "services": list(SERVICES), "types": types},
    )


def _existing(cursor: psycopg.Cursor[tuple[int]], tenant: uuid.UUID) -> int:
    cursor.execute("SELECT count(*) FROM contracts WHERE tenant_id = %s", (tenant,))
    row = cursor.fetchone()
    return row[0] if row else 0


def load_contracts(database_url: str, tenant: uuid.UUID, total: int) -> int:
    """Add contracts to ``tenant`` until it has ``total`` (none are removed); returns how many
    were added. The tenant needs its contract roles and service types (``provision_tenant``)."""
    url = libpq_url(database_url)
    with psycopg.connect(url, autocommit=False) as connection, connection.cursor() as cursor:
        have = _existing(cursor, tenant)
        if have >= total:
            return 0
        params = {
            "tenant": tenant,
            "start": have + 1,
            "stop": total,
            "customers": list(CUSTOMERS),
            "services": list(SERVICES),
            "kinds": list(KINDS),
            "owner_role": role_id(tenant, "account_executive"),
            "contact_role": role_id(tenant, "primary_contact"),
        }
        _objects(cursor, tenant)
        for kind in _LINKS:
            cursor.execute(_link_rows(kind), params)
            cursor.execute(f"CREATE INDEX ON new_{kind}_links (n)")
            cursor.execute(f"ANALYZE new_{kind}_links")
        cursor.execute(_INSERT_CONTRACTS, params)
        for kind, (table, column, *_) in _LINKS.items():
            cursor.execute(
                f"""INSERT INTO {table} (contract_id, {column}, tenant_id)
                    SELECT md5('contract:' || %(tenant)s || ':' || n)::uuid, object_id, %(tenant)s
                    FROM new_{kind}_links""",  # noqa: S608
                params,
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
    parser.add_argument("--database-url", required=True, help="contracts' database")
    parser.add_argument("--tenant", required=True, type=uuid.UUID)
    parser.add_argument("--count", type=int, default=100_000, help="contracts the tenant ends up with")
    args = parser.parse_args()
    added = load_contracts(args.database_url, args.tenant, args.count)
    print(f"added {added} contracts; tenant {args.tenant} now has at least {args.count}")


if __name__ == "__main__":
    main()
