"""Location search results (seed 004 "Type: Search Result")."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from pydantic.json_schema import SkipJsonSchema

from assets.repositories.location_search import LocatedAsset, LocatedEntity
from assets.schemas.view_fields import sometimes_absent


class AssetResultView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    type: Literal["asset"]
    name: str
    wkt: str | None
    lat: float | None
    long: float | None


class SearchResultView(BaseModel):
    """An asset or an entity; an entity carries its assets when both types were asked for."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    type: Literal["asset", "entity"]
    name: str
    wkt: str | None
    lat: float | None
    long: float | None
    assets: list[AssetResultView] | SkipJsonSchema[None] = sometimes_absent(
        "On entities, when `types[]` holds both asset and entity: the entity's assets found."
    )


def asset_result(found: LocatedAsset) -> dict[str, Any]:
    return {
        "id": found.id,
        "type": "asset",
        "name": found.name,
        "wkt": found.geo_wkt,
        "lat": found.point_lat,
        "long": found.point_long,
    }


def entity_result(
    found: LocatedEntity, point: tuple[float, float], assets: list[LocatedAsset] | None
) -> dict[str, Any]:
    """``point``: (lat, long) of the address the search found it by."""
    view: dict[str, Any] = {
        "id": found.id,
        "type": "entity",
        "name": found.name,
        "wkt": None,
        "lat": point[0],
        "long": point[1],
    }
    if assets is not None:
        view["assets"] = [asset_result(a) for a in assets]
    return view
