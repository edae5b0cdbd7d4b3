"""Where tests get PostgreSQL and NATS: the servers named by ``DATABASE_URL`` / ``NATS_URL``;
else Testcontainers when a Docker engine answers; else the embedded ones."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from proximity.devstack.embedded import embedded_nats, embedded_postgres


def docker_answers() -> bool:
    try:
        import docker

        client = docker.from_env(timeout=3)
        return bool(client.ping())
    except Exception:
        return False


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    if url := os.environ.get("DATABASE_URL"):
        yield url
    elif docker_answers():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:16-alpine", driver="psycopg") as container:
            yield container.get_connection_url()
    else:
        with (
            tempfile.TemporaryDirectory(prefix="proximity-pg-") as tmp,
            embedded_postgres(Path(tmp) / "pgdata", keep=False) as url,
        ):
            yield url


@contextlib.contextmanager
def nats_server() -> Iterator[str]:
    if url := os.environ.get("NATS_URL"):
        yield url
    elif docker_answers():
        from testcontainers.core.container import DockerContainer
        from testcontainers.core.waiting_utils import wait_for_logs

        with DockerContainer("nats:2.10-alpine").with_command("-js").with_exposed_ports(4222) as container:
            wait_for_logs(container, "Server is ready")
            yield f"nats://{container.get_container_host_ip()}:{container.get_exposed_port(4222)}"
    else:
        with (
            tempfile.TemporaryDirectory(prefix="proximity-nats-") as tmp,
            embedded_nats(Path(tmp)) as url,
        ):
            yield url
