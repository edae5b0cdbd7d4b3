"""``/templates`` (listed with ``sort_by``, as seed 004 documents) and ``/templates/~/types``."""

from __future__ import annotations

import uuid

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.repositories.templates import SORTABLE
from identity.routes.caller import authenticated, collaborators
from identity.schemas.templates import TemplateWrite
from identity.services import templates
from proximity.http.body import read_model
from proximity.http.list_query import parse_list_query
from proximity.http.responses import catalogue, created, many, public_url


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


async def list_templates(request: Request) -> Response:
    claims = await authenticated(request)
    params = _sort_by_as_sort(request.query_params)
    listing = parse_list_query(params, sortable=SORTABLE)
    items, total = await templates.list_templates(collaborators(request), claims, listing, kind=_kind(params))
    return many(items, query=listing, total=total, url=public_url(request))


async def create_template(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, TemplateWrite)
    return created(await templates.create_template(collaborators(request), claims, body))


async def list_template_types(request: Request) -> Response:
    await authenticated(request)
    return catalogue(await templates.list_template_types(collaborators(request)))


routes = [
    Route("/templates", list_templates, methods=["GET"]),
    Route("/templates", create_template, methods=["POST"]),
    Route("/templates/~/types", list_template_types, methods=["GET"]),
]
