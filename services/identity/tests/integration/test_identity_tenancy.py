"""Client keys, the internal lookup the gateway uses, the demo seed, and readiness."""

from __future__ import annotations

import hashlib

from sqlmodel import func, select

from identity.config import IdentitySettings
from identity.repositories.tables import Client, Tenant
from identity.seed import seed_demo
from tests.conftest import Account, Identity


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


async def test_internal_lookup_resolves_a_key_hash_to_its_tenant(
    identity: Identity, account: Account
) -> None:
    response = await identity.http.get(f"/internal/client-keys/{key_hash(account.client_key)}")
    assert response.status_code == 200
    assert response.json()["data"]["tenant_id"] == str(account.tenant_id)


async def test_internal_lookup_of_unknown_or_malformed_hash_is_404(identity: Identity) -> None:
    assert (await identity.http.get(f"/internal/client-keys/{key_hash('nope')}")).status_code == 404
    assert (await identity.http.get("/internal/client-keys/not-a-hash")).status_code == 404


async def test_client_keys_are_stored_hashed(identity: Identity, account: Account) -> None:
    async with identity.wired.unit_of_work() as uow:
        stored = (
            await uow.session.execute(select(Client).where(Client.tenant_id == account.tenant_id))
        ).scalar_one()
    assert stored.key_hash == key_hash(account.client_key)
    assert account.client_key not in stored.key_hash


async def test_demo_seed_is_idempotent(identity: Identity, settings: IdentitySettings) -> None:
    demo = settings.model_copy(
        update={"demo_client_key": f"demo-{account_suffix()}", "demo_tenant_name": "Demo"}
    )
    await seed_demo(demo)
    assert await seed_demo(demo) is False
    async with identity.wired.unit_of_work() as uow:
        count = (
            await uow.session.execute(
                select(func.count())
                .select_from(Client)
                .where(Client.key_hash == key_hash(demo.demo_client_key))
            )
        ).scalar_one()
        tenants = (await uow.session.execute(select(func.count()).select_from(Tenant))).scalar_one()
    assert count == 1
    assert tenants >= 1
    login = await identity.http.post(
        "/auth/login",
        headers={"X-Client-Key": demo.demo_client_key},
        json={"email": demo.demo_admin_email, "password": demo.demo_admin_password},
    )
    assert login.status_code == 200


def account_suffix() -> str:
    import uuid

    return uuid.uuid4().hex[:8]


async def test_ready_reports_database_and_broker(identity: Identity) -> None:
    response = await identity.http.get("/ready")
    assert response.status_code == 200
    assert response.json()["data"]["checks"] == {"database": "ok", "nats": "ok"}
