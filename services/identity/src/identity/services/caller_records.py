"""What the caller checks ask identity, answered by identity from its own tables.

Every other process learns client keys and ended sessions from identity over HTTP and events;
identity owns them, so it neither calls itself nor waits for its own events: a logout or a
revoked key counts from the very next request.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from identity.repositories.sessions import session_revoked
from identity.services.clients import resolve_client, resolve_credentials
from proximity.auth.caller import PresentedClient
from proximity.auth.client_credentials import ClientCredentials
from proximity.auth.client_keys import KnownClient


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
