"""``/parties`` and ``/parties/{id}`` (seed 004 "Parties")."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.errors import PartyNotFound
from identity.repositories.parties import SORTS, PartyFilter
from identity.routes.caller import authenticated, collaborators
from identity.schemas.parties import PartyBatch, PartyIn, party_view
from identity.services import parties
from identity.services.party_batch import patch_parties
from proximity.errors import ValidationFailed
from proximity.http.body import read_model
from proximity.http.list_query import parse_list_query, parse_uuids
from proximity.http.responses import batch, created, many, no_content, one, public_url


def _uuid_param(params: QueryParams, name: str) -> uuid.UUID | None:
    raw = (params.get(name) or "").strip()
    return parse_uuids([raw], name)[0] if raw else None


def _includes(params: QueryParams, allowed: Collection[str]) -> set[str]:
    given = {
        v.strip() for item in params.getlist("include[]") + params.getlist("include") for v in item.split(",")
    }
    given.discard("")
    unknown = given - set(allowed)
    if unknown:
        raise ValidationFailed(f"Unknown include '{sorted(unknown)[0]}'.", fields={"include": "unknown"})
    return given


def _party_id(request: Request) -> uuid.UUID:
    # seed 004: an id that is not a party's, malformed or not, is 400 ePartyNotFound.
    try:
        return uuid.UUID(request.path_params["id"])
    except ValueError:
        raise PartyNotFound() from None


async def list_parties(request: Request) -> Response:
    claims = await authenticated(request)
    params = request.query_params
    query = parse_list_query(params, sortable=SORTS, default_sort="+name", includes=("stats",))
    filters = PartyFilter(
        ids=query.ids,
        group_id=_uuid_param(params, "group_id"),
        type_id=_uuid_param(params, "type_id"),
        skillset_id=_uuid_param(params, "skillset_id"),
        keywords=query.keywords,
    )
    found, total = await parties.list_parties(collaborators(request), claims, filters, query)
    items = [party_view(item, claims, full=False, counts_as="stats") for item in found]
    return many(items, query=query, total=total, url=public_url(request))


async def get_party(request: Request) -> Response:
    claims = await authenticated(request)
    party_id = _party_id(request)
    with_counts = "counts" in _includes(request.query_params, ("counts",))
    found = await parties.get_party(collaborators(request), claims, party_id, with_counts=with_counts)
    return one(party_view(found, claims, full=True, counts_as="counts"))


async def create_party(request: Request) -> Response:
    claims = await authenticated(request)
    fields = await read_model(request, PartyIn)
    return created(
        party_view(await parties.create_party(collaborators(request), claims, fields), claims, full=True)
    )


async def replace_party(request: Request) -> Response:
    claims = await authenticated(request)
    party_id = _party_id(request)
    fields = await read_model(request, PartyIn)
    replaced = await parties.replace_party(collaborators(request), claims, party_id, fields)
    return one(party_view(replaced, claims, full=True))


async def patch_many(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, PartyBatch)
    outcome = await patch_parties(collaborators(request), claims, body.data)
    return batch([party_view(item, claims, full=False) for item in outcome.applied], outcome.failures)


async def delete_party(request: Request) -> Response:
    claims = await authenticated(request)
    await parties.delete_party(collaborators(request), claims, _party_id(request))
    return no_content()


routes = [
    Route("/parties", list_parties, methods=["GET"]),
    Route("/parties", create_party, methods=["POST"]),
    Route("/parties", patch_many, methods=["PATCH"]),
    Route("/parties/{id}", get_party, methods=["GET"]),
    Route("/parties/{id}", replace_party, methods=["PUT"]),
    Route("/parties/{id}", delete_party, methods=["DELETE"]),
]
