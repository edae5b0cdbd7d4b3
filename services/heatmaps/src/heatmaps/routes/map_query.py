"""``GET /heatmaps/{id}/query`` (seed 004 "QUERY a Heatmap")."""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from heatmaps.errors import DatazoneNotFound, HeatmapNotFound
from heatmaps.routes.caller import authenticated, collaborators
from heatmaps.schemas.map_answer import RESULT_SCHEMA, map_answer
from heatmaps.schemas.map_query import QUERY_PARAMS, parse_map_request
from heatmaps.services.map_query import query_heatmap
from proximity.http.responses import JSON
from proximity.openapi import operation as api
from proximity.openapi.operation import documented

_DESCRIPTION = (
    "The heatmap's metrics over the points (assets and entities with a location) the caller "
    "may view (`assets.view`, `entities.view` and their territories), clustered as supercluster "
    "does (`group_type=cluster`: a pin's `lat`/`long` is the cluster's position, which lies in "
    "`bound`) or grouped by the points' address (`region`, `country`, `city`: `field` holds the "
    "value, `lat`/`long` are null; points without it are left out). Without `datazones` the "
    "answer has one `clusters` entry, `datazone_id` null. A metric's `total` is its `calc` over "
    "the pin's points that have a value (a null `field_id` counts the points); `percent` is 0-100: "
    "against the metric's `ranges` (first to last) when it has them, else against the largest "
    "total of that metric in the answer. Numbers are strings, as the seed shows them."
)


def _heatmap_id(request: Request) -> uuid.UUID:
    try:
        return uuid.UUID(request.path_params["id"])
    except ValueError:
        raise HeatmapNotFound() from None


@documented(
    "Run a heatmap query",
    description=_DESCRIPTION,
    answers=api.catalogue(RESULT_SCHEMA, description="One result: the pins per datazone entry."),
    params=QUERY_PARAMS,
    errors=(HeatmapNotFound, DatazoneNotFound),
    permission="heatmaps.view",
)
async def query_map(request: Request) -> Response:
    claims = await authenticated(request)
    heatmap_id = _heatmap_id(request)
    wanted = parse_map_request(request.query_params)
    entries = await query_heatmap(collaborators(request), claims, heatmap_id, wanted)
    return JSON({"data": [map_answer(wanted, entries)], "warnings": []})


routes = [Route("/heatmaps/{id}/query", query_map, methods=["GET"])]
