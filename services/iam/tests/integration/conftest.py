"""The iam service against real PostgreSQL and NATS: a migrated database per run, the app
in-process over HTTP (httpx's ASGI transport) with the stand-in identity."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from iam_harness import Iam, Tenant, provisioned_tenant

from iam.app import create_app
from iam.config import IamSettings
from proximity.db.migrate import upgrade
from proximity.testing.stand_in_identity import ClientKeys, Signer, identity_app, identity_served


@pytest.fixture(scope="session")
def iam_database_url(database_factory: Callable[[str], str]) -> str:
    url = database_factory("iam")
    upgrade("iam", url)
    return url


@pytest.fixture
def settings(iam_database_url: str, nats_url: str) -> IamSettings:
    # The permission worker consumes (deletes) permission_change rows, which some tests read:
    # the tests of the worker turn it on (test_iam_permission_propagation.py).
    return IamSettings(database_url=iam_database_url, nats_url=nats_url, permission_propagation_enabled=False)


@pytest.fixture(scope="session")
def signer() -> Signer:
    return Signer()


@pytest.fixture(scope="session")
def client_keys() -> ClientKeys:
    return ClientKeys()


@pytest.fixture
async def service(settings: IamSettings, signer: Signer, client_keys: ClientKeys) -> AsyncIterator[Iam]:
    stand_in = identity_app(signer, client_keys, {})
    async with identity_served(stand_in) as identity_url:
        pointed = settings.model_copy(
            update={"identity_url": identity_url, "jwks_url": f"{identity_url}/.well-known/jwks.json"}
        )
        app = create_app(pointed)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://iam") as http,
        ):
            yield Iam(http, app.state.iam, signer, pointed, client_keys)


@pytest.fixture
async def tenant(service: Iam) -> Tenant:
    return await provisioned_tenant(service)
