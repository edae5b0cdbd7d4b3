"""The assets service against real PostgreSQL and NATS: a migrated database per run, the app
in-process over HTTP (httpx's ASGI transport) with a stand-in identity (``assets_support``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from assets_support import (
    Assets,
    ClientKeys,
    Signer,
    Tenant,
    identity_app,
    identity_served,
    provisioned_tenant,
)

from assets.app import create_app
from assets.config import AssetsSettings
from proximity.db.migrate import upgrade


@pytest.fixture(scope="session")
def assets_database_url(database_factory: Callable[[str], str]) -> str:
    url = database_factory("assets")
    upgrade("assets", url)
    return url


@pytest.fixture
def settings(assets_database_url: str, nats_url: str, tmp_path: Path) -> AssetsSettings:
    return AssetsSettings(
        database_url=assets_database_url,
        nats_url=nats_url,
        max_hierarchy_depth=5,
        data_dir=tmp_path / "assets",
    )


@pytest.fixture(scope="session")
def signer() -> Signer:
    return Signer()


@pytest.fixture(scope="session")
def client_keys() -> ClientKeys:
    return ClientKeys()


@pytest.fixture
async def service(settings: AssetsSettings, signer: Signer, client_keys: ClientKeys) -> AsyncIterator[Assets]:
    async with identity_served(identity_app(signer, client_keys)) as identity_url:
        pointed = settings.model_copy(
            update={"identity_url": identity_url, "jwks_url": f"{identity_url}/.well-known/jwks.json"}
        )
        app = create_app(pointed)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://assets") as http,
        ):
            yield Assets(http, app.state.assets, signer, pointed, client_keys)


@pytest.fixture
async def tenant(service: Assets) -> Tenant:
    return await provisioned_tenant(service)
