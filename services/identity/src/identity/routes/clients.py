"""``/clients``: a tenant's client applications (system administrators only)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.errors import ClientNotFound
from identity.repositories.clients import SORTABLE
from identity.routes.auth import NO_STORE, no_store
from identity.routes.caller import authenticated, collaborators
from identity.routes.path_ids import path_id
from identity.schemas.clients import ClientView, ClientWrite, RegisteredClientView
from identity.services import client_registry
from proximity.errors import PermissionDenied
from proximity.http.body import read_model
from proximity.http.list_query import parse_list_query
from proximity.http.responses import many, no_content, one, public_url
from proximity.openapi import operation as api
from proximity.openapi.envelopes import list_parameters

# System administrators only: no permission names these, so 403 is declared as an error.
ADMINS_ONLY = "System administrators only (403 `ePermissionDenied` for anyone else)."


@api.documented(
    "List client applications",
    description=("The tenant's clients; revoked ones are hidden unless named in `ids[]`. " + ADMINS_ONLY),
    answers=api.many(ClientView),
    params=list_parameters(sortable=SORTABLE),
    errors=[PermissionDenied],
)
async def list_clients(request: Request) -> Response:
    claims = await authenticated(request)
    listing = parse_list_query(request.query_params, sortable=SORTABLE)
    items, total = await client_registry.list_clients(collaborators(request), claims, listing)
    return many(items, query=listing, total=total, url=public_url(request))


@api.documented(
    "Register a client application",
    description=(
        "A new client with a key for `X-Client-Key` and a secret for seed 000's client"
        " credentials (with `client_id`). Only their hashes are kept: this answer is the one time"
        " they are shown. " + ADMINS_ONLY
    ),
    answers=no_store(api.created(RegisteredClientView, description="The client, its key and secret.")),
    body=ClientWrite,
    body_example={"name": "Mobile app"},
    errors=[PermissionDenied],
)
async def create_client(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, ClientWrite)
    registered = await client_registry.register_client(collaborators(request), claims, body.name)
    # The key and secret are in this body and nowhere else: no cache may keep it.
    return one(registered, status=201, headers=NO_STORE)


@api.documented(
    "Revoke a client application",
    description=(
        "Its key and credentials stop working at once here, and at the gateway on"
        " `identity.client.revoked`. Unknown, another tenant's or already revoked: 400"
        " `eClientNotFound`. " + ADMINS_ONLY
    ),
    answers=api.empty(description="Revoked."),
    errors=[ClientNotFound, PermissionDenied],
)
async def revoke_client(request: Request) -> Response:
    claims = await authenticated(request)
    await client_registry.revoke_client(collaborators(request), claims, path_id(request, ClientNotFound))
    return no_content()


routes = [
    Route("/clients", list_clients, methods=["GET"]),
    Route("/clients", create_client, methods=["POST"]),
    Route("/clients/{id}", revoke_client, methods=["DELETE"]),
]
