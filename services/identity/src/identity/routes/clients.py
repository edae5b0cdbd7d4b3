"""``/clients``: a tenant's client applications (system administrators only)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.errors import ClientNotFound
from identity.repositories.clients import SORTABLE
from identity.routes.auth import NO_STORE
from identity.routes.caller import authenticated, collaborators
from identity.routes.path_ids import path_id
from identity.schemas.clients import ClientWrite
from identity.services import client_registry
from proximity.http.body import read_model
from proximity.http.list_query import parse_list_query
from proximity.http.responses import many, no_content, one, public_url


async def list_clients(request: Request) -> Response:
    claims = await authenticated(request)
    listing = parse_list_query(request.query_params, sortable=SORTABLE)
    items, total = await client_registry.list_clients(collaborators(request), claims, listing)
    return many(items, query=listing, total=total, url=public_url(request))


async def create_client(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, ClientWrite)
    registered = await client_registry.register_client(collaborators(request), claims, body.name)
    # The key and secret are in this body and nowhere else: no cache may keep it.
    return one(registered, status=201, headers=NO_STORE)


async def revoke_client(request: Request) -> Response:
    claims = await authenticated(request)
    await client_registry.revoke_client(collaborators(request), claims, path_id(request, ClientNotFound))
    return no_content()


routes = [
    Route("/clients", list_clients, methods=["GET"]),
    Route("/clients", create_client, methods=["POST"]),
    Route("/clients/{id}", revoke_client, methods=["DELETE"]),
]
