"""A datazone as iam announces it (``iam.datazone.created|updated|deleted``, contract 1): the
state a service keeps in its replica and compiles into a ``Territory``. Pure."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

DATAZONE_SUBJECTS = ("iam.datazone.created", "iam.datazone.updated", "iam.datazone.deleted")
DATAZONE_FILTER = "iam.datazone.*"
PERMISSIONS_UPDATED = "iam.permissions.updated"
# The payload's own major (``data.contract``); another is parked, never misapplied.
IAM_PAYLOAD_CONTRACT = 1


class Geozone(BaseModel):
    """A point (with a radius in metres; 0 or null: the point, with a 1 m tolerance) or a WKT
    (Multi)Polygon in longitude latitude."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: uuid.UUID | None = None
    name: str | None = None
    lat: float | None = None  # seed 004 writes coordinates as strings too: pydantic reads both
    long: float | None = None
    radius: float | None = None
    wkt: str | None = None


class DatazoneState(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    contract: int = IAM_PAYLOAD_CONTRACT
    id: uuid.UUID
    name: str = ""
    type: Literal["geo", "commercial"]
    is_dynamic: bool = False
    addresses: tuple[dict[str, Any], ...] = ()
    geozones: tuple[Geozone, ...] = ()
    entity_ids: frozenset[uuid.UUID] = Field(default_factory=frozenset)
    contract_ids: frozenset[uuid.UUID] = Field(default_factory=frozenset)
    industry_ids: frozenset[uuid.UUID] = Field(default_factory=frozenset)
    suspended_at: datetime | None = None
    deleted_at: datetime | None = None

    @field_validator("addresses", "geozones", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return () if value is None else value

    @field_validator("entity_ids", "contract_ids", "industry_ids", mode="before")
    @classmethod
    def _no_ids(cls, value: Any) -> Any:
        return () if value is None else value

    @property
    def live(self) -> bool:
        """A suspended or deleted datazone is in no territory: it narrows access, never widens."""
        return self.suspended_at is None and self.deleted_at is None
