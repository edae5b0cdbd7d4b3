"""Identity against real PostgreSQL and NATS: a migrated database per test run, the app
in-process over HTTP (httpx's ASGI transport) or on a real uvicorn server, and a fresh
tenant + user per test."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
import pytest
import uvicorn
from sqlmodel import col, select

from identity.app import create_app
from identity.bootstrap import Collaborators
from identity.config import IdentitySettings
from identity.services.provisioning import ensure_tenant, ensure_user
from proximity.db.migrate import upgrade
from proximity.events.tables import OutboxMessage


@pytest.fixture(scope="session")
def identity_database_url(database_factory: Callable[[str], str]) -> str:
    url = database_factory("identity")
    upgrade("identity", url)
    return url


@pytest.fixture
def settings(identity_database_url: str, nats_url: str) -> IdentitySettings:
    return IdentitySettings(database_url=identity_database_url, nats_url=nats_url, lockout_seconds=2)


@dataclass
class Identity:
    """The running app, a client for it, and what the tests need to reach inside."""

    http: httpx.AsyncClient
    wired: Collaborators


@contextlib.asynccontextmanager
async def running(settings: IdentitySettings) -> AsyncIterator[Identity]:
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://identity") as http,
    ):
        yield Identity(http, app.state.identity)


@contextlib.asynccontextmanager
async def served(settings: IdentitySettings) -> AsyncIterator[str]:
    """Identity on a real uvicorn server on a free port, for clients that need a URL; yields
    its base URL and stops the server on exit."""
    app = create_app(settings)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        # The lifespan is entered here, so it has finished starting before the port answers.
        server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False))
        async with app.router.lifespan_context(app):
            task = asyncio.create_task(server.serve(sockets=[sock]))
            try:
                async with asyncio.timeout(10):
                    while not server.started:
                        if task.done():
                            task.result()
                        await asyncio.sleep(0.01)
                yield f"http://127.0.0.1:{port}"
            finally:
                server.should_exit = True
                await asyncio.gather(task, return_exceptions=True)


@pytest.fixture
async def identity(settings: IdentitySettings) -> AsyncIterator[Identity]:
    async with running(settings) as started:
        yield started


@dataclass(frozen=True)
class Account:
    tenant_id: uuid.UUID
    client_key: str
    email: str
    password: str
    user_id: uuid.UUID
    party_id: uuid.UUID

    @property
    def key(self) -> dict[str, str]:
        return {"X-Client-Key": self.client_key}


async def new_account(wired: Collaborators, *, system_admin: bool = False) -> Account:
    client_key = secrets.token_urlsafe(24)
    email = f"user-{uuid.uuid4().hex[:8]}@Example.com"
    password = secrets.token_urlsafe(12)
    async with wired.unit_of_work() as uow:
        provisioned = await ensure_tenant(
            uow, name=f"tenant-{uuid.uuid4().hex[:6]}", client_key=client_key, domain=None
        )
        user, _ = await ensure_user(
            uow,
            provisioned.tenant,
            email=email,
            password=password,
            first_name="Ada",
            system_admin=system_admin,
        )
        await uow.commit()
    return Account(provisioned.tenant.id, client_key, email, password, user.id, user.party_id)


@pytest.fixture
async def account(identity: Identity) -> Account:
    return await new_account(identity.wired, system_admin=True)


async def log_in(http: httpx.AsyncClient, account: Account, password: str | None = None) -> httpx.Response:
    return await http.post(
        "/auth/login",
        headers=account.key,
        json={"email": account.email, "password": password or account.password},
    )


async def eventually(check: Callable[[], bool], within: float = 5.0) -> None:
    """Poll ``check`` until true: for effects that arrive through the broker."""
    async with asyncio.timeout(within):
        while not check():  # noqa: ASYNC110 - polling a plain predicate, nothing to await on
            await asyncio.sleep(0.05)


async def signed_in(identity: Identity, account: Account) -> dict[str, str]:
    """Headers of ``account``'s user, logged in for real."""
    response = await log_in(identity.http, account)
    assert response.status_code == 200, response.text
    return {**account.key, "Authorization": response.json()["data"]["access_token"]}


def holder_of(identity: Identity, account: Account, *permissions: str) -> dict[str, str]:
    """Headers of a non-admin of ``account``'s tenant holding ``permissions``: no login yields
    permissions until iam publishes them, so the token is signed with identity's own key."""
    settings = identity.wired.settings
    token = identity.wired.keys.sign(
        {
            "iss": settings.jwt_issuer,
            "aud": settings.jwt_audience,
            "sub": str(uuid.uuid4()),
            "pid": str(uuid.uuid4()),
            "tid": str(account.tenant_id),
            "sid": str(uuid.uuid4()),
            "perms": list(permissions),
            "adm": False,
            "typ": "access",
        },
        ttl_seconds=300,
    )
    return {**account.key, "Authorization": token}


async def recorded_events(
    identity: Identity, prefix: str, aggregate_id: object = None
) -> list[dict[str, Any]]:
    """The outbox's events whose type starts with ``prefix`` (of one aggregate), oldest first."""
    async with identity.wired.unit_of_work() as uow:
        rows = await uow.session.execute(
            select(col(OutboxMessage.payload))
            .where(col(OutboxMessage.subject).startswith(prefix))
            .order_by(col(OutboxMessage.created_at))
        )
        found = [orjson.loads(raw) for raw in rows.scalars()]
    return [e for e in found if aggregate_id is None or e["aggregate_id"] == str(aggregate_id)]
