"""Group bodies (seed 004 "CREATE a new Group", "UPDATE a Group", "BATCH UPDATE Groups", the two
assign actions) and the group as the API shows it: whole for one group, shortened in lists."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from iam.repositories.group_queries import GroupLinks, GroupStats
from iam.repositories.groups import IamGroup
from proximity.auth.claims import Claims
from proximity.auth.permissions import object_permissions
from proximity.batch_patch import BatchRow
from proximity.http.list_query import MAX_IDS

GroupType = Literal["user", "territory", "feature", "operational"]
# A group's own links, each at most this many (a territory of 500 datazones, 500 users).
MAX_LINKED = MAX_IDS
MAX_META_KEYS = 50
MetaValue = Annotated[str, StringConstraints(max_length=5000)] | int | float | bool | None


class GroupIn(BaseModel):
    """The whole group, for create and for replace; ``id`` only ever comes from the URL (a
    client echoing a read sends read-only fields too: they are ignored)."""

    model_config = ConfigDict(extra="ignore")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]
    description: Annotated[str, StringConstraints(max_length=5000)]
    type: GroupType
    owner_ids: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=MAX_LINKED,
        description="Live parties (or users: stored as their parties).",
    )
    inherit_ids: list[uuid.UUID] = Field(max_length=MAX_LINKED, description="Live groups of the tenant.")
    items: list[uuid.UUID] = Field(
        max_length=MAX_LINKED,
        description="Users (user group), features (feature), datazones (territory); operational: ignored.",
    )
    meta: dict[Annotated[str, StringConstraints(min_length=1, max_length=100)], MetaValue] | None = Field(
        default=None, description="Key/value pairs; null for none."
    )
    suspended_at: datetime | None = Field(
        default=None, description="Non-null suspends at the server's time (a suspended one keeps its date)."
    )

    @field_validator("meta")
    @classmethod
    def _few_keys(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is not None and len(value) > MAX_META_KEYS:
            raise ValueError(f"at most {MAX_META_KEYS} keys")
        return value


class GroupPatch(BatchRow):
    """One ``PATCH /groups`` row: each ``*_assign`` / ``*_unassign`` adds or removes one link
    (null: no-op); a date suspends or deletes (the server's clock sets it), null reactivates or
    restores; a field left out is not changed."""

    model_config = ConfigDict(extra="forbid")

    owner_id_assign: uuid.UUID | None = None
    owner_id_unassign: uuid.UUID | None = None
    item_id_assign: uuid.UUID | None = None
    item_id_unassign: uuid.UUID | None = None
    inherit_id_assign: uuid.UUID | None = None
    inherit_id_unassign: uuid.UUID | None = None
    suspended_at: datetime | None = None
    deleted_at: datetime | None = None


class ItemAssignment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_id: uuid.UUID
    push: list[uuid.UUID] = Field(max_length=MAX_IDS, description="Groups to add the item to.")
    pull: list[uuid.UUID] = Field(max_length=MAX_IDS, description="Groups to remove it from.")


class OwnerAssignment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    party_id: uuid.UUID
    push: list[uuid.UUID] = Field(max_length=MAX_IDS, description="Groups to add the owner to.")
    pull: list[uuid.UUID] = Field(max_length=MAX_IDS, description="Groups to remove it from.")


class GroupStatsView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    territory: int
    user: int
    feature: int
    inherits: int


class GroupListView(BaseModel):
    """A group in ``GET /groups``: without its items, owners and inherited groups."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: uuid.UUID
    name: str
    type: GroupType
    description: str
    meta: dict[str, Any] | None
    is_system: bool
    stats: list[GroupStatsView] | None = Field(
        default=None, description="With `include[]=counts`: totals over the group and all it inherits."
    )
    suspended_at: datetime | None
    created_at: datetime
    updated_at: datetime | None
    deleted_at: datetime | None = Field(description="Set only on a deleted group (named by id).")
    permissions: list[str] = Field(
        default_factory=list,
        alias="__permissions__",
        description="The caller's `groups.*` permissions; absent for a system administrator.",
    )


class GroupView(GroupListView):
    owner_ids: list[uuid.UUID]
    inherit_ids: list[uuid.UUID] = Field(description="Its own inherited groups (deleted ones not shown).")
    items: list[uuid.UUID]


def _stats(stats: GroupStats) -> list[dict[str, int]]:
    return [
        {
            "territory": stats.territory,
            "user": stats.user,
            "feature": stats.feature,
            "inherits": stats.inherits,
        }
    ]


def group_list_view(found: IamGroup, claims: Claims, stats: GroupStats | None = None) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": found.id,
        "name": found.name,
        "type": found.type,
        "description": found.description,
        "meta": found.meta or None,
        "is_system": found.is_system,
        "suspended_at": found.suspended_at,
        "created_at": found.created_at,
        "updated_at": found.updated_at,
        "deleted_at": found.deleted_at,
    }
    if stats is not None:
        view["stats"] = _stats(stats)
    granted = object_permissions(claims, "groups")
    if granted is not None:
        view["__permissions__"] = granted
    return view


def group_view(
    found: IamGroup, links: GroupLinks, claims: Claims, stats: GroupStats | None = None
) -> dict[str, Any]:
    return {
        **group_list_view(found, claims, stats),
        "owner_ids": list(links.owner_ids),
        "inherit_ids": list(links.inherit_ids),
        "items": list(links.items),
    }
