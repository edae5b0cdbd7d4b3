"""Issuing service tokens: short-lived access tokens a service presents when it calls another
on a tenant's behalf. They name the service (``sub``) and carry ``typ: service``, no session,
the called service as audience (``aud``) and what it may do there (``scope``, RFC 9068's
space-separated string), within what ``SERVICE_SCOPES`` grants the caller."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from identity.bootstrap import Collaborators
from identity.errors import InvalidServiceCredentials, TenantNotFound
from identity.repositories.tables import Tenant
from proximity.errors import PermissionDenied

# Compared against when the service is unknown, so an unknown name costs what a wrong secret does.
_NO_SUCH_SERVICE = "0" * 64


@dataclass(frozen=True, slots=True)
class IssuedServiceToken:
    access_token: str
    expires_in: int
    scope: str


def credentials_match(credentials: Mapping[str, str], service: str, secret: str) -> bool:
    """Secrets are long and random, so one SHA-256 is enough to keep them out of config."""
    expected = credentials.get(service)
    presented = hashlib.sha256(secret.encode()).hexdigest()
    matches = hmac.compare_digest(presented, expected or _NO_SUCH_SERVICE)
    return expected is not None and matches


def granted_scopes(
    grants: Mapping[str, Sequence[str]], service: str, audience: str, requested: str | None
) -> list[str]:
    """The scopes of ``audience`` the token carries: those asked for, each granted; unasked,
    every granted one. 403 for one not granted, or when nothing of ``audience`` is."""
    of_audience = [scope for scope in grants.get(service, ()) if scope.startswith(f"{audience}.")]
    wanted = sorted(set(requested.split())) if requested is not None else of_audience
    refused = [scope for scope in wanted if scope not in of_audience]
    if refused:
        raise PermissionDenied(f"The service '{service}' is not granted {', '.join(map(repr, refused))}.")
    if not wanted:
        raise PermissionDenied(f"The service '{service}' is granted no scope of '{audience}'.")
    return wanted


async def issue_service_token(
    ctx: Collaborators,
    *,
    service: str,
    secret: str,
    tenant_id: uuid.UUID,
    audience: str,
    scope: str | None = None,
) -> IssuedServiceToken:
    settings = ctx.settings
    # Credentials first: a caller without them learns nothing about which tenants exist.
    if not credentials_match(settings.service_credentials, service, secret):
        raise InvalidServiceCredentials()
    scopes = " ".join(granted_scopes(settings.service_scopes, service, audience, scope))
    async with ctx.reading() as session:
        tenant = await session.get(Tenant, tenant_id)
    if tenant is None:
        raise TenantNotFound()
    ttl = settings.service_token_ttl_seconds
    token = ctx.keys.sign(
        {
            "iss": settings.jwt_issuer,
            "aud": audience,
            "scope": scopes,
            "sub": service,
            "tid": str(tenant.id),
            "perms": [],
            "adm": False,
            "typ": "service",
        },
        ttl_seconds=ttl,
    )
    return IssuedServiceToken(token, ttl, scopes)
