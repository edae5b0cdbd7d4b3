"""``GET /search/locations`` (seed 004 "LOCATIONS Search")."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from assets.routes.caller import authenticated, collaborators
from assets.schemas.search import SearchResultView, asset_result, entity_result
from assets.search.keyword_query import InvalidKeywordQuery
from assets.search.locations import MAX_RESULTS, search_locations
from proximity.errors import ValidationFailed
from proximity.geo import InvalidGeo, checked_area
from proximity.http.list_query import refuse_unstorable
from proximity.http.responses import catalogue
from proximity.openapi import operation as api
from proximity.openapi.operation import documented, query

MAX_BOUNDS = 20
SEARCHABLE = ("asset", "entity")


def _values(request: Request, name: str) -> list[str]:
    raw = request.query_params.getlist(f"{name}[]") + request.query_params.getlist(name)
    return [v.strip() for v in raw if v.strip()]


@documented(
    "Search locations",
    description=(
        "Assets and entities inside the union of the `bound[]` areas (WKT POLYGON or MULTIPOLYGON, "
        "longitude latitude; at least one, at most 20). A point asset is found when it lies in the "
        "union (its edge included), an area asset when it overlaps it, an entity when one of its "
        "addresses' coordinates lies in it (shown at the first such address); hidden assets are "
        "left out. `types[]`: `asset`, `entity` (both by default; with both, each entity carries "
        "its assets among those found, `[]` when none). `keywords` match the "
        "start of words of the name and address: words side by side must all match, `OR`, `NOT` "
        "and brackets combine them; a mistake is `eInvalidKeywordQuery` saying where. At most 1000 "
        "of each type; a warning says when the search was cut."
    ),
    answers=api.catalogue(SearchResultView),
    params=(
        query(
            "bound[]",
            {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": MAX_BOUNDS},
            required=True,
            description="WKT areas; results lie in their union.",
        ),
        query("types[]", {"type": "array", "items": {"type": "string", "enum": list(SEARCHABLE)}}),
        query("keywords", {"type": "string", "maxLength": 500}),
    ),
    errors=(InvalidKeywordQuery,),
    permission="assets.view",
)
async def locations(request: Request) -> Response:
    claims = await authenticated(request)
    refuse_unstorable(request.query_params)
    raw_bounds = _values(request, "bound")
    if not 1 <= len(raw_bounds) <= MAX_BOUNDS:
        raise ValidationFailed(f"Give 1 to {MAX_BOUNDS} 'bound[]' areas.", fields={"bound": "count"})
    try:
        bounds = [checked_area(raw, f"bound.{i}") for i, raw in enumerate(raw_bounds)]
    except InvalidGeo as problem:
        raise ValidationFailed(str(problem), fields={problem.field: "invalid"}) from None
    types = set(_values(request, "types")) or set(SEARCHABLE)
    unknown = types - set(SEARCHABLE)
    if unknown:
        raise ValidationFailed(
            f"'types[]' may hold {' and '.join(SEARCHABLE)}; '{sorted(unknown)[0]}' is not searchable yet.",
            fields={"types": "enum"},
        )
    keywords = (request.query_params.get("keywords") or "").strip() or None
    if keywords is not None and len(keywords) > 500:
        raise ValidationFailed("'keywords' is longer than 500 characters.", fields={"keywords": "too_long"})
    found = await search_locations(collaborators(request), claims, bounds, types, keywords)
    items = [asset_result(a) for a in found.assets]
    both = "asset" in types and "entity" in types
    items += [
        entity_result(e, found.entity_points[e.id], found.assets_of_entity.get(e.id, []) if both else None)
        for e in found.entities
    ]
    warnings = [f"More than {MAX_RESULTS} locations match; narrow the bounds."] if found.truncated else []
    return catalogue(items, warnings=warnings)


routes = [Route("/search/locations", locations, methods=["GET"])]
