"""Service-to-service endpoints; the gateway never routes ``/internal``.

``GET /internal/client-keys/{hash}``: the gateway resolves a client key to its tenant by the
key's SHA-256. Knowing a hash is knowing the key, so the answer gives nothing away.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.repositories.tenants import active_client_by_hash
from identity.routes.caller import collaborators
from proximity.errors import InvalidClientKey, RouteNotFound
from proximity.http.responses import one

_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


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


routes = [Route("/internal/client-keys/{key_hash}", client_key, methods=["GET"])]
