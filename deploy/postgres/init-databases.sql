-- One PostgreSQL server, one database per Proximity context (each service owns its own).
-- Run by the postgres image on first start (/docker-entrypoint-initdb.d) in docker compose
-- and in Kubernetes (the postgres-init ConfigMap in deploy/k8s/postgres.yaml carries a copy
-- of this file; deploy/tests checks that the two agree).
-- To add a database: add its name to the array below. The statement is idempotent
-- (psql's \gexec runs one CREATE DATABASE per missing name), so it can also be re-run
-- by hand against an existing server:
--   psql "$ADMIN_URL" -f deploy/postgres/init-databases.sql
SELECT format('CREATE DATABASE %I', wanted.db)
FROM unnest(ARRAY[
    'identity',
    'assets',
    'contracts',
    'iam',
    'consents',
    'heatmaps'
]) AS wanted(db)
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = wanted.db)
\gexec
