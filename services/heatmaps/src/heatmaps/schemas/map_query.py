"""The query string of ``GET /heatmaps/{id}/query`` (seed 004 "QUERY a Heatmap"), read into a
``MapRequest``; every problem is a 400 ``eValidationError`` naming the parameter."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.errors import ShapelyError
from shapely.geometry.base import BaseGeometry
from starlette.datastructures import QueryParams

from heatmaps.domain.cluster_index import BBox, ClusterOptions
from heatmaps.domain.map_points import ADDRESS_GROUPS, KINDS, Kind
from heatmaps.domain.map_view import QUERY_TARGETS
from proximity.errors import ValidationFailed
from proximity.http.list_query import MAX_IDS, parse_uuids
from proximity.openapi.operation import UUID_SCHEMA, Param, Schema, query

GROUP_TYPES = ("cluster", *ADDRESS_GROUPS)
MAX_ZOOM = 16
MAX_BOUND_CHARS = 20_000
MAX_TEXT = 200
MAX_ITEMS_BELOW = 1000
# The tuning parameters' bounds: what keeps a build finite and the answer meaningful.
TUNING: dict[str, tuple[int, int, int]] = {  # name: (default, min, max)
    "min_cluster_size": (2, 1, 10_000),
    "radius": (40, 1, 4096),
    "extent": (512, 64, 8192),
    "node_size": (64, 4, 1024),
}


@dataclass(frozen=True, slots=True)
class MapRequest:
    zoom: int
    bound: str
    bbox: BBox
    shape: BaseGeometry | None  # None: the bound is its own bounding box
    group_type: str
    kinds: frozenset[Kind]
    keywords: tuple[str, ...]
    query: tuple[str, str] | None
    datazones: tuple[uuid.UUID, ...] | None
    items_below: int
    options: ClusterOptions


def _refused(name: str, problem: str) -> ValidationFailed:
    return ValidationFailed(f"'{name}' {problem}.", fields={name: problem})


def _integer(params: QueryParams, name: str, default: int | None, low: int, high: int) -> int:
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        if default is None:
            raise _refused(name, "is required")
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise _refused(name, "must be an integer") from None
    if not low <= value <= high:
        raise _refused(name, f"must be between {low} and {high}")
    return value


def _listed(params: QueryParams, name: str) -> list[str]:
    """``name[]=a&name[]=b``, ``name=a&name=b`` or ``name=a,b`` (also ``[a,b]``, as the seed
    writes the default of ``types``)."""
    raw = params.getlist(f"{name}[]") + params.getlist(name)
    return [v.strip() for item in raw for v in item.strip("[]").split(",") if v.strip()]


def _bound(params: QueryParams) -> tuple[str, BBox, BaseGeometry | None]:
    raw = (params.get("bound") or "").strip()
    if not raw:
        raise _refused("bound", "is required (WKT, e.g. POLYGON((-10 40, 10 40, 10 60, -10 60, -10 40)))")
    if len(raw) > MAX_BOUND_CHARS:
        raise _refused("bound", f"holds at most {MAX_BOUND_CHARS} characters")
    try:
        shape = shapely.from_wkt(raw)
    except (ShapelyError, ValueError, TypeError):
        raise _refused("bound", "is not valid WKT") from None
    if shape is None or shape.geom_type not in ("Polygon", "MultiPolygon") or shape.is_empty:
        raise _refused("bound", "must be a POLYGON or MULTIPOLYGON in longitude/latitude")
    west, south, east, north = shape.bounds
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise _refused("bound", "must have finite coordinates")
    if west < -180 or east > 180 or south < -90 or north > 90:
        raise _refused("bound", "must lie within longitude -180..180 and latitude -90..90")
    if not shape.is_valid:
        raise _refused("bound", "is not a valid polygon (it crosses itself)")
    box = shapely.box(west, south, east, north)
    exact = None if shape.equals(box) else shape
    if exact is not None:
        shapely.prepare(exact)
    return raw, (west, south, east, north), exact


def parse_map_request(params: QueryParams) -> MapRequest:
    zoom = _integer(params, "zoom", None, 0, MAX_ZOOM)
    bound, bbox, shape = _bound(params)
    group_type = (params.get("group_type") or "cluster").strip()
    if group_type not in GROUP_TYPES:
        raise _refused("group_type", f"must be one of {', '.join(GROUP_TYPES)}")
    kinds = _listed(params, "types") or list(KINDS)
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        raise _refused("types", f"holds {unknown[0]!r}; types are {', '.join(KINDS)}")
    keywords_text = (params.get("keywords") or "").strip()
    if len(keywords_text) > MAX_TEXT:
        raise _refused("keywords", f"holds at most {MAX_TEXT} characters")
    text = (params.get("query") or "").strip()
    target = (params.get("type") or "").strip()
    if len(text) > MAX_TEXT:
        raise _refused("query", f"holds at most {MAX_TEXT} characters")
    if text and not target:
        raise _refused("type", "is required when query is given")
    if target and target not in QUERY_TARGETS:
        raise _refused("type", f"must be one of {', '.join(QUERY_TARGETS)}")
    zones = _listed(params, "datazones")
    if len(zones) > MAX_IDS:
        raise _refused("datazones", f"holds at most {MAX_IDS} ids")
    tuning = {name: _integer(params, name, *limits) for name, limits in TUNING.items()}
    return MapRequest(
        zoom=zoom,
        bound=bound,
        bbox=bbox,
        shape=shape,
        group_type=group_type,
        kinds=frozenset(kinds),  # type: ignore[arg-type]
        keywords=tuple(keywords_text.split()),
        query=(text, target) if text else None,
        datazones=tuple(dict.fromkeys(parse_uuids(zones, "datazones"))) if zones else None,
        items_below=_integer(params, "show_items_below_size", 5, 0, MAX_ITEMS_BELOW),
        options=ClusterOptions(
            radius=float(tuning["radius"]),
            extent=float(tuning["extent"]),
            min_points=tuning["min_cluster_size"],
            node_size=tuning["node_size"],
        ),
    )


def _integer_schema(low: int, high: int, default: int | None = None) -> Schema:
    schema: dict[str, Any] = {"type": "integer", "minimum": low, "maximum": high}
    if default is not None:
        schema["default"] = default
    return schema


QUERY_PARAMS: tuple[Param, ...] = (
    query("zoom", _integer_schema(0, MAX_ZOOM), required=True, description="Zoom level, 0-16."),
    query(
        "bound",
        {"type": "string", "minLength": 1, "maxLength": MAX_BOUND_CHARS},
        required=True,
        description="WKT POLYGON or MULTIPOLYGON (longitude latitude): the viewport. Pins are "
        "those whose position lies in it.",
    ),
    query(
        "keywords",
        {"type": "string", "maxLength": MAX_TEXT},
        description="Every word must occur in the point's name or address.",
    ),
    query("group_type", {"type": "string", "enum": list(GROUP_TYPES), "default": "cluster"}),
    query(
        "types[]",
        {"type": "array", "items": {"type": "string", "enum": list(KINDS)}, "maxItems": 2},
        description="Which points: asset, entity (default both). `types=asset,entity` is read too.",
    ),
    query(
        "show_items_below_size",
        _integer_schema(0, MAX_ITEMS_BELOW, 5),
        description="A pin of fewer points lists their ids in `items`.",
    ),
    query(
        "datazones[]",
        {"type": "array", "items": UUID_SCHEMA, "maxItems": MAX_IDS},
        description="Constrain to these datazones: one `clusters` entry each, then one with "
        "`datazone_id` null clustering all of them together. Unknown ids: 400 eDataZoneNotFound.",
    ),
    query(
        "query",
        {"type": "string", "maxLength": MAX_TEXT},
        description="Text the points' `type` must contain.",
    ),
    query(
        "type",
        {"type": "string", "enum": list(QUERY_TARGETS)},
        description="What `query` runs on; required with it.",
    ),
    *(
        query(
            name,
            _integer_schema(low, high, default),
            description=f"supercluster's option (default {default}).",
        )
        for name, (default, low, high) in TUNING.items()
    ),
)
