"""Bulk-load parties into one tenant of identity's database, then VACUUM ANALYZE: the data the
``GET /parties`` benchmark and the plan test read.

Rows are generated inside PostgreSQL (``INSERT … SELECT … FROM generate_series``), so 100,000
parties take seconds. Names come from fixed lists with a skewed draw: ``smith`` is a common
last name (~1 % of rows) and ``zanzibar`` a rare one, so keyword searches can be measured for
both. About 2 % of rows are deleted, 5 % belong to a group, 20 % hold skillsets and 1 % are
users with a login identity and a sign-in. Run on its own to add rows to a tenant:

    .venv/bin/python bench/party_list_load.py --database-url postgresql://… --tenant <uuid> --count 100000
"""

from __future__ import annotations

import argparse
import uuid

import psycopg

from proximity.devstack.embedded import libpq_url

FIRST_NAMES = (  # noqa: SIM905 - a word list reads best as words
    "james mary john patricia robert jennifer michael linda william elizabeth david barbara richard "
    "susan joseph jessica thomas sarah charles karen christopher nancy daniel lisa matthew betty "
    "anthony margaret mark sandra donald ashley steven kimberly paul emily andrew donna joshua "
    "michelle kenneth dorothy kevin carol brian amanda george melissa edward deborah ronald "
    "stephanie timothy rebecca jason sharon jeffrey laura ryan cynthia jacob kathleen gary amy "
    "nicholas shirley eric angela jonathan helen stephen anna larry brenda justin pamela scott "
    "nicole brandon emma benjamin samantha samuel katherine gregory christine frank debra alexander "
    "rachel raymond catherine patrick carolyn jack janet dennis ruth jerry maria tyler heather aaron "
    "diane jose virginia adam julie"
).split()
LAST_NAMES = (  # noqa: SIM905 - a word list reads best as words
    "smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez "
    "gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white harris "
    "sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen hill "
    "flores green adams nelson baker hall rivera campbell mitchell carter roberts gomez phillips "
    "evans turner diaz parker cruz edwards collins reyes stewart morris morales murphy cook rogers "
    "gutierrez ortiz morgan cooper peterson bailey reed kelly howard ramos kim cox ward richardson "
    "watson brooks chavez wood james bennett gray mendoza ruiz hughes price alvarez castillo sanders "
    "patel myers long ross foster jimenez powell jenkins perry russell sullivan bell coleman butler "
    "henderson barnes gonzales fisher vasquez simmons romero jordan patterson alexander hamilton "
    "graham reynolds griffin wallace moreno west cole hayes bryant herrera gibson ellis tran medina "
    "aguilar stevens murray ford castro marshall owens harrison fernandez mcdonald woods washington "
    "kennedy wells vargas henry chen freeman webb tucker guzman burns crawford olson simpson porter "
    "hunter gordon mendez silva shaw snyder mason dixon munoz hunt hicks holmes palmer wagner black "
    "robertson boyd rose stone salazar fox warren"
).split()
DOMAINS = ("example.com", "mail.test", "acme.example", "corp.test")
GROUPS = 20
SKILLSETS = 12

_INSERT_PARTIES = """
INSERT INTO parties (id, tenant_id, base_type, first_name, last_name, email, type_id, phone,
                     avatar_url, job_title_id, addresses, profile, version, created_at, updated_at,
                     deleted_at)
SELECT gen_random_uuid(), %(tenant)s, types.base_type,
       initcap((%(firsts)s::text[])[1 + (hashint4(n) & 2147483647) %% cardinality(%(firsts)s::text[])]),
       -- a skewed draw: low indexes (smith, johnson ...) far more often; one row in ~20 has none
       CASE WHEN n %% 20 = 7 THEN NULL
            WHEN n %% 10000 = 4242 THEN 'Zanzibar'
            ELSE initcap((%(lasts)s::text[])[1 + floor(cardinality(%(lasts)s::text[])
                 * power(((hashint4(n * 7 + 1) & 2147483647) %% 1000000) / 1000000.0, 2.2))::int])
       END,
       CASE WHEN n %% 9 = 3 THEN NULL
            ELSE 'p' || n || '@' || (%(domains)s::text[])[1 + n %% cardinality(%(domains)s::text[])] END,
       types.id,
       CASE WHEN n %% 3 = 0 THEN NULL
            ELSE '+44' || lpad(((hashint4(n * 3) & 2147483647) %% 10000000000)::text, 10, '0') END,
       NULL,
       CASE WHEN n %% 4 = 0 THEN NULL ELSE (titles.ids)[1 + n %% cardinality(titles.ids)] END,
       '[]'::jsonb, '[]'::jsonb, 1,
       now() - make_interval(secs => (hashint4(n * 11) & 2147483647) %% (3 * 365 * 86400)),
       CASE WHEN n %% 5 = 0
            THEN now() - make_interval(secs => (hashint4(n * 13) & 2147483647) %% 86400000) END,
       CASE WHEN n %% 50 = 1 THEN now() END
FROM generate_series(%(start)s::int, %(stop)s::int) AS n
CROSS JOIN LATERAL (
    SELECT array_agg(id ORDER BY name) AS ids FROM job_titles WHERE tenant_id = %(tenant)s
) titles
JOIN LATERAL (
    SELECT id, base_type FROM party_types WHERE tenant_id = %(tenant)s
    ORDER BY name OFFSET (n %% 2) LIMIT 1
) types ON true
"""


def _existing(cursor: psycopg.Cursor[tuple[int]], tenant: uuid.UUID) -> int:
    cursor.execute("SELECT count(*) FROM parties WHERE tenant_id = %s", (tenant,))
    row = cursor.fetchone()
    return row[0] if row else 0


def _relations(cursor: psycopg.Cursor[tuple[int]], tenant: uuid.UUID, first: int) -> None:
    """Group memberships, skillsets held, and a few users with an identity and a sign-in, for the
    parties added after the first ``first`` (by creation order of the load)."""
    cursor.execute(
        """INSERT INTO skillsets (id, tenant_id, name, description, version, created_at)
           SELECT gen_random_uuid(), %(tenant)s, 'Skill ' || s, 'bench', 1, now()
           FROM generate_series(1, %(count)s::int) s
           WHERE NOT EXISTS (
             SELECT 1 FROM skillsets WHERE tenant_id = %(tenant)s AND description = 'bench')""",
        {"tenant": tenant, "count": SKILLSETS},
    )
    cursor.execute(
        """CREATE TEMP TABLE new_parties ON COMMIT DROP AS
           SELECT id, row_number() OVER (ORDER BY id) AS n FROM parties
           WHERE tenant_id = %(tenant)s
             AND NOT EXISTS (SELECT 1 FROM bench_loaded b WHERE b.id = parties.id)""",
        {"tenant": tenant},
    )
    cursor.execute(
        """INSERT INTO party_group_memberships (group_id, party_id, tenant_id)
           SELECT uuid_generate_v5_like, id, %(tenant)s FROM (
             SELECT id, md5(%(tenant)s::text || (n %% %(groups)s))::uuid AS uuid_generate_v5_like
             FROM new_parties WHERE n %% 20 = 0) g
           ON CONFLICT DO NOTHING""",
        {"tenant": tenant, "groups": GROUPS},
    )
    cursor.execute(
        """INSERT INTO party_skillsets (party_id, skillset_id, tenant_id, created_at)
           SELECT p.id, s.id, %(tenant)s, now()
           FROM new_parties p
           JOIN LATERAL (SELECT id FROM skillsets WHERE tenant_id = %(tenant)s AND description = 'bench'
                         ORDER BY id OFFSET p.n %% %(skillsets)s LIMIT 1 + p.n %% 3) s ON true
           WHERE p.n %% 5 = 2
           ON CONFLICT DO NOTHING""",
        {"tenant": tenant, "skillsets": SKILLSETS},
    )
    cursor.execute(
        """WITH chosen AS (
             SELECT id AS party_id, gen_random_uuid() AS user_id FROM new_parties WHERE n %% 100 = 50),
           users_made AS (
             INSERT INTO users (id, tenant_id, party_id, is_system_admin, allow_otp, version, created_at)
             SELECT user_id, %(tenant)s, party_id, false, false, 1, now() FROM chosen RETURNING id),
           identities_made AS (
             INSERT INTO identities (id, tenant_id, user_id, kind, value, created_at)
             SELECT gen_random_uuid(), %(tenant)s, user_id, 'email',
                    'bench-' || user_id || '@example.com', now()
             FROM chosen RETURNING id)
           INSERT INTO sessions (id, tenant_id, user_id, created_at, expires_at)
           SELECT gen_random_uuid(), %(tenant)s, user_id,
                  now() - make_interval(secs => (hashtext(user_id::text) & 2147483647) %% 8640000),
                  now() + interval '1 day'
           FROM chosen""",
        {"tenant": tenant},
    )


def load_parties(database_url: str, tenant: uuid.UUID, total: int) -> int:
    """Add parties to ``tenant`` until it has ``total`` (none are removed); returns how many
    were added. The tenant needs its party types and job titles (``ensure_tenant`` makes them)."""
    url = libpq_url(database_url)
    with psycopg.connect(url, autocommit=False) as connection, connection.cursor() as cursor:
        have = _existing(cursor, tenant)
        if have >= total:
            return 0
        cursor.execute(
            "CREATE TEMP TABLE bench_loaded ON COMMIT DROP AS SELECT id FROM parties WHERE tenant_id = %s",
            (tenant,),
        )
        params = {
            "tenant": tenant,
            "firsts": FIRST_NAMES,
            "lasts": LAST_NAMES,
            "domains": list(DOMAINS),
            "start": have + 1,
            "stop": total,
        }
        cursor.execute(_INSERT_PARTIES, params)
        _relations(cursor, tenant, have)
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
    parser.add_argument("--database-url", required=True, help="identity's database")
    parser.add_argument("--tenant", required=True, type=uuid.UUID)
    parser.add_argument("--count", type=int, default=100_000, help="parties the tenant ends up with")
    args = parser.parse_args()
    added = load_parties(args.database_url, args.tenant, args.count)
    print(f"added {added} parties; tenant {args.tenant} now has at least {args.count}")


if __name__ == "__main__":
    main()
