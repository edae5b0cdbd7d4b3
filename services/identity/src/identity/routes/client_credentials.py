"""``POST /internal/client-credentials``: the gateway checks seed 000's client credentials.

A POST with the secret in the body, so it appears in no URL and no access log; identity
compares it with the stored SHA-256 in constant time. Unknown id, wrong secret and revoked
client give the same 404, as an unknown client key does at ``/internal/client-keys``.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.routes.caller import collaborators
from identity.routes.internal import UNKNOWN_CLIENT
from identity.schemas.clients import ClientCredentialsCheck, ClientTenantView
from identity.services.clients import resolve_credentials
from proximity.auth.client_credentials import ClientCredentials
from proximity.errors import InvalidClientKey
from proximity.http.body import read_model
from proximity.http.responses import one
from proximity.openapi import operation as api


@api.documented(
    "Check client credentials",
    description=(
        "For the gateway: the tenant and client of seed 000's client credentials (the client's id"
        " and secret). Unknown id, wrong secret and revoked client: the same 404"
        " `eInvalidClientKey`."
    ),
    answers=api.one(ClientTenantView, description="Whose credentials they are."),
    body=ClientCredentialsCheck,
    errors=[UNKNOWN_CLIENT],
    public=True,
    internal=True,
)
async def check_credentials(request: Request) -> Response:
    body = await read_model(request, ClientCredentialsCheck)
    credentials = ClientCredentials(body.client_id, body.client_secret.get_secret_value())
    try:
        async with collaborators(request).reading() as session:
            client = await resolve_credentials(session, credentials)
    except InvalidClientKey:
        error = InvalidClientKey()
        error.status = 404
        raise error from None
    return one({"tenant_id": str(client.tenant_id), "client_id": str(client.id)})


routes = [Route("/internal/client-credentials", check_credentials, methods=["POST"])]
