"""``/dynamicfields/fields`` and the values of ``/dynamicfields/values`` and
``/dynamicfields/{id}/values`` (seed 004 "Dynamic Fields")."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from assets.domain.field_config import FIELD_TYPES, OBJECT_TYPES
from assets.errors import AssetNotFound, FieldNotFound
from assets.repositories.dynamic_fields import SORTS
from assets.routes.caller import authenticated, collaborators
from assets.schemas.dynamic_fields import (
    FieldIn,
    FieldView,
    ListedFieldView,
    ValuesIn,
    ValueView,
    counts_view,
    field_view,
    value_view,
)
from assets.services import dynamic_fields, field_values
from proximity.db.listing import MAX_OFFSET
from proximity.errors import ValidationFailed
from proximity.http.body import read_model
from proximity.http.list_query import parse_list_query, parse_uuids
from proximity.http.responses import catalogue, created, many, no_content, one, public_url
from proximity.openapi import operation as api
from proximity.openapi.envelopes import list_parameters
from proximity.openapi.operation import UUID_SCHEMA, documented, query

FIELD_EXAMPLE: dict[str, Any] = {
    "object_type": "asset",
    "label": "Floor area",
    "description": "Square metres, to one decimal",
    "field_type": "number",
    "config": {"min": 0, "max": 10_000_000, "scalefactor": 1},
    "archived_at": None,
}
_OBJECT_TYPE = {"type": "string", "enum": list(OBJECT_TYPES)}
_CONFIGS = (
    "`config` by `field_type`: text `{max, multiline}`; number `{min, max, scalefactor}` (integers; "
    "values are stored as integers shifted by `scalefactor` decimal places, min and max in the same "
    "units); dropdown and multiselect `{options: [{key, value}]}` (1 to 500, unique keys); dateOnly, "
    "dateTime and checkbox `{}`. A non-null `archived_at` archives it at the server's time."
)


def _field_id(request: Request) -> uuid.UUID:
    try:
        return uuid.UUID(request.path_params["id"])
    except ValueError:
        raise FieldNotFound() from None


def _object_type(params: QueryParams) -> str:
    given = (params.get("object_type") or "").strip()
    if given not in OBJECT_TYPES:
        raise ValidationFailed(
            f"'object_type' is required: one of {', '.join(OBJECT_TYPES)}.", fields={"object_type": "enum"}
        )
    return given


def _values(params: QueryParams, name: str) -> list[str]:
    raw = params.getlist(f"{name}[]") + params.getlist(name)
    return [v.strip() for item in raw for v in item.split(",") if v.strip()]


@documented(
    "List dynamic fields",
    description=(
        "The fields of one object type (`object_type` is required), sorted by label. "
        "`include[]=counts` adds `stats`: how many values are set on live assets, on how many "
        "assets, for how many contracts, and how many live layouts place the field."
    ),
    answers=api.many(ListedFieldView),
    params=(
        *list_parameters(sortable=SORTS, includes=("counts",), max_offset=MAX_OFFSET),
        query("object_type", _OBJECT_TYPE, required=True, description="The fields of this object type."),
        query(
            "field_type_in[]",
            {"type": "array", "items": {"type": "string", "enum": list(FIELD_TYPES)}},
            description="Only fields of these types.",
        ),
    ),
    permission="dynamicfields.view",
)
async def list_fields(request: Request) -> Response:
    claims = await authenticated(request)
    params = request.query_params
    # Seed 004 names the default sort +name; the only field to sort by is the label.
    listing = parse_list_query(
        params, sortable=SORTS, default_sort="+label", includes=("counts",), max_offset=MAX_OFFSET
    )
    object_type = _object_type(params)
    field_types = _values(params, "field_type_in")
    unknown = [t for t in field_types if t not in FIELD_TYPES]
    if unknown:
        raise ValidationFailed(f"Unknown field type '{unknown[0]}'.", fields={"field_type_in": "enum"})
    found = await dynamic_fields.list_fields(
        collaborators(request), claims, object_type, listing, field_types
    )
    items = []
    for item in found.shown:
        view = field_view(item)
        if found.counts is not None:
            view["stats"] = counts_view(found.counts[item.id])
        items.append(view)
    return many(items, query=listing, total=found.page, url=public_url(request))


@documented(
    "Create a dynamic field",
    description="Its id is generated. " + _CONFIGS,
    answers=api.created(FieldView),
    body=FieldIn,
    body_example=FIELD_EXAMPLE,
    permission="dynamicfields.create",
)
async def create_field(request: Request) -> Response:
    claims = await authenticated(request)
    fields = await read_model(request, FieldIn)
    return created(field_view(await dynamic_fields.create_field(collaborators(request), claims, fields)))


@documented(
    "Replace a dynamic field",
    description="The whole field; the id is taken from the URL only. Saved values are kept. " + _CONFIGS,
    answers=api.one(FieldView),
    body=FieldIn,
    body_example=FIELD_EXAMPLE,
    errors=(FieldNotFound,),
    permission="dynamicfields.update",
)
async def replace_field(request: Request) -> Response:
    claims = await authenticated(request)
    target = _field_id(request)
    fields = await read_model(request, FieldIn)
    return one(field_view(await dynamic_fields.replace_field(collaborators(request), claims, target, fields)))


@documented(
    "Delete a dynamic field",
    description="It is no longer listed or found, and its values are no longer shown.",
    answers=api.empty(),
    errors=(FieldNotFound,),
    permission="dynamicfields.delete",
)
async def delete_field(request: Request) -> Response:
    claims = await authenticated(request)
    await dynamic_fields.delete_field(collaborators(request), claims, _field_id(request))
    return no_content()


@documented(
    "Set dynamic field values",
    description=(
        "All or nothing. Each value is checked against its field's type and config (text length, "
        "an integer within min and max, an ISO date or date-time with offset, option keys the "
        "field has, a boolean; null clears it); the subject must be an asset of the tenant, the "
        "object an asset or party of the tenant of the field's object type (contracts and services "
        "are not known here yet). The first problem is a 400 naming the value, e.g. "
        "`values.2.value`; a field that does not exist is `eFieldNotFound`."
    ),
    answers=api.Answer(201, "catalogue", ValueView, "The values as saved."),
    body=ValuesIn,
    errors=(FieldNotFound,),
    permission="assets.update",
)
async def set_values(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, ValuesIn)
    saved = await field_values.set_values(collaborators(request), claims, body.values)
    return created([value_view(item) for item in saved])


@documented(
    "List a subject's dynamic field values",
    description="The values of one subject (`{id}`, an asset) for objects of `object_type`.",
    answers=api.catalogue(ValueView),
    params=(
        query("subject_type", {"type": "string", "enum": ["asset"]}, required=True, description="`asset`."),
        query("object_type", _OBJECT_TYPE, required=True, description="The objects' type."),
        query("field_ids[]", {"type": "array", "items": UUID_SCHEMA}, description="Only these fields."),
        query("object_ids[]", {"type": "array", "items": UUID_SCHEMA}, description="Only these objects."),
    ),
    errors=(AssetNotFound,),
    permission="assets.view",
)
async def list_values(request: Request) -> Response:
    claims = await authenticated(request)
    params = request.query_params
    try:
        subject_id = uuid.UUID(request.path_params["id"])
    except ValueError:
        raise AssetNotFound() from None
    if (params.get("subject_type") or "").strip() != "asset":
        raise ValidationFailed("'subject_type' is required: asset.", fields={"subject_type": "enum"})
    object_type = _object_type(params)
    field_ids = parse_uuids(_values(params, "field_ids"), "field_ids")
    object_ids = parse_uuids(_values(params, "object_ids"), "object_ids")
    found = await field_values.values_of_subject(
        collaborators(request), claims, subject_id, object_type, field_ids, object_ids
    )
    return catalogue([value_view(item) for item in found])


routes = [
    Route("/dynamicfields/fields", list_fields, methods=["GET"]),
    Route("/dynamicfields/fields", create_field, methods=["POST"]),
    Route("/dynamicfields/fields/{id}", replace_field, methods=["PUT"]),
    Route("/dynamicfields/fields/{id}", delete_field, methods=["DELETE"]),
    Route("/dynamicfields/values", set_values, methods=["POST"]),
    Route("/dynamicfields/{id}/values", list_values, methods=["GET"]),
]
