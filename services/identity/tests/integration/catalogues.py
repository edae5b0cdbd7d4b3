"""What the catalogue and tenant-administration tests share: signed-in headers, a user
with chosen permissions, more parties, and the events in the outbox."""

from __future__ import annotations

import uuid
from typing import Any

from identity.repositories.tables import Tenant
from identity.services.provisioning import ensure_user
from tests.conftest import Account, Identity, recorded_events


async def another_party(identity: Identity, account: Account) -> uuid.UUID:
    """A new user party in ``account``'s tenant."""
    async with identity.wired.unit_of_work() as uow:
        tenant = await uow.session.get(Tenant, account.tenant_id)
        assert tenant is not None
        user, _ = await ensure_user(
            uow, tenant, email=f"p-{uuid.uuid4().hex[:8]}@example.com", password="x" * 12, first_name="Bo"
        )
        await uow.commit()
    return user.party_id


def code_of(response: Any) -> str:
    return str(response.json()["errors"][0]["code"])


async def events(identity: Identity, prefix: str, aggregate_id: str | None = None) -> list[dict[str, Any]]:
    return await recorded_events(identity, prefix, aggregate_id)
