"""Fixtures of the end-to-end tests: one running stack per test session."""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx
import pytest

from e2e_stack import REPO, Stack
from proximity.devstack.embedded import drop_database
from proximity.devstack.launcher import launched_stack
from proximity.devstack.stack import load_stack


@pytest.fixture(scope="session")
def stack(postgres_url: str, run_id: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Without ``NATS_URL`` (as in CI) the stack starts its own NATS, with a user per service
    as every deployment runs it; no service may then have been refused anything on the bus."""
    prefix = f"e2e_{run_id}_"
    env = {**os.environ, "DATABASE_URL": postgres_url, "DB_PREFIX": prefix}
    with launched_stack(env, tmp_path_factory.mktemp("stack"), repo=REPO) as started:
        yield started
    for spec in load_stack(REPO / "deploy" / "dev-stack.toml"):
        if spec.database:
            drop_database(postgres_url, f"{prefix}{spec.name}")
    refused = [line for line in started.nats_log().splitlines() if "Violation" in line]
    assert refused == [], "\n".join(refused)


@pytest.fixture
def gateway(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.gateway, timeout=30) as client:
        yield client


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Contract fuzzing runs last: as the demo administrator it changes what every other test
    relies on (second factors, config, account, parties), so nothing may run after it."""
    fuzzing = [
        item for item in items if item.module is not None and "contract_fuzzing" in item.module.__name__
    ]
    items[:] = [item for item in items if item not in fuzzing] + fuzzing
