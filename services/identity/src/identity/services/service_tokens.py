"""Issuing service tokens: short-lived access tokens a service presents when it calls another
on a tenant's behalf. They name the service (``sub``) and carry ``typ: service``, no session."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from identity.bootstrap import Collaborators
from identity.errors import InvalidServiceCredentials, TenantNotFound
from identity.repositories.tables import Tenant

# Compared against when the service is unknown, so an unknown name costs what a wrong secret does.
_NO_SUCH_SERVICE = "0" * 64


@dataclass(frozen=True, slots=True)
class IssuedServiceToken:
    access_token: str
    expires_in: int


def credentials_match(credentials: Mapping[str, str], service: str, secret: str) -> bool:
    """Secrets are long and random, so one SHA-256 is enough to keep them out of config."""
    expected = credentials.get(service)
    presented = hashlib.sha256(secret.encode()).hexdigest()
    matches = hmac.compare_digest(presented, expected or _NO_SUCH_SERVICE)
    return expected is not None and matches


async def issue_service_token(
    ctx: Collaborators, *, service: str, secret: str, tenant_id: uuid.UUID
) -> IssuedServiceToken:
    settings = ctx.settings
    # Credentials first: a caller without them learns nothing about which tenants exist.
    if not credentials_match(settings.service_credentials, service, secret):
        raise InvalidServiceCredentials()
    async with ctx.reading() as session:
        tenant = await session.get(Tenant, tenant_id)
    if tenant is None:
        raise TenantNotFound()
    ttl = settings.service_token_ttl_seconds
    token = ctx.keys.sign(
        {
            "iss": settings.jwt_issuer,
            "aud": settings.jwt_audience,
            "sub": service,
            "tid": str(tenant.id),
            "perms": [],
            "adm": False,
            "typ": "service",
        },
        ttl_seconds=ttl,
    )
    return IssuedServiceToken(token, ttl)
