"""The pytest plugin every package's tests get (registered as the ``proximity`` pytest11
entry point): real PostgreSQL and NATS servers, and a fresh database per use."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from proximity.devstack.embedded import drop_database, ensure_database
from proximity.devstack.smtp_sink import SmtpSink
from proximity.devstack.smtp_sink import smtp_sink as running_sink
from proximity.testing.servers import nats_server, postgres_server


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def nats_url() -> Iterator[str]:
    with nats_server() as url:
        yield url


@pytest.fixture(scope="session")
def run_id() -> str:
    """Unique per test run, so runs sharing one server never see each other's data."""
    return uuid.uuid4().hex[:10]


@pytest.fixture(scope="session")
def database_factory(postgres_url: str, run_id: str) -> Iterator[Callable[[str], str]]:
    """``new_database("identity")`` creates an empty database and returns its URL."""
    created: list[str] = []

    def new_database(label: str) -> str:
        name = f"t_{run_id}_{label}_{len(created)}"
        created.append(name)
        return ensure_database(postgres_url, name)

    yield new_database
    for name in created:
        drop_database(postgres_url, name)


@pytest.fixture(scope="session")
def smtp_sink(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmtpSink]:
    """A real SMTP server on a free port that keeps every message; tests find theirs by
    recipient (``await smtp_sink.wait_for(address)``), so one sink serves the whole run."""
    directory: Path = tmp_path_factory.mktemp("mail")
    with running_sink(directory) as sink:
        yield sink
