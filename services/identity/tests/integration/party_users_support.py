"""What the users, settings, favorites and permission-replica tests share: logged-in headers,
parties with and without users in a tenant, and the events identity recorded."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from identity.repositories.tables import Party, Tenant
from identity.services.provisioning import ensure_user
from tests.conftest import Account, Identity, holder_of, recorded_events, signed_in


async def bare_party(identity: Identity, tenant_id: uuid.UUID, first_name: str = "Bare") -> uuid.UUID:
    """A party of the tenant that has no user yet."""
    async with identity.wired.unit_of_work() as uow:
        party = Party(tenant_id=tenant_id, base_type="user", first_name=first_name, last_name="Person")
        uow.session.add(party)
        await uow.commit()
        return party.id


async def member(identity: Identity, account: Account, *, first_name: str = "Member") -> Account:
    """Another user (not a system admin) of ``account``'s tenant, able to log in."""
    email = f"member-{uuid.uuid4().hex[:8]}@example.com"
    password = secrets.token_urlsafe(12)
    async with identity.wired.unit_of_work() as uow:
        tenant = await uow.session.get(Tenant, account.tenant_id)
        assert tenant is not None
        user, _ = await ensure_user(uow, tenant, email=email, password=password, first_name=first_name)
        await uow.commit()
    return Account(account.tenant_id, account.client_key, email, password, user.id, user.party_id)


def user_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "username": "test-username",
        "system_admin": False,
        "allow_sso": True,
        "allow_otp": False,
        "identities": [{"type": "email", "value": f"sso-{uuid.uuid4().hex[:8]}@example.com"}],
        "suspended_at": None,
    }
    body.update(changes)
    return body


headers_of = signed_in
signed_headers = holder_of


async def events_about(identity: Identity, subject: str, aggregate_id: Any) -> list[dict[str, Any]]:
    """The payloads of the events ``subject`` identity recorded for ``aggregate_id``."""
    return await recorded_events(identity, subject, aggregate_id)
