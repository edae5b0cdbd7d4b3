"""``GET /search/locations``: assets and entities inside the union of the bounds.

Candidates come from the index (each asset's bounding box, and each entity's box around its
addresses' coordinates, against each bound's box; keywords through the words of name and
address), then shapely decides exactly: a point asset lies in the union (its edge included), an
area asset overlaps it; an entity has an address whose coordinates lie in it, and is shown at
the first such address. With both types, each entity carries its assets that were found."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.prepared import prep

from assets.bootstrap import Collaborators
from assets.repositories import location_search
from assets.repositories.location_search import LocatedAsset, LocatedEntity
from assets.search.keyword_query import compiled_tsquery
from assets.services.territories import grants_of
from proximity.auth.claims import Claims

MAX_RESULTS = 1000


@dataclass(frozen=True, slots=True)
class Found:
    assets: list[LocatedAsset]
    entities: list[LocatedEntity]
    assets_of_entity: dict[uuid.UUID, list[LocatedAsset]] = field(default_factory=dict)
    truncated: bool = False
    # Where each entity found is shown: (lat, long) of its first address inside the bounds.
    entity_points: dict[uuid.UUID, tuple[float, float]] = field(default_factory=dict)


def _assets_inside(candidates: Sequence[LocatedAsset], union: BaseGeometry) -> list[LocatedAsset]:
    """The candidates that are found, in their order. Points are tested all at once: a point
    intersects the union exactly when the union covers it (its edge included), and one
    vectorised call costs what a few Point objects did (18 ms for 2,000 candidates, one by one)."""
    shapely.prepare(union)
    points = shapely.intersects_xy(
        union, [a.point_long for a in candidates], [a.point_lat for a in candidates]
    )
    return [
        found
        for found, point_inside in zip(candidates, points, strict=True)
        if (shapely.from_wkt(found.geo_wkt).intersects(union) if found.geo_wkt is not None else point_inside)
    ]


def _point_inside(found: LocatedEntity, prepared: object) -> tuple[float, float] | None:
    for address in found.addresses:
        lat, long = address.get("lat"), address.get("long")
        located = isinstance(lat, int | float) and isinstance(long, int | float)
        if located and prepared.covers(Point(long, lat)):  # type: ignore[attr-defined]
            return (float(lat), float(long))  # type: ignore[arg-type]
    return None


async def search_locations(
    ctx: Collaborators, claims: Claims, bounds: Sequence[BaseGeometry], types: set[str], keywords: str | None
) -> Found:
    tsquery = compiled_tsquery(keywords) if keywords is not None else None
    union = shapely.union_all(list(bounds))
    prepared = prep(union)
    assets: list[LocatedAsset] = []
    entities: list[LocatedEntity] = []
    entity_points: dict[uuid.UUID, tuple[float, float]] = {}
    truncated = False
    boxes: list[location_search.Box] = [bound.bounds for bound in bounds]
    async with ctx.snapshot() as session:
        # Each type shows what the caller may view of it (its datazones), as its list does.
        grants = await grants_of(session, claims)
        if "asset" in types:
            grants.require_granted("assets.view")
            candidates = await location_search.assets_in(
                session,
                claims.tenant_id,
                boxes,
                tsquery,
                MAX_RESULTS * 4,
                grants.list_zones("assets.view"),
            )
            assets = _assets_inside(candidates, union)
            truncated = len(candidates) == MAX_RESULTS * 4 or len(assets) > MAX_RESULTS
            assets = assets[:MAX_RESULTS]
        if "entity" in types:
            grants.require_granted("entities.view")
            candidates_e = await location_search.entities_in(
                session, claims.tenant_id, boxes, tsquery, MAX_RESULTS * 4, grants.list_zones("entities.view")
            )
            for candidate in candidates_e:
                point = _point_inside(candidate, prepared)
                if point is not None:
                    entities.append(candidate)
                    entity_points[candidate.id] = point
            truncated = truncated or len(candidates_e) == MAX_RESULTS * 4 or len(entities) > MAX_RESULTS
            entities = entities[:MAX_RESULTS]
    assets_of_entity: dict[uuid.UUID, list[LocatedAsset]] = {}
    if "asset" in types and "entity" in types:
        for asset in assets:
            if asset.entity_id is not None:
                assets_of_entity.setdefault(asset.entity_id, []).append(asset)
    return Found(assets, entities, assets_of_entity, truncated, entity_points)
