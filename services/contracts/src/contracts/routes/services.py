"""``/services`` and ``/services/{id}`` (seed 004 "Services")."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from contracts.domain.service_errors import SERVICE_WRITE_ERRORS, ServiceNotFound
from contracts.repositories.services import SORTS, ServiceFilter
from contracts.routes.caller import collaborators, granted
from contracts.routes.params import OPTIONAL_UUID, optional_uuid
from contracts.schemas.batch import MAX_BATCH, BatchRows
from contracts.schemas.services import ServiceIn, ServicePatch, ServiceView, service_view
from contracts.services import services
from contracts.services.service_batch import patch_services
from proximity.db.listing import MAX_OFFSET
from proximity.http.body import read_model
from proximity.http.list_query import parse_list_query
from proximity.http.responses import batch, created, many, no_content, one, public_url
from proximity.openapi import operation as api
from proximity.openapi.envelopes import list_parameters
from proximity.openapi.operation import BatchBody, documented, query

SERVICE_EXAMPLE: dict[str, Any] = {
    "name": "Catering",
    "description": "Lunch for the site's staff",
    "email": "catering@example.com",
    "phone": "+17789891122",
    "category_id": None,
    "type_id": None,
    "suspended_at": None,
}
_RULES = (
    "`type_id` is one of `/services/~/types` (`eServiceTypeNotFound`), `category_id` one of "
    "`/services/~/categories` (`eServiceCategoryNotFound`); both may be null. A non-null "
    "`suspended_at` suspends at the server's time."
)


def _service_id(request: Request) -> uuid.UUID:
    # seed 004: an id that is not a service's, malformed or not, is 400 eServiceNotFound.
    try:
        return uuid.UUID(request.path_params["id"])
    except ValueError:
        raise ServiceNotFound() from None


@documented(
    "List services",
    description=(
        "The tenant's services, with any filters applied; deleted ones only when named in "
        "`ids[]`. `keywords`: every word must start a word of the name; `description` sorts by "
        "its first 200 characters, `type` and `category` by their names (services without one "
        "last). `total` is exact up to 1000, then 1000 with `total_exact: false`; the "
        "`next_cursor` goes beyond offset 1000."
    ),
    answers=api.many(ServiceView),
    params=(
        *list_parameters(sortable=SORTS, max_offset=MAX_OFFSET),
        query("type_id", OPTIONAL_UUID, description="Only services of this type."),
    ),
    permission="services.view",
)
async def list_services(request: Request) -> Response:
    claims = await granted(request)
    params = request.query_params
    listing = parse_list_query(params, sortable=SORTS, default_sort="+name", max_offset=MAX_OFFSET)
    filters = ServiceFilter(
        ids=listing.ids,
        keywords=listing.keywords,
        type_id=optional_uuid(params, "type_id"),
    )
    found, page = await services.list_services(collaborators(request), claims, filters, listing)
    return many(
        [service_view(item, claims) for item in found], query=listing, total=page, url=public_url(request)
    )


@documented(
    "Get a service",
    description="One service; a deleted one too, with its `deleted_at`.",
    answers=api.one(ServiceView),
    errors=(ServiceNotFound,),
    permission="services.view",
)
async def get_service(request: Request) -> Response:
    claims = await granted(request)
    found = await services.get_service(collaborators(request), claims, _service_id(request))
    return one(service_view(found, claims))


@documented(
    "Create a service",
    description="The whole service; its id is generated. " + _RULES,
    answers=api.created(ServiceView),
    body=ServiceIn,
    body_example=SERVICE_EXAMPLE,
    errors=SERVICE_WRITE_ERRORS,
    permission="services.create",
)
async def create_service(request: Request) -> Response:
    claims = await granted(request)
    fields = await read_model(request, ServiceIn)
    made = await services.create_service(collaborators(request), claims, fields)
    return created(service_view(made, claims))


@documented(
    "Replace a service",
    description="The whole service replaces its fields; the id is taken from the URL only. " + _RULES,
    answers=api.one(ServiceView),
    body=ServiceIn,
    body_example=SERVICE_EXAMPLE,
    errors=(ServiceNotFound, *SERVICE_WRITE_ERRORS),
    permission="services.update",
)
async def replace_service(request: Request) -> Response:
    claims = await granted(request)
    target = _service_id(request)
    fields = await read_model(request, ServiceIn)
    replaced = await services.replace_service(collaborators(request), claims, target, fields)
    return one(service_view(replaced, claims))


@documented(
    "Suspend, delete or restore services",
    description=(
        "Each row names a service and what to change: `suspended_at` and `deleted_at` (a date "
        "suspends or deletes at the server's time, null reactivates or restores). Each row "
        "succeeds or fails on its own (`eValidationError`, `eServiceNotFound`, "
        "`ePermissionDenied` when deleting or restoring without `services.delete`)."
    ),
    answers=api.batch(ServiceView),
    body=BatchBody(ServicePatch, MAX_BATCH),
    body_example={
        "data": [{"id": "6fd5b5c4-0978-49f6-b301-85f60434c1b9", "suspended_at": "2023-01-01T12:35:00.000Z"}]
    },
    permission="services.update",
    operation_id="patch_services",
)
async def patch_many(request: Request) -> Response:
    claims = await granted(request)
    body = await read_model(request, BatchRows)
    outcome = await patch_services(collaborators(request), claims, body.data)
    return batch([service_view(item, claims) for item in outcome.applied], outcome.failures)


@documented(
    "Delete a service",
    description=(
        "A soft delete: contracts, assets and entities that name the service keep the reference, "
        "but it can no longer be linked. Deleting again changes nothing."
    ),
    answers=api.empty(),
    errors=(ServiceNotFound,),
    permission="services.delete",
)
async def delete_service(request: Request) -> Response:
    claims = await granted(request)
    await services.delete_service(collaborators(request), claims, _service_id(request))
    return no_content()


routes = [
    Route("/services", list_services, methods=["GET"]),
    Route("/services", create_service, methods=["POST"]),
    Route("/services", patch_many, methods=["PATCH"]),
    Route("/services/{id}", get_service, methods=["GET"]),
    Route("/services/{id}", replace_service, methods=["PUT"]),
    Route("/services/{id}", delete_service, methods=["DELETE"]),
]
