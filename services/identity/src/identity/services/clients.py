"""Use cases on client keys: resolving the caller's tenant."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from identity.repositories.tables import Client
from identity.repositories.tenants import active_client_by_hash, client_key_hash
from proximity.errors import InvalidClientKey

MAX_CLIENT_KEY_LENGTH = 200


async def resolve_client(session: AsyncSession, client_key: str | None) -> Client:
    """The active client a key belongs to; missing, unknown or revoked → 401 eInvalidClientKey."""
    if not client_key or len(client_key) > MAX_CLIENT_KEY_LENGTH:
        raise InvalidClientKey()
    client = await active_client_by_hash(session, client_key_hash(client_key))
    if client is None:
        raise InvalidClientKey()
    return client
