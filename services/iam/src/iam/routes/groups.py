"""``/groups``, ``/groups/{id}`` and the two ``/groups/~/actions`` (seed 004 "Groups")."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iam.domain.group_rules import GROUP_TYPES
from iam.errors import (
    GROUP_WRITE_ERRORS,
    GroupNotFound,
    GroupsNotFound,
    MissingItems,
    PartyNotFound,
    SystemGroupChange,
    VaryingGroupTypes,
)
from iam.repositories.group_queries import SORT_NAMES, GroupFilter
from iam.routes.caller import authenticated, collaborators
from iam.schemas.batch import MAX_BATCH, BatchRows
from iam.schemas.groups import (
    GroupIn,
    GroupListView,
    GroupPatch,
    GroupView,
    ItemAssignment,
    OwnerAssignment,
    group_list_view,
    group_view,
)
from iam.services import group_assignment, groups
from iam.services.group_batch import patch_groups
from proximity.db.listing import MAX_OFFSET
from proximity.errors import ValidationFailed
from proximity.http.body import read_model
from proximity.http.list_query import ListQuery, parse_list_query, parse_uuids
from proximity.http.responses import batch, created, many, no_content, one, public_url
from proximity.openapi import operation as api
from proximity.openapi.envelopes import list_parameters
from proximity.openapi.operation import UUID_SCHEMA, BatchBody, Schema, documented, query

INCLUDES = ("counts",)
MIN_KEYWORDS = 2
# ``party_id=`` reads as no filter at all.
OPTIONAL_UUID: Schema = {"anyOf": [dict(UUID_SCHEMA), {"type": "string", "enum": [""]}]}
GROUP_EXAMPLE: dict[str, Any] = {
    "name": "North America",
    "type": "user",
    "owner_ids": [],
    "description": "Sales users of North America",
    "inherit_ids": [],
    "items": [],
    "meta": {"email": "communications@example.com"},
    "suspended_at": None,
}
_RULES = (
    "`items` are users (live parties of base type user) for a user group, features for a "
    "feature group, datazones for a territory group, and ignored for an operational group "
    "(`eAttemptSaveWithMissingItems`). `inherit_ids` are live groups of the tenant "
    "(`eAttemptSaveWithMissingInherits`) of the group's own type unless it is operational "
    "(`eAttemptNonOperationalOtherTypeInherit`), never leading back to the group "
    "(`eAttemptInheritanceCycle`) and at most 10 levels deep (`eAttemptInheritanceTooDeep`). "
    "`owner_ids` are live parties, or users (stored as their parties) "
    "(`eAttemptSaveWithMissingOwners`). A non-null `suspended_at` suspends at the server's time."
)


def _group_id(request: Request) -> uuid.UUID:
    # seed 004: an id that is not a group's, malformed or not, is 400 eGroupNotFound.
    try:
        return uuid.UUID(request.path_params["id"])
    except ValueError:
        raise GroupNotFound() from None


def _optional_uuid(params: QueryParams, name: str) -> uuid.UUID | None:
    raw = (params.get(name) or "").strip()
    return parse_uuids([raw], name)[0] if raw else None


def _filters(params: QueryParams, listing: ListQuery) -> GroupFilter:
    group_type = (params.get("type") or "").strip() or None
    if group_type is not None and group_type not in GROUP_TYPES:
        raise ValidationFailed(f"'type' must be one of: {', '.join(GROUP_TYPES)}.", fields={"type": "enum"})
    if listing.keywords is not None and len(listing.keywords) < MIN_KEYWORDS:
        raise ValidationFailed(
            f"'keywords' needs at least {MIN_KEYWORDS} characters.", fields={"keywords": "too_short"}
        )
    return GroupFilter(
        ids=listing.ids,
        type=group_type,
        keywords=listing.keywords,
        party_id=_optional_uuid(params, "party_id"),
        datazone_id=_optional_uuid(params, "datazone_id"),
        entity_id=_optional_uuid(params, "entity_id"),
    )


@documented(
    "List groups",
    description=(
        "The tenant's groups, shortened (no `items`, `owner_ids`, `inherit_ids`), with any filters "
        "applied; deleted ones only when named in `ids[]`. `keywords` (at least 2 characters): "
        "every word must start a word of the name or description. `party_id`: groups it owns or "
        "is a member of; `datazone_id`: the territory groups holding it. `include[]=counts` and "
        "the `total_*` sorts count over each group and every group it inherits, transitively "
        "(suspended and deleted ones contribute nothing)."
    ),
    answers=api.many(GroupListView),
    params=(
        *list_parameters(sortable=SORT_NAMES, includes=INCLUDES, max_offset=MAX_OFFSET),
        query(
            "type", {"type": "string", "enum": ["", *GROUP_TYPES]}, description="Only groups of this type."
        ),
        query("party_id", OPTIONAL_UUID, description="Only groups this party owns or belongs to."),
        query("datazone_id", OPTIONAL_UUID, description="Only territory groups holding this datazone."),
        query(
            "entity_id",
            OPTIONAL_UUID,
            description="Only groups reaching this entity: territory groups holding a datazone that "
            "names it, and every group inheriting one of them.",
        ),
    ),
    permission="groups.view",
)
async def list_groups(request: Request) -> Response:
    claims = await authenticated(request)
    params = request.query_params
    listing = parse_list_query(
        params, sortable=SORT_NAMES, default_sort="+name", includes=INCLUDES, max_offset=MAX_OFFSET
    )
    filters = _filters(params, listing)
    counts = "counts" in listing.include
    found, page, stats = await groups.list_groups(
        collaborators(request), claims, filters, listing, counts=counts
    )
    views = [group_list_view(g, claims, stats[g.id] if stats is not None else None) for g in found]
    return many(views, query=listing, total=page, url=public_url(request))


def _counts(request: Request) -> bool:
    include = {v for item in request.query_params.getlist("include[]") for v in item.split(",")}
    unknown = include - set(INCLUDES) - {""}
    if unknown:
        raise ValidationFailed(f"Unknown include '{sorted(unknown)[0]}'.", fields={"include": "unknown"})
    return "counts" in include


@documented(
    "Get a group",
    description=(
        "One group with its own `items`, `owner_ids` and `inherit_ids`; a deleted one too, with "
        "its `deleted_at`. `include[]=counts`: `stats` over the group and all it inherits."
    ),
    answers=api.one(GroupView),
    params=(
        query(
            "include[]",
            {"type": "array", "items": {"type": "string", "enum": list(INCLUDES)}},
            description="Extra parts of the group.",
        ),
    ),
    errors=(GroupNotFound,),
    permission="groups.view",
)
async def get_group(request: Request) -> Response:
    claims = await authenticated(request)
    counts = _counts(request)
    read = await groups.get_group(collaborators(request), claims, _group_id(request), counts=counts)
    return one(group_view(read.group, read.links, claims, read.stats))


@documented(
    "Create a group",
    description="The whole group; its id is generated. " + _RULES,
    answers=api.created(GroupView),
    body=GroupIn,
    body_example=GROUP_EXAMPLE,
    errors=GROUP_WRITE_ERRORS,
    permission="groups.create",
)
async def create_group(request: Request) -> Response:
    claims = await authenticated(request)
    fields = await read_model(request, GroupIn)
    made = await groups.create_group(collaborators(request), claims, fields)
    return created(group_view(made.group, made.links, claims))


@documented(
    "Replace a group",
    description=(
        "The whole group replaces its fields and links; the id is taken from the URL only and "
        "the type never changes (`eAttemptGroupTypeChange`); a system group cannot be changed "
        "(`eAttemptSystemGroupChange`). " + _RULES
    ),
    answers=api.one(GroupView),
    body=GroupIn,
    body_example=GROUP_EXAMPLE,
    errors=(GroupNotFound, *GROUP_WRITE_ERRORS),
    permission="groups.update",
)
async def replace_group(request: Request) -> Response:
    claims = await authenticated(request)
    target = _group_id(request)
    fields = await read_model(request, GroupIn)
    replaced = await groups.replace_group(collaborators(request), claims, target, fields)
    return one(group_view(replaced.group, replaced.links, claims))


@documented(
    "Change groups' links and state",
    description=(
        "Each row names a group and what to change: one owner, item and inherited group to "
        "assign and one of each to unassign (null: no-op), `suspended_at` and `deleted_at` (a date "
        "suspends or deletes at the server's time, null reactivates or restores). What a row adds "
        "follows the rules of a replace. Each row succeeds or fails on its own (`eGroupNotFound`, "
        "`eValidationError`, the codes of a replace, `ePermissionDenied` when deleting or "
        "restoring without `groups.delete`)."
    ),
    answers=api.batch(GroupListView),
    body=BatchBody(GroupPatch, MAX_BATCH),
    body_example={
        "data": [{"id": "6fd5b5c4-0978-49f6-b301-85f60434c1b9", "suspended_at": "2023-01-01T12:35:00.000Z"}]
    },
    permission="groups.update",
    operation_id="patch_groups",
)
async def patch_many(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, BatchRows)
    outcome = await patch_groups(collaborators(request), claims, body.data)
    return batch([group_list_view(item, claims) for item in outcome.applied], outcome.failures)


@documented(
    "Delete a group",
    description=(
        "A soft delete: the groups inheriting it only lose what it gave them (it can be restored "
        "with `PATCH /groups`). A system group cannot be deleted (`eAttemptSystemGroupChange`). "
        "Deleting again changes nothing."
    ),
    answers=api.empty(),
    errors=(GroupNotFound, SystemGroupChange),
    permission="groups.delete",
)
async def delete_group(request: Request) -> Response:
    claims = await authenticated(request)
    await groups.delete_group(collaborators(request), claims, _group_id(request))
    return no_content()


@documented(
    "Add an item to groups and remove it from others",
    description=(
        "All or nothing: every group of `push` and `pull` must be a live group of the tenant "
        "(`eGroupsNotFound`, naming the others), all of one type "
        "(`eItemUpdateWithVaryingGroupTypes`), none a system group; a pushed item must exist for "
        "that type (`eAttemptSaveWithMissingItems`). Operational groups hold no items: nothing "
        "changes. A group in both lists ends without the item. PATCH does the same."
    ),
    answers=api.empty(),
    body=ItemAssignment,
    errors=(GroupsNotFound, VaryingGroupTypes, MissingItems, SystemGroupChange),
    permission="groups.update",
)
async def assign_item(request: Request) -> Response:
    claims = await authenticated(request)
    assignment = await read_model(request, ItemAssignment)
    await group_assignment.assign_item(collaborators(request), claims, assignment)
    return no_content()


@documented(
    "Add an owner to groups and remove it from others",
    description=(
        "All or nothing: every group of `push` and `pull` must be a live group of the tenant "
        "(`eGroupsNotFound`), none a system group; a pushed `party_id` must be a live party, or a "
        "user (its party is stored) (`ePartyNotFound`). A group in both lists ends without the "
        "owner. PATCH does the same."
    ),
    answers=api.empty(),
    body=OwnerAssignment,
    errors=(GroupsNotFound, PartyNotFound, SystemGroupChange),
    permission="groups.update",
)
async def assign_owner(request: Request) -> Response:
    claims = await authenticated(request)
    assignment = await read_model(request, OwnerAssignment)
    await group_assignment.assign_owner(collaborators(request), claims, assignment)
    return no_content()


# /groups/~/actions/... before /groups/{id}; the seed's curl uses PATCH for the actions.
routes = [
    Route("/groups/~/actions/assign_item", assign_item, methods=["POST", "PATCH"]),
    Route("/groups/~/actions/assign_owner", assign_owner, methods=["POST", "PATCH"]),
    Route("/groups", list_groups, methods=["GET"]),
    Route("/groups", create_group, methods=["POST"]),
    Route("/groups", patch_many, methods=["PATCH"]),
    Route("/groups/{id}", get_group, methods=["GET"]),
    Route("/groups/{id}", replace_group, methods=["PUT"]),
    Route("/groups/{id}", delete_group, methods=["DELETE"]),
]
