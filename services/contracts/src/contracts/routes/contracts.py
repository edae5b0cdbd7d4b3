"""``/contracts`` and ``/contracts/{id}`` (seed 004 "Contracts"), and
``POST /entities/~/actions/assign_contract`` (seed 004 "BATCH Assign Contract to Entities":
contract ↔ entity links are contracts'; the gateway routes this one ``/entities`` path here)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from contracts.errors import CONTRACT_WRITE_ERRORS, ContractNotFound, EntitiesNotFound, MissingContracts
from contracts.repositories.contract_queries import SORTS, ContractFilter
from contracts.routes.caller import authenticated, collaborators
from contracts.routes.params import OPTIONAL_UUID, UUID_LIST, contract_id, optional_uuid, uuid_list
from contracts.schemas.batch import MAX_BATCH, BatchRows
from contracts.schemas.contract_assignment import ContractAssignment
from contracts.schemas.contract_batch import ContractPatch
from contracts.schemas.contracts import (
    ContractDetailView,
    ContractIn,
    ContractView,
    ListedContractView,
    contract_view,
)
from contracts.services import contract_assignment, contracts
from contracts.services.contract_batch import patch_contracts
from proximity.db.listing import MAX_OFFSET
from proximity.errors import ValidationFailed
from proximity.http.body import read_model
from proximity.http.list_query import parse_list_query
from proximity.http.responses import batch, created, many, no_content, one, public_url
from proximity.openapi import operation as api
from proximity.openapi.envelopes import list_parameters
from proximity.openapi.operation import BatchBody, documented, query

CONTRACT_EXAMPLE: dict[str, Any] = {
    "name": "A created contract",
    "description": "Created contract description",
    "starts_at": "2022-01-01T12:35:00.000Z",
    "expires_at": "2023-01-01T12:35:00.000Z",
    "url": "https://drive.google.com/some-document.pdf",
    "owners": [],
    "contacts": [],
    "party_ids": [],
    "service_ids": [],
    "asset_ids": [],
    "entities_ids": [],
    "media_ids": [],
    "suspended_at": None,
}
_RULES = (
    "`starts_at` must not be after `expires_at` (`eValidationError`). Owners are parties of the "
    "tenant in an owner role of `/contracts/~/roles`, contacts in a contact role "
    "(`eAttemptSaveWithMissingRoles`, `eAttemptSaveWithMissingOwners`, "
    "`eAttemptSaveWithMissingContacts`); `party_ids`, `service_ids`, `asset_ids` and `entities_ids` "
    "(or `entity_ids`) live objects of the tenant as identity, contracts and assets announced them "
    "(`eAttemptSaveWithMissingParties`, `…Services`, `…Assets`, `…Entities`); an id already linked "
    "stays valid. `media_ids` documents of the tenant as assets announced them "
    "(`eAttemptSaveWithMissingMedia`), one already named staying valid. A non-null "
    "`suspended_at` suspends at the server's time. Every change of the contract or of its links "
    "is a new version, published as `contracts.contract.*`."
)


@documented(
    "List contracts",
    description=(
        "The tenant's contracts, with any filters applied; deleted ones only when named in "
        "`ids[]`. `keywords`: every word must start a word of the name; `description` sorts by its "
        "first 200 characters, `expiry` puts contracts without an expiry last. `total` is exact up "
        "to 1000, then 1000 with `total_exact: false`; the `next_cursor` goes beyond offset 1000."
    ),
    answers=api.many(ListedContractView),
    params=(
        *list_parameters(sortable=SORTS, includes=("counts",), max_offset=MAX_OFFSET),
        query("party_id", OPTIONAL_UUID, description="Only contracts linking this party."),
        query("service_id", OPTIONAL_UUID, description="Only contracts covering this service."),
        query("asset_id", OPTIONAL_UUID, description="Only contracts linking this asset."),
        query("entity_ids", UUID_LIST, description="Only contracts linking one of these entities."),
        query("entity_ids[]", UUID_LIST, description="As `entity_ids`."),
    ),
    permission="contracts.view",
)
async def list_contracts(request: Request) -> Response:
    claims = await authenticated(request)
    params = request.query_params
    listing = parse_list_query(
        params, sortable=SORTS, default_sort="+name", includes=("counts",), max_offset=MAX_OFFSET
    )
    filters = ContractFilter(
        ids=listing.ids,
        keywords=listing.keywords,
        party_id=optional_uuid(params, "party_id"),
        service_id=optional_uuid(params, "service_id"),
        asset_id=optional_uuid(params, "asset_id"),
        entity_ids=uuid_list(params, "entity_ids"),
    )
    listed = await contracts.list_contracts(collaborators(request), claims, filters, listing)
    counts = "counts" in listing.include
    items = [contract_view(item, listed.grants, counts=counts) for item in listed.shown]
    return many(items, query=listing, total=listed.page, url=public_url(request))


@documented(
    "Get a contract",
    description=(
        "One contract in full, with owners, contacts and every link; a deleted one too. "
        "`include[]=counts` adds `stats`."
    ),
    answers=api.one(ContractDetailView),
    params=(
        query(
            "include[]",
            {"type": "array", "items": {"type": "string", "enum": ["counts"]}},
            description="`counts`: the contract's asset and entity totals.",
        ),
    ),
    errors=(ContractNotFound,),
    permission="contracts.view",
)
async def get_contract(request: Request) -> Response:
    claims = await authenticated(request)
    counts = "counts" in _includes(request)
    found = await contracts.get_contract(collaborators(request), claims, contract_id(request))
    return one(contract_view(found.contract, found.grants, found.links, counts=counts))


def _includes(request: Request) -> set[str]:
    params = request.query_params
    given = {
        v.strip() for item in params.getlist("include[]") + params.getlist("include") for v in item.split(",")
    }
    given.discard("")
    unknown = sorted(given - {"counts"})
    if unknown:
        raise ValidationFailed(f"Unknown include '{unknown[0]}'.", fields={"include": "unknown"})
    return given


@documented(
    "Create a contract",
    description="The whole contract; its id is generated. " + _RULES,
    answers=api.created(ContractDetailView),
    body=ContractIn,
    body_example=CONTRACT_EXAMPLE,
    errors=CONTRACT_WRITE_ERRORS,
    permission="contracts.create",
)
async def create_contract(request: Request) -> Response:
    claims = await authenticated(request)
    fields = await read_model(request, ContractIn)
    made = await contracts.create_contract(collaborators(request), claims, fields)
    return created(contract_view(made.contract, made.grants, made.links))


@documented(
    "Replace a contract",
    description="The whole contract replaces its fields and links; the id is taken from the URL only. "
    + _RULES,
    answers=api.one(ContractDetailView),
    body=ContractIn,
    body_example=CONTRACT_EXAMPLE,
    errors=(ContractNotFound, *CONTRACT_WRITE_ERRORS),
    permission="contracts.update",
)
async def replace_contract(request: Request) -> Response:
    claims = await authenticated(request)
    target = contract_id(request)
    fields = await read_model(request, ContractIn)
    replaced = await contracts.replace_contract(collaborators(request), claims, target, fields)
    return one(contract_view(replaced.contract, replaced.grants, replaced.links))


@documented(
    "Link and unlink, suspend, delete or restore contracts",
    description=(
        "Each row names a contract and what to change: one party, asset, service and entity to "
        "assign and one of each to unassign (null: no-op), `suspended_at` and `deleted_at` (a date "
        "suspends or deletes at the server's time, null reactivates or restores). Each row "
        "succeeds or fails on its own (`eValidationError`, `eContractNotFound`, "
        "`eAttemptSaveWithMissingParties`, `…Assets`, `…Services`, `…Entities`, "
        "`ePermissionDenied` when deleting without `contracts.delete`)."
    ),
    answers=api.batch(ContractView),
    body=BatchBody(ContractPatch, MAX_BATCH),
    body_example={
        "data": [{"id": "6fd5b5c4-0978-49f6-b301-85f60434c1b9", "suspended_at": "2023-01-01T12:35:00.000Z"}]
    },
    permission="contracts.update",
    operation_id="patch_contracts",
)
async def patch_many(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, BatchRows)
    outcome, grants = await patch_contracts(collaborators(request), claims, body.data)
    return batch([contract_view(item, grants) for item in outcome.applied], outcome.failures)


@documented(
    "Delete a contract",
    description=(
        "A soft delete: the contract links nothing any more for assets (its "
        "`contracts.contract.deleted` says so) and can be restored with `PATCH /contracts`. "
        "Deleting again changes nothing."
    ),
    answers=api.empty(),
    errors=(ContractNotFound,),
    permission="contracts.delete",
)
async def delete_contract(request: Request) -> Response:
    claims = await authenticated(request)
    await contracts.delete_contract(collaborators(request), claims, contract_id(request))
    return no_content()


@documented(
    "Link a contract to entities and unlink it from others",
    description=(
        "All or nothing: the contract must be a live contract of the tenant "
        "(`eAttemptSaveWithMissingContracts`; a suspended one is fine); every entity of `push` "
        "a live entity of the tenant as assets last announced it (`eEntitiesNotFound`, naming the "
        "others); one only pulled may have been deleted since. An entity in both lists ends "
        "without the contract."
    ),
    answers=api.empty(),
    body=ContractAssignment,
    errors=(EntitiesNotFound, MissingContracts),
    permission="contracts.update",
)
async def assign_contract(request: Request) -> Response:
    claims = await authenticated(request)
    assignment = await read_model(request, ContractAssignment)
    await contract_assignment.assign_contract(collaborators(request), claims, assignment)
    return no_content()


routes = [
    Route("/entities/~/actions/assign_contract", assign_contract, methods=["POST"]),
    Route("/contracts", list_contracts, methods=["GET"]),
    Route("/contracts", create_contract, methods=["POST"]),
    Route("/contracts", patch_many, methods=["PATCH"]),
    Route("/contracts/{id}", get_contract, methods=["GET"]),
    Route("/contracts/{id}", replace_contract, methods=["PUT"]),
    Route("/contracts/{id}", delete_contract, methods=["DELETE"]),
]
