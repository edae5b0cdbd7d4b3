"""The events identity publishes: versioned contracts other contexts (and the gateway) read.

Payloads never carry secrets: client keys travel only as their SHA-256 hash, which the
gateway uses to drop a revoked key from its cache.
"""

from __future__ import annotations

import uuid
from typing import Any

from identity.repositories.tables import Client, Party, Session, Tenant, User
from proximity.events.envelope import Event


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def tenant_created(tenant: Tenant) -> Event:
    return Event(
        type="identity.tenant.created",
        tenant_id=tenant.id,
        aggregate_id=str(tenant.id),
        version=tenant.version,
        data={"id": str(tenant.id), "name": tenant.name},
    )


def client_created(client: Client) -> Event:
    return Event(
        type="identity.client.created",
        tenant_id=client.tenant_id,
        aggregate_id=str(client.id),
        data={"client_id": str(client.id), "name": client.name, "key_hash": client.key_hash},
    )


def client_revoked(client: Client) -> Event:
    return Event(
        type="identity.client.revoked",
        tenant_id=client.tenant_id,
        aggregate_id=str(client.id),
        data={"client_id": str(client.id), "key_hash": client.key_hash},
    )


def party_created(party: Party) -> Event:
    return Event(
        type="identity.party.created",
        tenant_id=party.tenant_id,
        aggregate_id=str(party.id),
        version=party.version,
        data={
            "id": str(party.id),
            "base_type": party.base_type,
            "first_name": party.first_name,
            "last_name": party.last_name,
            "suspended_at": _iso(party.suspended_at),
            "deleted_at": _iso(party.deleted_at),
        },
    )


def user_created(user: User) -> Event:
    return Event(
        type="identity.user.created",
        tenant_id=user.tenant_id,
        aggregate_id=str(user.id),
        version=user.version,
        data={"id": str(user.id), "party_id": str(user.party_id), "is_system_admin": user.is_system_admin},
    )


def user_locked(user_id: uuid.UUID, tenant_id: uuid.UUID, locked_until: Any) -> Event:
    return Event(
        type="identity.user.locked",
        tenant_id=tenant_id,
        aggregate_id=str(user_id),
        data={"user_id": str(user_id), "locked_until": _iso(locked_until)},
    )


def session_started(session: Session) -> Event:
    return Event(
        type="identity.session.started",
        tenant_id=session.tenant_id,
        aggregate_id=str(session.id),
        data={"session_id": str(session.id), "user_id": str(session.user_id)},
    )


def session_revoked(session: Session) -> Event:
    return Event(
        type="identity.session.revoked",
        tenant_id=session.tenant_id,
        aggregate_id=str(session.id),
        data={
            "session_id": str(session.id),
            "user_id": str(session.user_id),
            "reason": session.revoked_reason,
        },
    )
