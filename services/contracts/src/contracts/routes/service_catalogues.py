"""``/services/~/types`` and ``/services/~/categories`` (seed 004 "LIST Service Types", "LIST
Service Categories"): catalogues, whole and unpaginated."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from contracts.routes.caller import collaborators, granted
from contracts.schemas.services import ServiceCategoryView, ServiceTypeView, catalogue_view
from contracts.services import services
from proximity.http.responses import catalogue
from proximity.openapi import operation as api
from proximity.openapi.operation import documented


@documented(
    "List service types",
    description=(
        "The tenant's whole catalogue of service types, unpaginated, by name. Every tenant starts "
        "with Maintenance, Cleaning, Security, Catering and Inspection."
    ),
    answers=api.catalogue(ServiceTypeView),
    permission="services.view",
)
async def list_service_types(request: Request) -> Response:
    claims = await granted(request)
    found = await services.list_service_types(collaborators(request), claims)
    return catalogue([catalogue_view(item) for item in found])


@documented(
    "List service categories",
    description=(
        "The tenant's whole catalogue of service categories, unpaginated, by name. Every tenant "
        "starts with Facilities, Hospitality, Safety and Compliance, and Technical."
    ),
    answers=api.catalogue(ServiceCategoryView),
    permission="services.view",
)
async def list_service_categories(request: Request) -> Response:
    claims = await granted(request)
    found = await services.list_service_categories(collaborators(request), claims)
    return catalogue([catalogue_view(item) for item in found])


routes = [
    Route("/services/~/types", list_service_types, methods=["GET"]),
    Route("/services/~/categories", list_service_categories, methods=["GET"]),
]
