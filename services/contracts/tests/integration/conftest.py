"""The contracts service against real PostgreSQL and NATS: a migrated database per run, the
app in-process over HTTP (httpx's ASGI transport) with the stand-in identity."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from contracts_harness import ASSETS_SECRET, Contracts, Tenant, provisioned_tenant

from contracts.app import create_app
from contracts.config import ContractsSettings
from proximity.db.migrate import upgrade
from proximity.testing.stand_in_identity import ClientKeys, Signer, identity_app, identity_served


@pytest.fixture(scope="session")
def contracts_database_url(database_factory: Callable[[str], str]) -> str:
    url = database_factory("contracts")
    upgrade("contracts", url)
    return url


@pytest.fixture
def settings(contracts_database_url: str, nats_url: str) -> ContractsSettings:
    return ContractsSettings(database_url=contracts_database_url, nats_url=nats_url)


@pytest.fixture(scope="session")
def signer() -> Signer:
    return Signer()


@pytest.fixture(scope="session")
def client_keys() -> ClientKeys:
    return ClientKeys()


@pytest.fixture
async def service(
    settings: ContractsSettings, signer: Signer, client_keys: ClientKeys
) -> AsyncIterator[Contracts]:
    stand_in = identity_app(signer, client_keys, {"assets": ASSETS_SECRET})
    async with identity_served(stand_in) as identity_url:
        pointed = settings.model_copy(
            update={"identity_url": identity_url, "jwks_url": f"{identity_url}/.well-known/jwks.json"}
        )
        app = create_app(pointed)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://contracts") as http,
        ):
            yield Contracts(http, app.state.contracts, signer, pointed, client_keys)


@pytest.fixture
async def tenant(service: Contracts) -> Tenant:
    return await provisioned_tenant(service)
