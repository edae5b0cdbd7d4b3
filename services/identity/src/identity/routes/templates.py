"""``/templates`` (listed with ``sort_by``, as seed 004 documents) and ``/templates/~/types``."""

from __future__ import annotations

import uuid

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.errors import TemplateTypeNotFound
from identity.repositories.templates import SORTABLE
from identity.routes.caller import authenticated, collaborators
from identity.schemas.templates import TemplateTypeView, TemplateView, TemplateWrite
from identity.services import templates
from proximity.http.body import read_model
from proximity.http.list_query import parse_list_query
from proximity.http.responses import catalogue, created, many, public_url
from proximity.openapi import operation as api
from proximity.openapi.envelopes import list_parameters

LIST_PARAMETERS = list_parameters(sortable=SORTABLE)
_SORT = next(p for p in LIST_PARAMETERS if p.name == "sort")
TYPE = "A template type's key (`welcome`) or id."


def _sort_by_as_sort(params: QueryParams) -> QueryParams:
    """The seed names the sort parameter ``sort_by`` here; ``sort`` (everywhere else) works too."""
    if "sort_by" not in params:
        return params
    kept = [(k, v) for k, v in params.multi_items() if k not in ("sort", "sort_by")]
    return QueryParams([*kept, *(("sort", v) for v in params.getlist("sort_by"))])


def _kind(params: QueryParams) -> uuid.UUID | str | None:
    raw = (params.get("type") or params.get("type_id") or "").strip()
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        return raw[:50]


@api.documented(
    "List templates",
    description="Templates with their type (seed 004). Deleted ones are hidden unless named in `ids[]`.",
    answers=api.many(TemplateView),
    params=[
        *LIST_PARAMETERS,
        api.query("sort_by", _SORT.schema, description="Seed 004's name for `sort`; wins over it."),
        api.query("type", {"type": "string"}, description=TYPE),
        api.query("type_id", {"type": "string"}, description=TYPE + " `type` wins over it."),
    ],
    permission="templates.view",
)
async def list_templates(request: Request) -> Response:
    claims = await authenticated(request)
    params = _sort_by_as_sort(request.query_params)
    listing = parse_list_query(params, sortable=SORTABLE)
    items, total = await templates.list_templates(collaborators(request), claims, listing, kind=_kind(params))
    return many(items, query=listing, total=total, url=public_url(request))


@api.documented(
    "Create a template",
    description="Not in seed 004, which only lists. Unknown type: 400 `eTemplateTypeNotFound`.",
    answers=api.created(TemplateView),
    body=TemplateWrite,
    body_example={
        "name": "Welcome Template 2023",
        "type_id": "0e1d0780-bff5-4df5-b3dc-7bd0e25cd524",
        "status": "active",
    },
    errors=[TemplateTypeNotFound],
    permission="templates.create",
)
async def create_template(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, TemplateWrite)
    return created(await templates.create_template(collaborators(request), claims, body))


@api.documented(
    "List template types",
    description="A system catalogue, the same for every tenant; not paginated, no filters (seed 004).",
    answers=api.catalogue(TemplateTypeView),
)
async def list_template_types(request: Request) -> Response:
    await authenticated(request)
    return catalogue(await templates.list_template_types(collaborators(request)))


routes = [
    Route("/templates", list_templates, methods=["GET"]),
    Route("/templates", create_template, methods=["POST"]),
    Route("/templates/~/types", list_template_types, methods=["GET"]),
]
