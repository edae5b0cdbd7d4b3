"""``/entities/~/types`` and ``/entities/~/roles`` (seed 004 "LIST Entity Types", "LIST Entity Roles")."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from assets.routes.caller import authenticated, collaborators
from assets.schemas.entity_catalogues import (
    EntityRoleView,
    EntityTypeView,
    entity_role_view,
    entity_type_view,
)
from assets.services import entity_catalogues
from proximity.errors import ValidationFailed
from proximity.http.responses import catalogue
from proximity.openapi import operation as api
from proximity.openapi.operation import documented, query

ROLE_TYPES = ("contact", "owner")


@documented(
    "List entity types",
    description=(
        "The tenant's whole catalogue of entity types, unpaginated; each has a base type, `client` "
        "or `vendor`. Every tenant starts with Client and Vendor."
    ),
    answers=api.catalogue(EntityTypeView),
    permission="entities.view",
)
async def list_entity_types(request: Request) -> Response:
    claims = await authenticated(request)
    found = await entity_catalogues.list_entity_types(collaborators(request), claims)
    return catalogue([entity_type_view(item) for item in found])


@documented(
    "List entity roles",
    description="The roles an entity's owners and contacts hold, unpaginated; `type` keeps one kind.",
    answers=api.catalogue(EntityRoleView),
    params=(
        query("type", {"type": "string", "enum": ["", *ROLE_TYPES]}, description="`contact` or `owner`."),
    ),
    permission="entities.view",
)
async def list_entity_roles(request: Request) -> Response:
    claims = await authenticated(request)
    role_type = (request.query_params.get("type") or "").strip() or None
    if role_type is not None and role_type not in ROLE_TYPES:
        raise ValidationFailed("'type' must be contact or owner.", fields={"type": "enum"})
    found = await entity_catalogues.list_entity_roles(collaborators(request), claims, role_type)
    return catalogue([entity_role_view(item) for item in found])


routes = [
    Route("/entities/~/types", list_entity_types, methods=["GET"]),
    Route("/entities/~/roles", list_entity_roles, methods=["GET"]),
]
