"""``/entities`` and ``/entities/{id}`` (seed 004 "Entities")."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from assets.errors import (
    CONTRACT_LINK_ERRORS,
    ENTITY_WRITE_ERRORS,
    EntitiesNotFound,
    EntityNotFound,
    MissingServices,
)
from assets.repositories.entity_queries import SORTS, EntityFilter
from assets.routes.caller import authenticated, collaborators
from assets.routes.params import OPTIONAL_UUID, optional_uuid
from assets.schemas.batch import MAX_BATCH, BatchRows
from assets.schemas.entities import (
    EntityDetailView,
    EntityIn,
    EntityView,
    ListedEntityView,
    counts_view,
    entity_view,
)
from assets.schemas.entity_batch import EntityPatch
from assets.schemas.service_assignment import ServiceAssignment
from assets.services import entities, service_assignment
from assets.services.entity_batch import patch_entities
from proximity.db.listing import MAX_OFFSET
from proximity.http.body import read_model
from proximity.http.list_query import parse_list_query
from proximity.http.responses import batch, created, many, no_content, one, public_url
from proximity.openapi import operation as api
from proximity.openapi.envelopes import list_parameters
from proximity.openapi.operation import BatchBody, documented, query

ENTITY_EXAMPLE: dict[str, Any] = {
    "name": "Acme Mining",
    "description": "A client",
    "type_id": "300d1740-7b7c-4aaf-a965-e4a096bd3f99",
    "industry_id": None,
    "phone": "+15551112222",
    "url": "https://acme.example.com",
    "addresses": [{"street": "station road", "city": "newark", "region": "notts", "country": "gb"}],
    "owners": [],
    "contacts": [],
    "service_ids": [],
    "suspended_at": None,
}
_RULES = (
    "`type_id` is one of `/entities/~/types`; `industry_id` a live industry "
    "(`eAttemptSaveWithMissingIndustries`); owners and contacts are parties of the tenant "
    "(`eAttemptSaveWithMissingOwners` / `eAttemptSaveWithMissingContacts`), each in a role of "
    "its kind from `/entities/~/roles` (`eAttemptSaveWithMissingRoles`); `service_ids` live "
    "services of the tenant as contracts announced them (`eAttemptSaveWithMissingServices`). "
    "`contract_ids` are contracts' links: a list that differs from the entity's is written at "
    "contracts before the entity is saved (`eAttemptSaveWithMissingContracts`; "
    "`eServiceUnavailable`, 503, while contracts cannot be reached: then nothing is saved); left "
    "out, the links stay. A non-null `suspended_at` suspends at the server's time."
)


def _entity_id(request: Request) -> uuid.UUID:
    try:
        return uuid.UUID(request.path_params["id"])
    except ValueError:
        raise EntityNotFound() from None


@documented(
    "List entities",
    description=(
        "The tenant's entities, with any filters applied; deleted ones only when named in "
        "`ids[]`. `keywords`: every word must start a word of the name; `description` sorts by its "
        "first 200 characters, `total_datazones` and `total_operational_groups` "
        "by id until those links exist. `total` is exact up to "
        "1000, then 1000 with `total_exact: false`; the `next_cursor` goes beyond offset 1000."
    ),
    answers=api.many(ListedEntityView),
    params=(
        *list_parameters(sortable=SORTS, includes=("counts",), max_offset=MAX_OFFSET),
        query("type_id", OPTIONAL_UUID, description="Only entities of this type."),
        query(
            "contract_id",
            OPTIONAL_UUID,
            description="Only entities this contract links (as contracts last announced it).",
        ),
    ),
    permission="entities.view",
)
async def list_entities(request: Request) -> Response:
    claims = await authenticated(request)
    params = request.query_params
    listing = parse_list_query(
        params, sortable=SORTS, default_sort="+name", includes=("counts",), max_offset=MAX_OFFSET
    )
    filters = EntityFilter(
        ids=listing.ids,
        keywords=listing.keywords,
        type_id=optional_uuid(params, "type_id"),
        contract_id=optional_uuid(params, "contract_id"),
    )
    listed = await entities.list_entities(collaborators(request), claims, filters, listing)
    items = []
    for item in listed.shown:
        view = entity_view(item, listed.grants)
        if "counts" in listing.include:
            view["stats"] = counts_view(item)
        items.append(view)
    return many(items, query=listing, total=listed.page, url=public_url(request))


@documented(
    "Get an entity",
    description="One entity in full, with addresses, owners, contacts and services; a deleted one too.",
    answers=api.one(EntityDetailView),
    errors=(EntityNotFound,),
    permission="entities.view",
)
async def get_entity(request: Request) -> Response:
    claims = await authenticated(request)
    found = await entities.get_entity(collaborators(request), claims, _entity_id(request))
    return one(entity_view(found.entity, found.grants, found.links))


@documented(
    "Create an entity",
    description="The whole entity; its id is generated. " + _RULES,
    answers=api.created(EntityDetailView),
    body=EntityIn,
    body_example=ENTITY_EXAMPLE,
    errors=(*ENTITY_WRITE_ERRORS, *CONTRACT_LINK_ERRORS),
    permission="entities.create",
)
async def create_entity(request: Request) -> Response:
    claims = await authenticated(request)
    fields = await read_model(request, EntityIn)
    made = await entities.create_entity(collaborators(request), claims, fields)
    return created(entity_view(made.entity, made.grants, made.links))


@documented(
    "Replace an entity",
    description="The whole entity replaces its fields; the id is taken from the URL only. " + _RULES,
    answers=api.one(EntityDetailView),
    body=EntityIn,
    body_example=ENTITY_EXAMPLE,
    errors=(EntityNotFound, *ENTITY_WRITE_ERRORS, *CONTRACT_LINK_ERRORS),
    permission="entities.update",
)
async def replace_entity(request: Request) -> Response:
    claims = await authenticated(request)
    target = _entity_id(request)
    fields = await read_model(request, EntityIn)
    replaced = await entities.replace_entity(collaborators(request), claims, target, fields)
    return one(entity_view(replaced.entity, replaced.grants, replaced.links))


@documented(
    "Assign services and contracts, suspend, delete or restore entities",
    description=(
        "Each row names an entity and what to change: one service and one contract to assign and "
        "unassign, `suspended_at` and `deleted_at` (a date suspends or deletes at the server's "
        "time, null reactivates or restores). Contract links are written at contracts, which owns "
        "them. Each row succeeds or fails on its own (`eValidationError`, `eEntityNotFound`, "
        "`eAttemptSaveWithMissingServices`, `eAttemptSaveWithMissingContracts`, "
        "`eServiceUnavailable` while contracts cannot be reached, `ePermissionDenied` when "
        "deleting without `entities.delete`)."
    ),
    answers=api.batch(EntityView),
    body=BatchBody(EntityPatch, MAX_BATCH),
    body_example={
        "data": [{"id": "6fd5b5c4-0978-49f6-b301-85f60434c1b9", "suspended_at": "2023-01-01T12:35:00.000Z"}]
    },
    permission="entities.update",
    operation_id="patch_entities",
)
async def patch_many(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, BatchRows)
    outcome, grants = await patch_entities(collaborators(request), claims, body.data)
    return batch([entity_view(item, grants) for item in outcome.applied], outcome.failures)


@documented(
    "Add a service to entities and remove it from others",
    description=(
        "All or nothing: every entity of `push` and `pull` must be a live entity of the tenant "
        "(`eEntitiesNotFound`, naming the others); a service pushed must be a live service of the "
        "tenant as contracts last announced it (`eAttemptSaveWithMissingServices`), one only "
        "pulled may have been deleted since. An entity in both lists ends without the service."
    ),
    answers=api.empty(),
    body=ServiceAssignment,
    errors=(EntitiesNotFound, MissingServices),
    permission="entities.update",
)
async def assign_service(request: Request) -> Response:
    claims = await authenticated(request)
    assignment = await read_model(request, ServiceAssignment)
    await service_assignment.assign_service(collaborators(request), claims, assignment)
    return no_content()


@documented(
    "Delete an entity",
    description=(
        "A soft delete: assets that name the entity keep the reference, but no asset can be given "
        "it any more. Deleting again changes nothing."
    ),
    answers=api.empty(),
    errors=(EntityNotFound,),
    permission="entities.delete",
)
async def delete_entity(request: Request) -> Response:
    claims = await authenticated(request)
    await entities.delete_entity(collaborators(request), claims, _entity_id(request))
    return no_content()


routes = [
    Route("/entities/~/actions/assign_service", assign_service, methods=["POST"]),
    Route("/entities", list_entities, methods=["GET"]),
    Route("/entities", create_entity, methods=["POST"]),
    Route("/entities", patch_many, methods=["PATCH"]),
    Route("/entities/{id}", get_entity, methods=["GET"]),
    Route("/entities/{id}", replace_entity, methods=["PUT"]),
    Route("/entities/{id}", delete_entity, methods=["DELETE"]),
]
