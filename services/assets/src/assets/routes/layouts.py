"""``/dynamicfields/layouts`` and ``/dynamicfields/layouts/{id}`` (seed 004 "Layouts")."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from assets.domain.field_config import OBJECT_TYPES
from assets.errors import (
    AssetNotFound,
    DefaultLayoutProtected,
    FieldNotFound,
    FieldObjectTypeMismatch,
    IndustriesAlreadyAssigned,
    LayoutNotFound,
    MissingIndustries,
)
from assets.routes.caller import authenticated, collaborators
from assets.routes.params import OPTIONAL_UUID, optional_uuid
from assets.schemas.dynamic_fields import field_view
from assets.schemas.layouts import LayoutIn, LayoutView, layout_view
from assets.services import layouts
from assets.services.layouts import ShownLayout
from proximity.errors import ValidationFailed
from proximity.http.body import read_model
from proximity.http.list_query import parse_uuids
from proximity.http.responses import catalogue, created, no_content, one
from proximity.openapi import operation as api
from proximity.openapi.operation import UUID_SCHEMA, documented, query

LAYOUT_EXAMPLE: dict[str, Any] = {
    "name": "Mining sites",
    "description": "What mining clients' sites show",
    "subject_id": "asset",
    "object_id": "asset",
    "industry_ids": [],
    "is_default": False,
    "cards": [{"title": "Summary", "description": "", "items": [{"item_type": "summary", "field_id": None}]}],
}
_WRITE_ERRORS = (FieldNotFound, FieldObjectTypeMismatch, IndustriesAlreadyAssigned, MissingIndustries)


def _layout_id(request: Request) -> uuid.UUID:
    try:
        return uuid.UUID(request.path_params["id"])
    except ValueError:
        raise LayoutNotFound() from None


def _view(shown: ShownLayout) -> dict[str, Any]:
    view = layout_view(shown.layout, shown.industry_ids)
    if shown.fields is not None:
        view["fields"] = [field_view(item) for item in shown.fields]
    return view


@documented(
    "List layouts",
    description=(
        "The layouts of one object type (`object_type` is required), the default first. With "
        "`for_asset_id`, exactly one: the layout of the industry of the asset's entity, else the "
        "default, with the fields its items name appended."
    ),
    answers=api.catalogue(LayoutView),
    params=(
        query("object_type", {"type": "string", "enum": list(OBJECT_TYPES)}, required=True),
        query("ids[]", {"type": "array", "items": UUID_SCHEMA}, description="Only these layouts."),
        query("for_asset_id", OPTIONAL_UUID, description="The one layout this asset shows."),
    ),
    errors=(AssetNotFound, LayoutNotFound),
    permission="dynamicfields.view",
)
async def list_layouts(request: Request) -> Response:
    claims = await authenticated(request)
    params = request.query_params
    object_type = (params.get("object_type") or "").strip()
    if object_type not in OBJECT_TYPES:
        raise ValidationFailed(
            f"'object_type' is required: one of {', '.join(OBJECT_TYPES)}.", fields={"object_type": "enum"}
        )
    raw_ids = [
        v.strip()
        for item in params.getlist("ids[]") + params.getlist("ids")
        for v in item.split(",")
        if v.strip()
    ]
    found = await layouts.list_layouts(
        collaborators(request),
        claims,
        object_type,
        parse_uuids(raw_ids, "ids"),
        optional_uuid(params, "for_asset_id"),
    )
    return catalogue([_view(item) for item in found])


@documented(
    "Create a layout",
    description=(
        "`is_default` must be false (every object type has its default, the system's). Each `field` "
        "item names a field of the layout's object type (`object_id`); an industry belongs to at "
        "most one layout of an object type."
    ),
    answers=api.created(LayoutView),
    body=LayoutIn,
    body_example=LAYOUT_EXAMPLE,
    errors=_WRITE_ERRORS,
    permission="dynamicfields.create",
)
async def create_layout(request: Request) -> Response:
    claims = await authenticated(request)
    fields = await read_model(request, LayoutIn)
    return created(_view(await layouts.create_layout(collaborators(request), claims, fields)))


@documented(
    "Replace a layout",
    description=(
        "The whole layout; the id is taken from the URL only. A default layout can be edited but "
        "stays the default of its object type (`eAttemptDeactivateDefaultLayout`)."
    ),
    answers=api.one(LayoutView),
    body=LayoutIn,
    body_example=LAYOUT_EXAMPLE,
    errors=(LayoutNotFound, DefaultLayoutProtected, *_WRITE_ERRORS),
    permission="dynamicfields.update",
)
async def replace_layout(request: Request) -> Response:
    claims = await authenticated(request)
    target = _layout_id(request)
    fields = await read_model(request, LayoutIn)
    return one(_view(await layouts.replace_layout(collaborators(request), claims, target, fields)))


@documented(
    "Delete a layout",
    description=(
        "A default layout cannot be deleted (`eAttemptDeactivateDefaultLayout`); the industries "
        "of a deleted one are free for other layouts."
    ),
    answers=api.empty(),
    errors=(LayoutNotFound, DefaultLayoutProtected),
    permission="dynamicfields.delete",
)
async def delete_layout(request: Request) -> Response:
    claims = await authenticated(request)
    await layouts.delete_layout(collaborators(request), claims, _layout_id(request))
    return no_content()


routes = [
    Route("/dynamicfields/layouts", list_layouts, methods=["GET"]),
    Route("/dynamicfields/layouts", create_layout, methods=["POST"]),
    Route("/dynamicfields/layouts/{id}", replace_layout, methods=["PUT"]),
    Route("/dynamicfields/layouts/{id}", delete_layout, methods=["DELETE"]),
]
