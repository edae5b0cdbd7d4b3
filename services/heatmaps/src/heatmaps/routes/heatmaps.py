"""``/heatmaps`` and ``/heatmaps/{id}`` (seed 004 "Heatmaps": the configurations)."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from heatmaps.errors import HEATMAP_WRITE_ERRORS, HeatmapNotFound
from heatmaps.repositories.heatmap_queries import SORTS, HeatmapFilter
from heatmaps.routes.caller import collaborators, granted
from heatmaps.schemas.heatmaps import HeatmapIn, HeatmapView, heatmap_view
from heatmaps.services import heatmaps
from proximity.db.listing import MAX_OFFSET
from proximity.http.body import read_model
from proximity.http.list_query import parse_list_query
from proximity.http.responses import created, many, no_content, one, public_url
from proximity.openapi import operation as api
from proximity.openapi.envelopes import list_parameters
from proximity.openapi.operation import documented

HEATMAP_EXAMPLE: dict[str, Any] = {
    "name": "Floor area",
    "description": "Where the floor area is",
    "type": "business",
    "owner_ids": [],
    "group_ids": [],
    "metrics": [
        {"field_id": None, "label": "Total count", "ref": "number", "calc": "count", "ranges": None},
    ],
    "suspended_at": None,
}
_RULES = (
    "`owner_ids` are live parties of the tenant (`eOwnerNotFound`), `group_ids` live groups "
    "(`eGroupNotFound`), each at most 1000; at most 20 `metrics`, each `field_id` null (a count) "
    "or a live, unarchived `number` dynamic field of the tenant (`eInvalidMetricField`); "
    "`ranges` null or finite bounds, strictly ascending. A non-null `suspended_at` suspends at "
    "the server's time."
)
INCLUDES = ("stats",)


def _heatmap_id(request: Request) -> uuid.UUID:
    # seed 004: an id that is not a heatmap's, malformed or not, is 400 eHeatmapNotFound.
    try:
        return uuid.UUID(request.path_params["id"])
    except ValueError:
        raise HeatmapNotFound() from None


@documented(
    "List heatmaps",
    description=(
        "The tenant's heatmap configurations, with any filters applied; deleted ones only when "
        "named in `ids[]`. `keywords`: every word must start a word of the name or the "
        "description. `include[]=stats` adds `stats`; `total_user_groups` and `total_op_groups` "
        "sort by the same counts. `total` is exact up to 1000, then 1000 with `total_exact: "
        "false`; the `next_cursor` goes beyond offset 1000."
    ),
    answers=api.many(HeatmapView),
    params=list_parameters(sortable=SORTS, includes=INCLUDES, max_offset=MAX_OFFSET),
    permission="heatmaps.view",
)
async def list_heatmaps(request: Request) -> Response:
    claims = await granted(request)
    listing = parse_list_query(
        request.query_params, sortable=SORTS, default_sort="+name", includes=INCLUDES, max_offset=MAX_OFFSET
    )
    filters = HeatmapFilter(ids=listing.ids, keywords=listing.keywords)
    found, page, stats = await heatmaps.list_heatmaps(
        collaborators(request), claims, filters, listing, with_stats="stats" in listing.include
    )
    shown = [heatmap_view(item, claims, None if stats is None else stats.get(item.id)) for item in found]
    return many(shown, query=listing, total=page, url=public_url(request))


@documented(
    "Get a heatmap",
    description="One heatmap configuration with its `stats`; a deleted one too, with its `deleted_at`.",
    answers=api.one(HeatmapView),
    errors=(HeatmapNotFound,),
    permission="heatmaps.view",
)
async def get_heatmap(request: Request) -> Response:
    claims = await granted(request)
    found, stats = await heatmaps.get_heatmap(collaborators(request), claims, _heatmap_id(request))
    return one(heatmap_view(found, claims, stats))


@documented(
    "Create a heatmap",
    description="The whole configuration; its id is generated. " + _RULES,
    answers=api.created(HeatmapView),
    body=HeatmapIn,
    body_example=HEATMAP_EXAMPLE,
    errors=HEATMAP_WRITE_ERRORS,
    permission="heatmaps.create",
)
async def create_heatmap(request: Request) -> Response:
    claims = await granted(request)
    fields = await read_model(request, HeatmapIn)
    made = await heatmaps.create_heatmap(collaborators(request), claims, fields)
    return created(heatmap_view(made, claims))


@documented(
    "Replace a heatmap",
    description="The whole configuration replaces its fields; the id is taken from the URL only. " + _RULES,
    answers=api.one(HeatmapView),
    body=HeatmapIn,
    body_example=HEATMAP_EXAMPLE,
    errors=(HeatmapNotFound, *HEATMAP_WRITE_ERRORS),
    permission="heatmaps.update",
)
async def replace_heatmap(request: Request) -> Response:
    claims = await granted(request)
    target = _heatmap_id(request)
    fields = await read_model(request, HeatmapIn)
    replaced = await heatmaps.replace_heatmap(collaborators(request), claims, target, fields)
    return one(heatmap_view(replaced, claims))


@documented(
    "Delete a heatmap",
    description="A soft delete: it is listed no more and cannot be replaced. Deleting again changes nothing.",
    answers=api.empty(),
    errors=(HeatmapNotFound,),
    permission="heatmaps.delete",
)
async def delete_heatmap(request: Request) -> Response:
    claims = await granted(request)
    await heatmaps.delete_heatmap(collaborators(request), claims, _heatmap_id(request))
    return no_content()


routes = [
    Route("/heatmaps", list_heatmaps, methods=["GET"]),
    Route("/heatmaps", create_heatmap, methods=["POST"]),
    Route("/heatmaps/{id}", get_heatmap, methods=["GET"]),
    Route("/heatmaps/{id}", replace_heatmap, methods=["PUT"]),
    Route("/heatmaps/{id}", delete_heatmap, methods=["DELETE"]),
]
