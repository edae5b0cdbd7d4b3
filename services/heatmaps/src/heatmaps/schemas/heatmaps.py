"""Heatmap bodies (seed 004 "CREATE a new Heatmap", "UPDATE an Heatmap") and the heatmap as
the API shows it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints, field_validator
from pydantic.json_schema import SkipJsonSchema

from heatmaps.domain.heatmap_metrics import (
    MAX_LINKED_IDS,
    MAX_METRICS,
    MAX_RANGES,
    HeatmapType,
    MetricCalc,
    MetricRef,
    ranges_problem,
)
from heatmaps.repositories.heatmap_queries import GroupStats
from heatmaps.repositories.heatmap_records import Heatmap
from proximity.auth.claims import Claims
from proximity.auth.permissions import object_permissions
from proximity.openapi.view_fields import sometimes_absent

MAX_DESCRIPTION = 2000
MAX_LABEL = 150
# A bound as it was sent (an integer stays one); never a boolean, a text or a non-finite number.
RangeBound = StrictInt | Annotated[float, Field(strict=True, allow_inf_nan=False)]


def _distinct(ids: list[uuid.UUID]) -> list[uuid.UUID]:
    return list(dict.fromkeys(ids))


class MetricIn(BaseModel):
    """One metric: ``field_id`` null counts the points; else a live ``number`` dynamic field
    of the tenant whose values ``calc`` combines."""

    model_config = ConfigDict(extra="ignore")

    field_id: uuid.UUID | None = Field(
        default=None, description="A live `number` dynamic field of the tenant; null: a plain count."
    )
    label: Annotated[str, StringConstraints(max_length=MAX_LABEL)] | None = None
    ref: MetricRef
    calc: MetricCalc
    ranges: Annotated[list[RangeBound], Field(max_length=MAX_RANGES)] | None = Field(
        default=None, description="Null, or at least one finite bound, strictly ascending."
    )

    @field_validator("ranges")
    @classmethod
    def _graded(cls, ranges: list[int | float] | None) -> list[int | float] | None:
        if ranges is not None:
            problem = ranges_problem(ranges)
            if problem is not None:
                raise ValueError(problem)
        return ranges


class HeatmapIn(BaseModel):
    """The whole heatmap, for create and for replace; ``id`` only ever comes from the URL (a
    client echoing a read sends read-only fields too: they are ignored)."""

    model_config = ConfigDict(extra="ignore")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]
    description: Annotated[str, StringConstraints(max_length=MAX_DESCRIPTION)] | None = None
    type: HeatmapType
    owner_ids: list[uuid.UUID] = Field(
        max_length=MAX_LINKED_IDS, description="Live parties of the tenant; `[]` for none."
    )
    group_ids: list[uuid.UUID] = Field(
        max_length=MAX_LINKED_IDS, description="Live groups of the tenant; `[]` for none."
    )
    metrics: list[MetricIn] = Field(max_length=MAX_METRICS)
    suspended_at: datetime | None = Field(
        default=None, description="Non-null suspends at the server's time (a suspended one keeps its date)."
    )

    @field_validator("owner_ids", "group_ids")
    @classmethod
    def _once_each(cls, ids: list[uuid.UUID]) -> list[uuid.UUID]:
        return _distinct(ids)


class MetricView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field_id: uuid.UUID | None
    label: str | None
    ref: MetricRef
    calc: MetricCalc
    ranges: list[int | float] | None


class GroupStatsView(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    operational: int = Field(alias="groups.operational", description="Live operational groups named.")
    user: int = Field(alias="groups.user", description="Live user groups named.")


class HeatmapView(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: uuid.UUID
    name: str
    description: str | None
    type: HeatmapType
    owner_ids: list[uuid.UUID]
    group_ids: list[uuid.UUID]
    metrics: list[MetricView]
    stats: list[GroupStatsView] | SkipJsonSchema[None] = sometimes_absent(
        '`[{"groups.operational": n, "groups.user": m}]`: on a read of one, and in lists with '
        "`include[]=stats`."
    )
    suspended_at: datetime | None
    created_at: datetime
    updated_at: datetime | None
    deleted_at: datetime | None = Field(description="Set only on a deleted heatmap (named by id).")
    permissions: list[str] = Field(
        default_factory=list,
        alias="__permissions__",
        description="The caller's `heatmaps.*` permissions; absent for a system administrator.",
    )


def metric_state(metric: MetricIn) -> dict[str, Any]:
    """A metric as it is stored and shown."""
    return {
        "field_id": None if metric.field_id is None else str(metric.field_id),
        "label": metric.label,
        "ref": metric.ref,
        "calc": metric.calc,
        "ranges": metric.ranges,
    }


def heatmap_view(found: Heatmap, claims: Claims, stats: GroupStats | None = None) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": found.id,
        "name": found.name,
        "description": found.description,
        "type": found.type,
        "owner_ids": list(found.owner_ids),
        "group_ids": list(found.group_ids),
        "metrics": list(found.metrics),
        "suspended_at": found.suspended_at,
        "created_at": found.created_at,
        "updated_at": found.updated_at,
        "deleted_at": found.deleted_at,
    }
    if stats is not None:
        view["stats"] = [{"groups.operational": stats.operational, "groups.user": stats.user}]
    granted = object_permissions(claims, "heatmaps")
    if granted is not None:
        view["__permissions__"] = granted
    return view
