"""Use cases on client keys and client credentials: resolving the caller's tenant."""

from __future__ import annotations

import hmac
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from identity.repositories.clients import active_client_secret
from identity.repositories.tables import Client
from identity.repositories.tenants import active_client_by_hash, client_key_hash
from proximity.auth.client_credentials import ClientCredentials, parse_client_credentials
from proximity.errors import InvalidClientKey

MAX_CLIENT_KEY_LENGTH = 200
# A hash to compare against when the client id is unknown, so that case costs the same.
_NO_SECRET = client_key_hash("no client has this secret")


def checked_key_hash(client_key: str | None) -> str:
    """The hash a key is kept under; a missing or overlong key is 401 eInvalidClientKey."""
    if not client_key or len(client_key) > MAX_CLIENT_KEY_LENGTH:
        raise InvalidClientKey()
    return client_key_hash(client_key)


async def resolve_client(session: AsyncSession, client_key: str | None) -> Client:
    """The active client a key belongs to; missing, unknown or revoked → 401 eInvalidClientKey.

    A value of the form ``Basic ...`` is seed 000's client credentials: the gateway passes a
    client that authenticated with ``Proxy-Authorization`` on in ``X-Client-Key`` that way.
    """
    if client_key and client_key[:6].lower() == "basic ":
        credentials = parse_client_credentials(client_key)
        if credentials is None:
            raise InvalidClientKey()
        return await resolve_credentials(session, credentials)
    client = await active_client_by_hash(session, checked_key_hash(client_key))
    if client is None:
        raise InvalidClientKey()
    return client


async def resolve_credentials(session: AsyncSession, credentials: ClientCredentials) -> Client:
    """The active client whose id and secret these are; otherwise 401 eInvalidClientKey."""
    try:
        client_id = uuid.UUID(credentials.client_id)
    except ValueError:
        client_id = None
    found = await active_client_secret(session, client_id) if client_id is not None else None
    expected = found[1] if found is not None else _NO_SECRET
    matches = hmac.compare_digest(client_key_hash(credentials.secret), expected)
    if found is None or not matches:
        raise InvalidClientKey()
    return found[0]
