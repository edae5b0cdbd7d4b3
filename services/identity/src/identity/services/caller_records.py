"""What the caller checks ask identity, answered by identity from its own tables.

Every other process learns client keys and ended sessions from identity over HTTP and events;
identity owns them, so it neither calls itself nor waits for its own events: a logout or a
revoked key counts from the very next request.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from identity.repositories.sessions import client_standing, session_revoked
from identity.services.clients import checked_key_hash, resolve_client, resolve_credentials
from proximity.auth.caller import PresentedClient
from proximity.auth.client_credentials import ClientCredentials
from proximity.auth.client_keys import KnownClient
from proximity.errors import InvalidClientKey


class OwnRecords:
    def __init__(self, reading: Callable[[], AsyncSession]) -> None:
        self._reading = reading

    async def client(self, presented: PresentedClient) -> KnownClient:
        async with self._reading() as session:
            if isinstance(presented, ClientCredentials):
                found = await resolve_credentials(session, presented)
            else:
                found = await resolve_client(session, presented)
        return KnownClient(found.tenant_id, found.id)

    async def session_revoked(self, tenant_id: uuid.UUID, session_id: uuid.UUID) -> bool:
        async with self._reading() as session:
            return await session_revoked(session, tenant_id, session_id)

    async def standing(
        self, presented: PresentedClient, session_id: uuid.UUID | None
    ) -> tuple[KnownClient, bool]:
        if isinstance(presented, ClientCredentials):  # rare: seed 000's clients, a secret to check
            client = await self.client(presented)
            revoked = session_id is not None and await self.session_revoked(client.tenant_id, session_id)
            return client, revoked
        key_hash = checked_key_hash(presented)
        async with self._reading() as session:
            found = await client_standing(session, key_hash, session_id)
        if found is None:
            raise InvalidClientKey()
        client_id, tenant_id, revoked = found
        return KnownClient(tenant_id, client_id), revoked
