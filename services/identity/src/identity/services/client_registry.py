"""Use cases on a tenant's clients: list, register (key and secret shown once), revoke."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from identity.bootstrap import Collaborators
from identity.errors import ClientNotFound
from identity.events import published
from identity.repositories import clients as queries
from identity.repositories.catalogue_tables import ClientSecret
from identity.repositories.tables import Client, now
from identity.repositories.tenants import client_key_hash
from proximity.auth.claims import Claims
from proximity.auth.permissions import require_system_admin
from proximity.http.list_query import ListQuery


def render(client: Client) -> dict[str, Any]:
    return {
        "id": client.id,
        "name": client.name,
        "created_at": client.created_at,
        "revoked_at": client.revoked_at,
    }


async def list_clients(
    ctx: Collaborators, claims: Claims, listing: ListQuery
) -> tuple[list[dict[str, Any]], int]:
    require_system_admin(claims)
    async with ctx.snapshot() as session:  # the page and its total agree
        rows, total = await queries.list_clients(session, claims.tenant_id, listing)
    return [render(row) for row in rows], total


async def register_client(ctx: Collaborators, claims: Claims, name: str) -> dict[str, Any]:
    """A new client with a key (for ``X-Client-Key``) and a secret (for seed 000's
    credentials, with the client's id). Only their SHA-256 is kept: this answer is the one
    time they are shown."""
    require_system_admin(claims)
    key, secret = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    async with ctx.unit_of_work() as uow:
        client = Client(tenant_id=claims.tenant_id, name=name, key_hash=client_key_hash(key))
        uow.session.add(client)
        await uow.session.flush()
        uow.session.add(
            ClientSecret(client_id=client.id, tenant_id=claims.tenant_id, secret_hash=client_key_hash(secret))
        )
        uow.publish(published.client_created(client))
        await uow.commit()
    return {**render(client), "key": key, "client_id": str(client.id), "client_secret": secret}


async def revoke_client(ctx: Collaborators, claims: Claims, client_id: uuid.UUID) -> None:
    """The key and the credentials stop working; the gateway drops them on the event."""
    require_system_admin(claims)
    async with ctx.unit_of_work() as uow:
        client = await queries.active_client_for_update(uow.session, claims.tenant_id, client_id)
        if client is None:
            raise ClientNotFound()
        client.revoked_at = now()
        uow.publish(published.client_revoked(client))
        await uow.commit()
