"""Asset request bodies (seed 004 "CREATE a new Asset", "UPDATE an Asset") and the asset as the
API shows it (``asset_view``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, model_validator
from pydantic.json_schema import SkipJsonSchema

from assets.repositories.asset_queries import AssetLinks, AssetStats
from assets.repositories.asset_records import Asset
from assets.schemas.view_fields import sometimes_absent
from proximity.access.grants import Grants
from proximity.address import AddressIn, AddressView, Latitude, Longitude
from proximity.geo import Geo, InvalidGeo, checked_geo

MAX_LINKED = 1000
MAX_WKT_LENGTH = 500_000
E164_PATTERN = r"^\+[1-9][0-9]{1,14}$"

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]
Short = Annotated[str, StringConstraints(max_length=50)]


class GeoIn(BaseModel):
    """Seed 004's GeoZone: ``lat`` and ``long`` (and a ``radius`` in metres), or ``wkt`` alone:
    a valid POLYGON or MULTIPOLYGON in longitude-latitude order on the globe, of at most
    10,000 vertices."""

    model_config = ConfigDict(extra="ignore")  # a GeoZone read back carries its id

    lat: Latitude | None = None
    long: Longitude | None = None
    radius: Annotated[int, Field(ge=0)] | None = None
    wkt: Annotated[str, StringConstraints(min_length=1, max_length=MAX_WKT_LENGTH)] | None = None
    _checked: Geo | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _valid_geo(self) -> GeoIn:
        try:
            self._checked = checked_geo(self.lat, self.long, self.radius, self.wkt)
        except InvalidGeo as exc:
            raise ValueError(str(exc)) from None
        return self

    @property
    def checked(self) -> Geo:
        if self._checked is None:
            raise RuntimeError("the geo was not validated")
        return self._checked


class AssetIn(BaseModel):
    """The whole asset, for create and for replace. Read-only fields a client echoes back from a
    read are ignored; ``id`` only ever comes from the URL."""

    model_config = ConfigDict(extra="ignore")

    name: Name
    description: Annotated[str, StringConstraints(max_length=5000)]
    type_id: uuid.UUID | None = None
    entity_id: uuid.UUID | None = None
    parent_id: uuid.UUID | None = None
    phone: Annotated[str, StringConstraints(pattern=E164_PATTERN)] | None = None
    floor_unit: Annotated[str, StringConstraints(max_length=150)] | None = None
    year_built: Short | None = None
    building_floor: Short | None = None
    num_floors_units: Short | None = None
    strata: Short | None = None
    service_ids: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_LINKED)
    party_ids: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_LINKED)
    contract_ids: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=MAX_LINKED,
        description=(
            "The contracts linking the asset. Contracts owns these links: a list that differs from "
            "the asset's is written there (`eAttemptSaveWithMissingContracts` for an unknown "
            "contract, `eServiceUnavailable` while contracts cannot be reached: then nothing is "
            "changed). Left out: the links stay as they are."
        ),
    )
    address: AddressIn | None = None
    geo: GeoIn | None = None
    is_hidden: bool = False
    suspended_at: datetime | None = None


class GeoView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lat: float | None
    long: float | None
    radius: int | None
    wkt: str | None


class AssetView(BaseModel):
    """An asset on lists (the shallow payload)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: uuid.UUID
    name: str
    description: str
    type_id: uuid.UUID | None
    entity_id: uuid.UUID | None
    parent_id: uuid.UUID | None
    is_hidden: bool
    created_at: datetime
    updated_at: datetime | None
    suspended_at: datetime | None
    deleted_at: datetime | None
    permissions: list[str] = Field(
        default_factory=list,
        alias="__permissions__",
        description="The caller's `asset.*` permissions; absent for a system administrator.",
    )


class AssetStatsView(BaseModel):
    """``contracts``: the contracts linking the asset, as contracts last announced them."""

    model_config = ConfigDict(extra="forbid")

    contracts: int = Field(ge=0)
    services: int = Field(ge=0)
    assets: int = Field(ge=0, description="Live child assets.")
    entities: int = Field(ge=0)


class ListedAssetView(AssetView):
    stats: list[AssetStatsView] | SkipJsonSchema[None] = sometimes_absent(
        "With `include[]=stats` only: one item of totals.", max_length=1
    )


class AncestorView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    name: str
    type_id: uuid.UUID | None
    parent_id: uuid.UUID | None


class AssetDetailView(AssetView):
    """One asset in full: get, create and replace."""

    parentage: list[AncestorView] | SkipJsonSchema[None] = sometimes_absent(
        "With `include[]=parentage` only: the parent first, up to the top."
    )
    images: list[str] | SkipJsonSchema[None] = sometimes_absent(
        "With `include[]=images` only: the download URLs of its image documents."
    )

    phone: str | None
    floor_unit: str | None
    year_built: str | None
    building_floor: str | None
    num_floors_units: str | None
    strata: str | None
    service_ids: list[uuid.UUID]
    party_ids: list[uuid.UUID]
    contract_ids: list[uuid.UUID]
    address: AddressView | None
    geo: GeoView | None


def _geo(found: Asset) -> dict[str, Any] | None:
    if found.geo_wkt is None and found.geo_lat is None:
        return None
    return {"lat": found.geo_lat, "long": found.geo_long, "radius": found.geo_radius, "wkt": found.geo_wkt}


def asset_view(found: Asset, grants: Grants, links: AssetLinks | None = None) -> dict[str, Any]:
    """The asset as seed 004 shows it; with ``links`` the full payload (get, create, replace)."""
    view: dict[str, Any] = {
        "id": found.id,
        "name": found.name,
        "description": found.description,
        "type_id": found.type_id,
        "entity_id": found.entity_id,
        "parent_id": found.parent_id,
    }
    if links is not None:
        view |= {
            "phone": found.phone,
            "floor_unit": found.floor_unit,
            "year_built": found.year_built,
            "building_floor": found.building_floor,
            "num_floors_units": found.num_floors_units,
            "strata": found.strata,
            "service_ids": list(links.service_ids),
            "party_ids": list(links.party_ids),
            "contract_ids": list(links.contract_ids),
            "address": found.address,
            "geo": _geo(found),
        }
    view |= {
        "is_hidden": found.is_hidden,
        "created_at": found.created_at,
        "updated_at": found.updated_at,
        "suspended_at": found.suspended_at,
        "deleted_at": found.deleted_at,
    }
    granted = grants.object_permissions("assets", found.datazone_ids)
    if granted is not None:  # seed 004: omitted for a system admin, whose checks are bypassed
        view["__permissions__"] = granted
    return view


def stats_view(stats: AssetStats) -> list[dict[str, int]]:
    """A one-item list, as seed 004 shows it."""
    return [
        {
            "contracts": stats.contracts,
            "services": stats.services,
            "assets": stats.assets,
            "entities": stats.entities,
        }
    ]


def ancestor_view(found: Asset) -> dict[str, Any]:
    return {"id": found.id, "name": found.name, "type_id": found.type_id, "parent_id": found.parent_id}
