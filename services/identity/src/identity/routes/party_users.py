"""``/parties/~/users`` and ``/parties/{id}/users`` (seed 004)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.repositories.party_users import SORTABLE
from identity.routes.caller import authenticated, collaborators
from identity.schemas.party_users import PartyUserIn, UsersBatch
from identity.services import party_users
from proximity.http.body import read_model
from proximity.http.list_query import parse_list_query
from proximity.http.responses import batch, many, one, public_url


async def list_users(request: Request) -> Response:
    claims = await authenticated(request)
    query = parse_list_query(request.query_params, sortable=SORTABLE)
    items, total = await party_users.list_users(collaborators(request), claims, query)
    return many(items, query=query, total=total, url=public_url(request))


async def patch_users(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, UsersBatch)
    applied, failures = await party_users.patch_users(collaborators(request), claims, body)
    return batch(applied, failures)


async def get_user(request: Request) -> Response:
    claims = await authenticated(request)
    return one(await party_users.get_user(collaborators(request), claims, request.path_params["id"]))


async def put_user(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, PartyUserIn)
    party_id = request.path_params["id"]
    return one(await party_users.put_user(collaborators(request), claims, party_id, body))


# "~" first: it is not an id.
routes = [
    Route("/parties/~/users", list_users, methods=["GET"]),
    Route("/parties/~/users", patch_users, methods=["PATCH"]),
    Route("/parties/{id}/users", get_user, methods=["GET"]),
    Route("/parties/{id}/users", put_user, methods=["PUT"]),
]
