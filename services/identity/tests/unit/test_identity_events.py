"""Identity's event contracts carry what consumers need and never a secret."""

from __future__ import annotations

import uuid

from identity.events import published
from identity.repositories.tables import Client, Session, Tenant


def test_client_events_carry_the_key_hash_only() -> None:
    client = Client(tenant_id=uuid.uuid4(), name="app", key_hash="a" * 64)
    for event in (published.client_created(client), published.client_revoked(client)):
        assert event.data["key_hash"] == "a" * 64
        assert event.tenant_id == client.tenant_id
        assert not {"key", "client_key", "secret"} & set(event.data)


def test_session_revoked_names_the_session_and_tenant() -> None:
    session = Session(tenant_id=uuid.uuid4(), user_id=uuid.uuid4(), revoked_reason="logout")
    event = published.session_revoked(session)
    assert event.type == "identity.session.revoked"
    assert event.data == {"session_id": str(session.id), "user_id": str(session.user_id), "reason": "logout"}
    assert event.tenant_id == session.tenant_id


def test_tenant_created_round_trips() -> None:
    tenant = Tenant(name="Acme")
    event = published.tenant_created(tenant)
    assert event.subject == "identity.tenant.created"
    assert event.aggregate_id == str(tenant.id)
