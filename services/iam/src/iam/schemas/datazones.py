"""Datazone bodies (seed 004 "CREATE a DataZone", "UPDATE a DataZone", "BATCH UPDATE
DataZones", "UPDATE GeoZones for a DataZone") and the datazone as the API shows it
(``datazone_view``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, model_validator
from pydantic.json_schema import SkipJsonSchema

from iam.domain.datazones import DatazoneType, unique_ids
from iam.repositories.datazone_records import Datazone, Geozone
from proximity.address import AddressIn, AddressView, Latitude, Longitude
from proximity.auth.claims import Claims
from proximity.auth.permissions import object_permissions
from proximity.batch_patch import BatchRow
from proximity.geo import Geo, InvalidGeo, checked_geo
from proximity.openapi.view_fields import sometimes_absent

# How many ids one list of a datazone may hold: its event carries them all and must fit the
# broker's max_payload (docs/events.md), as a contract's links do.
MAX_LINKED = 1000
MAX_ADDRESSES = 50
MAX_GEOZONES = 200
MAX_WKT_LENGTH = 500_000

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]
Ids = Annotated[list[uuid.UUID], Field(default_factory=list, max_length=MAX_LINKED)]


class DatazoneIn(BaseModel):
    """The whole datazone, for create and for replace; ``id`` only ever comes from the URL, and
    read-only fields a client echoes back from a read are ignored."""

    model_config = ConfigDict(extra="ignore")

    name: Name
    description: Annotated[str, StringConstraints(max_length=5000)] = ""
    type: DatazoneType
    is_dynamic: bool = False
    addresses: list[AddressIn] = Field(
        default_factory=list, max_length=MAX_ADDRESSES, description="Geo datazones only; `[]` otherwise."
    )
    owner_ids: Ids
    industry_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=MAX_LINKED, description="Commercial datazones only; `[]` otherwise."
    )
    entity_ids: Ids
    contract_ids: Ids
    suspended_at: datetime | None = None

    def address_rows(self) -> list[dict[str, Any]]:
        return [address.model_dump() for address in self.addresses]

    def ids(self) -> dict[str, list[uuid.UUID]]:
        return {
            "owner_ids": unique_ids(self.owner_ids),
            "industry_ids": unique_ids(self.industry_ids),
            "entity_ids": unique_ids(self.entity_ids),
            "contract_ids": unique_ids(self.contract_ids),
        }


class DatazonePatch(BatchRow):
    """One ``PATCH /datazones`` row: a date suspends or deletes (the server's clock sets it), null
    reactivates or restores; ``*_assign`` / ``*_unassign`` add or remove one entity, contract or
    industry (null: no-op)."""

    model_config = ConfigDict(extra="forbid")

    suspended_at: datetime | None = None
    deleted_at: datetime | None = None
    entity_id_assign: uuid.UUID | None = None
    entity_id_unassign: uuid.UUID | None = None
    contract_id_assign: uuid.UUID | None = None
    contract_id_unassign: uuid.UUID | None = None
    industry_id_assign: uuid.UUID | None = None
    industry_id_unassign: uuid.UUID | None = None


class GeozoneIn(BaseModel):
    """Seed 004's GeoZone: ``lat`` and ``long`` (and a ``radius`` in metres, 0 or null: the point
    itself), or ``wkt`` alone: a valid POLYGON or MULTIPOLYGON in longitude-latitude order."""

    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID | None = None
    name: Annotated[str, StringConstraints(max_length=150)] | None = None
    lat: Latitude | None = None
    long: Longitude | None = None
    radius: Annotated[int, Field(ge=0)] | None = None
    wkt: Annotated[str, StringConstraints(min_length=1, max_length=MAX_WKT_LENGTH)] | None = None
    _checked: Geo | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _valid_geo(self) -> GeozoneIn:
        try:
            self._checked = checked_geo(self.lat, self.long, self.radius, self.wkt)
        except InvalidGeo as exc:
            raise ValueError(str(exc)) from None
        return self

    @property
    def checked(self) -> Geo:
        if self._checked is None:
            raise RuntimeError("the geozone was not validated")
        return self._checked


class GeozonesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data: list[GeozoneIn] = Field(max_length=MAX_GEOZONES)


class GeozoneView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    name: str | None
    long: float | None
    lat: float | None
    radius: int | None
    wkt: str | None


class DatazoneCountsView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    operational: int = Field(
        ge=0, description="Live operational groups reaching the datazone through territory groups."
    )


class DatazoneView(BaseModel):
    """A datazone on lists (seed 004: shortened, no owners, addresses or linked ids)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: uuid.UUID
    name: str
    description: str
    type: DatazoneType
    is_dynamic: bool
    created_at: datetime
    updated_at: datetime | None
    suspended_at: datetime | None
    deleted_at: datetime | None
    stats: list[DatazoneCountsView] | SkipJsonSchema[None] = sometimes_absent(
        "With `include[]=counts` only: one item of totals.", max_length=1
    )
    permissions: list[str] = Field(
        default_factory=list,
        alias="__permissions__",
        description="The caller's `datazones.*` permissions; absent for a system administrator.",
    )


class ListedDatazoneView(DatazoneView):
    geo_zones: list[GeozoneView] | SkipJsonSchema[None] = sometimes_absent(
        "With `include[]=geozones` only: the datazone's geozones (`[]` for a commercial one)."
    )


class DatazoneDetailView(DatazoneView):
    owner_ids: list[uuid.UUID]
    addresses: list[AddressView]
    industry_ids: list[uuid.UUID]
    entity_ids: list[uuid.UUID]
    contract_ids: list[uuid.UUID]


def geozone_view(found: Geozone) -> dict[str, Any]:
    return {
        "id": found.id,
        "name": found.name,
        "long": found.long,
        "lat": found.lat,
        "radius": found.radius,
        "wkt": found.wkt,
    }


def datazone_view(
    found: Datazone,
    claims: Claims,
    *,
    owner_ids: list[uuid.UUID] | None = None,
    operational: int | None = None,
    geozones: list[Geozone] | None = None,
) -> dict[str, Any]:
    """The list's shape; with ``owner_ids`` the full one (``GET /datazones/{id}`` and writes)."""
    view: dict[str, Any] = {
        "id": found.id,
        "name": found.name,
        "description": found.description,
        "type": found.type,
        "is_dynamic": found.is_dynamic,
    }
    if owner_ids is not None:
        view |= {
            "owner_ids": owner_ids,
            "addresses": found.addresses,
            "industry_ids": list(found.industry_ids),
            "entity_ids": list(found.entity_ids),
            "contract_ids": list(found.contract_ids),
        }
    if operational is not None:
        view["stats"] = [{"operational": operational}]
    if geozones is not None:
        view["geo_zones"] = [geozone_view(zone) for zone in geozones]
    view |= {
        "created_at": found.created_at,
        "updated_at": found.updated_at,
        "suspended_at": found.suspended_at,
        "deleted_at": found.deleted_at,
    }
    granted = object_permissions(claims, "datazones")
    if granted is not None:
        view["__permissions__"] = granted
    return view
