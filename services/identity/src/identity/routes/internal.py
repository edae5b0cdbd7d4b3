"""Service-to-service endpoints; the gateway never routes ``/internal``.

``GET /internal/client-keys/{hash}``: the gateway resolves a client key to its tenant by the
key's SHA-256. Knowing a hash is knowing the key, so the answer gives nothing away.

``POST /internal/service-tokens``: a service trades its name and secret for a short-lived
token to call one other service on a tenant's behalf, with scopes identity granted it there.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.errors import InvalidServiceCredentials, TenantNotFound
from identity.repositories.tenants import active_client_by_hash
from identity.routes.auth import NO_STORE, no_store
from identity.routes.caller import collaborators
from identity.schemas.clients import ClientTenantView
from identity.schemas.service_tokens import ServiceTokenRequest, ServiceTokenView
from identity.services.service_tokens import issue_service_token
from proximity.errors import InvalidClientKey, PermissionDenied, RouteNotFound
from proximity.http.body import read_model
from proximity.http.responses import one
from proximity.openapi import operation as api

_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
# An unknown (or revoked) key is not found: 404 with the client-key code.
UNKNOWN_CLIENT = (404, InvalidClientKey.code)


@api.documented(
    "Resolve a client key to its tenant",
    description=(
        "For the gateway: the tenant and client of an active client key, by the key's SHA-256"
        " (lower-case hex). Unknown or revoked: 404 `eInvalidClientKey`; not a SHA-256: 404"
        " `eRouteNotFound`."
    ),
    answers=api.one(ClientTenantView, description="Whose key it is."),
    params=[
        api.path(
            "key_hash",
            {"type": "string", "pattern": _SHA256_HEX.pattern},
            description="SHA-256 of the key, lower-case hex.",
        )
    ],
    errors=[UNKNOWN_CLIENT, RouteNotFound],
    public=True,
    internal=True,
)
async def client_key(request: Request) -> Response:
    key_hash = request.path_params["key_hash"]
    if not _SHA256_HEX.match(key_hash):
        raise RouteNotFound()
    async with collaborators(request).reading() as session:
        client = await active_client_by_hash(session, key_hash)
    if client is None:
        error = InvalidClientKey()
        error.status = 404
        raise error
    return one({"tenant_id": str(client.tenant_id), "client_id": str(client.id)})


@api.documented(
    "Issue a service token",
    description=(
        "A service trades its name and secret for a short-lived token to call one other service"
        " (`audience`) on a tenant's behalf; it names the service, not a user, and carries the"
        " scopes asked for (`scope`, space-separated; unset: all) that `SERVICE_SCOPES` grants it"
        " there. Unknown service or wrong secret: 401 `eInvalidServiceCredentials`; a scope not"
        " granted: 403 `ePermissionDenied`; unknown tenant: 400 `eTenantNotFound`."
    ),
    answers=no_store(api.one(ServiceTokenView, description="The token.")),
    body=ServiceTokenRequest,
    errors=[InvalidServiceCredentials, PermissionDenied, TenantNotFound],
    public=True,
    internal=True,
)
async def service_token(request: Request) -> Response:
    body = await read_model(request, ServiceTokenRequest)
    issued = await issue_service_token(
        collaborators(request),
        service=body.service,
        secret=body.secret.get_secret_value(),
        tenant_id=body.tenant_id,
        audience=body.audience,
        scope=body.scope,
    )
    view = {
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "expires_in": issued.expires_in,
        "scope": issued.scope,
    }
    return one(view, headers=NO_STORE)


routes = [
    Route("/internal/client-keys/{key_hash}", client_key, methods=["GET"]),
    Route("/internal/service-tokens", service_token, methods=["POST"]),
]
