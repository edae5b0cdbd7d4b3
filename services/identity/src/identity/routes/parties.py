"""``/parties`` and ``/parties/{id}`` (seed 004 "Parties")."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.errors import (
    JobTitleNotFound,
    PartyNotFound,
    PartyTypeNotFound,
    ProfileKeyNotFound,
)
from identity.repositories.parties import SORTS, PartyFilter
from identity.routes.caller import authenticated, collaborators
from identity.routes.query_values import OPTIONAL_UUID, or_empty
from identity.schemas.parties import (
    MAX_BATCH,
    PartyBatch,
    PartyDetailView,
    PartyIn,
    PartyPatch,
    PartyView,
    party_view,
)
from identity.services import parties
from identity.services.party_batch import patch_parties
from proximity.db.listing import MAX_OFFSET
from proximity.errors import ValidationFailed
from proximity.http.body import read_model
from proximity.http.list_query import parse_list_query, parse_uuids
from proximity.http.responses import batch, created, many, no_content, one, public_url
from proximity.openapi import operation as api
from proximity.openapi.envelopes import list_parameters
from proximity.openapi.operation import BatchBody, documented, query

_ADDRESS = {
    "name": "Main Office",
    "country": "gb",
    "region": "nottinghamshire",
    "city": "newark",
    "locale": "collingham",
    "street": "station road",
    "unit": None,
    "postal": None,
    "lat": "52.023432",
    "long": "-0.126345",
}
# Seed 004's example, with the profile keys it accepts (its own example names others).
PARTY_EXAMPLE = {
    "type_id": None,
    "first_name": "Test",
    "last_name": "User1",
    "email": "test1@sixfactorsolutions.com",
    "avatar_media_id": None,
    "avatar_url": "https://avatar.url",
    "phone": None,
    "job_title_id": None,
    "addresses": [_ADDRESS],
    "profile": [{"key": "title", "val": "watchman"}, {"key": "dob", "val": "2000-01-01"}],
}
_FIELD_ERRORS = (PartyTypeNotFound, JobTitleNotFound, ProfileKeyNotFound)
_FIELDS = (
    "`base_type` is a convenience: the base type of `type_id` overrides it. Profile keys are "
    "`title`, `dob` and `is_operational`, each at most once. An address part needs the coarser "
    "parts it sits in (a city needs country and region). Read-only and `_`-prefixed fields "
    "echoed back from a read are ignored."
)


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


@documented(
    "List parties",
    description=(
        "The parties of the tenant, with any filters applied. Deleted parties are left out "
        "unless named in `ids[]`. Lists never carry addresses or profile. `keywords`: every "
        "word must start a word of the first name, last name or email (`smi` finds Smith, "
        "`mia@a` finds mia@a.com; not the middle of a word). A descending sort is the exact "
        "reverse of the ascending one: parties without the value come first. `total` is exact "
        "up to 1000, then 1000 with `total_exact: false`; pages reach offset 1000, the "
        "`next_cursor` goes further."
    ),
    answers=api.many(PartyView),
    params=(
        *list_parameters(sortable=SORTS, includes=("stats",), max_offset=MAX_OFFSET),
        query("group_id", OPTIONAL_UUID, description="Only parties belonging to this group."),
        query("type_id", OPTIONAL_UUID, description="Only parties of this party type."),
        query("skillset_id", OPTIONAL_UUID, description="Only parties holding this skillset."),
    ),
    permission="parties.view",
)
async def list_parties(request: Request) -> Response:
    claims = await authenticated(request)
    params = request.query_params
    query = parse_list_query(
        params, sortable=SORTS, default_sort="+name", includes=("stats",), max_offset=MAX_OFFSET
    )
    filters = PartyFilter(
        ids=query.ids,
        group_id=_uuid_param(params, "group_id"),
        type_id=_uuid_param(params, "type_id"),
        skillset_id=_uuid_param(params, "skillset_id"),
        keywords=query.keywords,
    )
    found, page = await parties.list_parties(collaborators(request), claims, filters, query)
    items = [party_view(item, claims, full=False, counts_as="stats") for item in found]
    return many(items, query=query, total=page, url=public_url(request))


@documented(
    "Get a party",
    description="One party with its addresses and profile; a deleted party is returned too.",
    answers=api.one(PartyDetailView),
    params=(
        query(
            "include[]",
            {"type": "array", "items": or_empty({"type": "string", "enum": ["counts"]})},
            description="`counts`: totals of groups, contracts, assets and skillsets.",
        ),
    ),
    errors=(PartyNotFound,),
    permission="parties.view",
)
async def get_party(request: Request) -> Response:
    claims = await authenticated(request)
    party_id = _party_id(request)
    with_counts = "counts" in _includes(request.query_params, ("counts",))
    found = await parties.get_party(collaborators(request), claims, party_id, with_counts=with_counts)
    return one(party_view(found, claims, full=True, counts_as="counts"))


@documented(
    "Create a party",
    description="The whole party; its id is generated. " + _FIELDS,
    answers=api.created(PartyDetailView),
    body=PartyIn,
    body_example=PARTY_EXAMPLE,
    errors=_FIELD_ERRORS,
    permission="parties.create",
)
async def create_party(request: Request) -> Response:
    claims = await authenticated(request)
    fields = await read_model(request, PartyIn)
    return created(
        party_view(await parties.create_party(collaborators(request), claims, fields), claims, full=True)
    )


@documented(
    "Replace a party",
    description="The whole party replaces its fields; the id is taken from the URL only. " + _FIELDS,
    answers=api.one(PartyDetailView),
    body=PartyIn,
    body_example=PARTY_EXAMPLE,
    errors=(PartyNotFound, *_FIELD_ERRORS),
    permission="parties.update",
)
async def replace_party(request: Request) -> Response:
    claims = await authenticated(request)
    party_id = _party_id(request)
    fields = await read_model(request, PartyIn)
    replaced = await parties.replace_party(collaborators(request), claims, party_id, fields)
    return one(party_view(replaced, claims, full=True))


@documented(
    "Suspend, reactivate, delete or restore parties",
    description=(
        "Each row names a party and the flags to change: a date suspends or deletes (the "
        "server's clock sets the time), null reactivates or restores. Each row succeeds or fails "
        "on its own: a failing row is an item of `errors` (`eValidationError`, `ePartyNotFound`, "
        "`ePermissionDenied` when deleting without `parties.delete`) and the others still apply."
    ),
    answers=api.batch(PartyView),
    body=BatchBody(PartyPatch, MAX_BATCH),
    body_example={
        "data": [
            {"id": "e3d53daf-87d4-4427-a215-000cce6d0f99", "deleted_at": "2023-01-01T12:35:00.000Z"},
            {"id": "48dd8d74-0aee-4fae-8417-d0466c74fbaa", "suspended_at": None},
        ]
    },
    permission="parties.update",
    operation_id="patch_parties",
)
async def patch_many(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, PartyBatch)
    outcome = await patch_parties(collaborators(request), claims, body.data)
    return batch([party_view(item, claims, full=False) for item in outcome.applied], outcome.failures)


@documented(
    "Delete a party",
    description=(
        "A soft delete, which also ends the sessions of the party's user; deleting again changes nothing."
    ),
    answers=api.empty(),
    errors=(PartyNotFound,),
    permission="parties.delete",
)
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
