"""The heatmaps service against real PostgreSQL and NATS: a migrated database per run, the
app in-process over HTTP (httpx's ASGI transport) with the stand-in identity."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from heatmaps_harness import Heatmaps, Tenant

from heatmaps.app import create_app
from heatmaps.config import HeatmapsSettings
from proximity.db.migrate import upgrade
from proximity.testing.stand_in_identity import ClientKeys, Signer, identity_app, identity_served


@pytest.fixture(scope="session")
def heatmaps_database_url(database_factory: Callable[[str], str]) -> str:
    url = database_factory("heatmaps")
    upgrade("heatmaps", url)
    return url


@pytest.fixture
def settings(heatmaps_database_url: str, nats_url: str) -> HeatmapsSettings:
    return HeatmapsSettings(database_url=heatmaps_database_url, nats_url=nats_url)


@pytest.fixture(scope="session")
def signer() -> Signer:
    return Signer()


@pytest.fixture(scope="session")
def client_keys() -> ClientKeys:
    return ClientKeys()


@pytest.fixture
async def service(
    settings: HeatmapsSettings, signer: Signer, client_keys: ClientKeys
) -> AsyncIterator[Heatmaps]:
    stand_in = identity_app(signer, client_keys, {})
    async with identity_served(stand_in) as identity_url:
        pointed = settings.model_copy(
            update={"identity_url": identity_url, "jwks_url": f"{identity_url}/.well-known/jwks.json"}
        )
        app = create_app(pointed)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://heatmaps") as http,
        ):
            yield Heatmaps(http, app.state.heatmaps, signer, pointed, client_keys)


@pytest.fixture
def tenant(service: Heatmaps) -> Tenant:
    return Tenant.new(service)
