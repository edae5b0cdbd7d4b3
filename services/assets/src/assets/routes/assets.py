"""``/assets`` and ``/assets/{id}`` (seed 004 "Assets")."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from assets.errors import (
    ASSET_WRITE_ERRORS,
    CONTRACT_LINK_ERRORS,
    AssetHasChildren,
    AssetNotFound,
    ContainerTypeChangeRestricted,
)
from assets.repositories.asset_list import SORTS, AssetFilter
from assets.routes.caller import authenticated, collaborators
from assets.routes.documents import content_url
from assets.routes.params import FLAG_SCHEMA, OPTIONAL_UUID, asset_id, flag, includes, optional_uuid
from assets.schemas.asset_batch import AssetPatch
from assets.schemas.assets import (
    AssetDetailView,
    AssetIn,
    AssetView,
    ListedAssetView,
    ancestor_view,
    asset_view,
    stats_view,
)
from assets.schemas.batch import MAX_BATCH, BatchRows
from assets.services import assets, documents
from assets.services.asset_batch import patch_assets
from assets.services.documents import Documentable
from proximity.db.listing import MAX_OFFSET
from proximity.http.body import read_model
from proximity.http.list_query import parse_list_query
from proximity.http.responses import batch, created, many, no_content, one, public_url
from proximity.openapi import operation as api
from proximity.openapi.envelopes import list_parameters
from proximity.openapi.operation import BatchBody, documented, query

GET_INCLUDES = ("parentage", "images")
ASSET_EXAMPLE: dict[str, Any] = {
    "name": "Building A",
    "description": "The main building",
    "type_id": None,
    "entity_id": None,
    "parent_id": None,
    "phone": "+15551112222",
    "floor_unit": None,
    "year_built": "1999",
    "building_floor": None,
    "num_floors_units": "11",
    "strata": None,
    "service_ids": [],
    "party_ids": [],
    "address": {"street": "station road", "city": "newark", "region": "nottinghamshire", "country": "gb"},
    "geo": {"lat": 53.144647, "long": -0.755247, "radius": 120, "wkt": None},
    "is_hidden": False,
    "suspended_at": None,
}
_RULES = (
    "The type decides where the asset may sit (`allow_parents`, `require_parent`) and what it "
    "carries (`permit_address`, `permit_geo`; a container takes no entity, parties or services). "
    "The parent must be a live asset of the tenant (`eParentNotFound`); an asset cannot sit under "
    "itself or its descendants (`eParentCycle`), nor deeper than the hierarchy's limit "
    "(`eHierarchyTooDeep`). `geo` is `lat` + `long` (+ `radius` in metres) or `wkt` alone: a "
    "valid POLYGON or MULTIPOLYGON (longitude latitude) on the globe, at most 10,000 vertices. "
    "`party_ids` must be live parties of the tenant and `entity_id` a live entity "
    "(`eEntityNotFound`); what the asset already names stays valid after it is deleted. "
    "`service_ids` must be live services of the tenant as contracts announced them "
    "(`eAttemptSaveWithMissingServices`). `contract_ids` are contracts' links: a list that "
    "differs from the asset's is written at contracts before the asset is saved "
    "(`eAttemptSaveWithMissingContracts` for an unknown contract; `eServiceUnavailable`, 503, "
    "while contracts cannot be reached or is not configured: then nothing is saved); left out, "
    "the links stay. A non-null `suspended_at` suspends at the server's time."
)


@documented(
    "List assets",
    description=(
        "The tenant's assets, with any filters applied; deleted ones only when named in `ids[]`. "
        "`keywords`: every word must start a word of the name. A descending sort is the exact "
        "reverse of the ascending one; `description` sorts by its first 200 characters, "
        "`entity_name` by id until entity names are held on assets. "
        "`total` is exact up to 1000, then 1000 with "
        "`total_exact: false`; pages reach offset 1000, the `next_cursor` goes further."
    ),
    answers=api.many(ListedAssetView),
    params=(
        *list_parameters(sortable=SORTS, includes=("stats",), max_offset=MAX_OFFSET),
        query("type_id", OPTIONAL_UUID, description="Only assets of this type."),
        query("parent_id", OPTIONAL_UUID, description="Only the direct children of this asset."),
        query("party_id", OPTIONAL_UUID, description="Only assets this party is assigned to."),
        query("entity_id", OPTIONAL_UUID, description="Only assets of this entity."),
        query("service_id", OPTIONAL_UUID, description="Only assets this service is assigned to."),
        query(
            "contract_id",
            OPTIONAL_UUID,
            description="Only assets this contract links (as contracts last announced it).",
        ),
        query("exclude_containers", FLAG_SCHEMA, description="`true`: leave out assets of container types."),
    ),
    permission="assets.view",
)
async def list_assets(request: Request) -> Response:
    claims = await authenticated(request)
    params = request.query_params
    listing = parse_list_query(
        params, sortable=SORTS, default_sort="+name", includes=("stats",), max_offset=MAX_OFFSET
    )
    filters = AssetFilter(
        ids=listing.ids,
        keywords=listing.keywords,
        type_id=optional_uuid(params, "type_id"),
        parent_id=optional_uuid(params, "parent_id"),
        party_id=optional_uuid(params, "party_id"),
        entity_id=optional_uuid(params, "entity_id"),
        service_id=optional_uuid(params, "service_id"),
        contract_id=optional_uuid(params, "contract_id"),
        exclude_containers=flag(params, "exclude_containers"),
    )
    listed = await assets.list_assets(collaborators(request), claims, filters, listing)
    items = []
    for item in listed.shown:
        view = asset_view(item, listed.grants)
        if listed.stats is not None:
            view["stats"] = stats_view(listed.stats[item.id])
        items.append(view)
    return many(items, query=listing, total=listed.page, url=public_url(request))


@documented(
    "Get an asset",
    description="One asset in full, with its address, geo and assigned ids; a deleted asset too.",
    answers=api.one(AssetDetailView),
    params=(
        query(
            "include[]",
            {"type": "array", "items": {"type": "string", "enum": ["", *GET_INCLUDES]}},
            description=(
                "`parentage`: the asset's ancestors, parent first; `images`: the download URLs "
                "of its image documents (content type `image/*`), oldest first."
            ),
        ),
    ),
    errors=(AssetNotFound,),
    permission="assets.view",
)
async def get_asset(request: Request) -> Response:
    claims = await authenticated(request)
    target = asset_id(request)
    wanted = includes(request.query_params, GET_INCLUDES)
    found = await assets.get_asset(collaborators(request), claims, target, parentage="parentage" in wanted)
    view = asset_view(found.asset, found.grants, found.links)
    if found.parentage is not None:
        view["parentage"] = [ancestor_view(item) for item in found.parentage]
    if "images" in wanted:
        owner = Documentable("asset", found.asset.id)
        image_ids = await documents.image_ids(collaborators(request), claims.tenant_id, owner)
        view["images"] = [content_url(request, owner, image_id) for image_id in image_ids]
    return one(view)


@documented(
    "Create an asset",
    description="The whole asset; its id is generated. " + _RULES,
    answers=api.created(AssetDetailView),
    body=AssetIn,
    body_example=ASSET_EXAMPLE,
    errors=(*ASSET_WRITE_ERRORS, *CONTRACT_LINK_ERRORS),
    permission="assets.create",
)
async def create_asset(request: Request) -> Response:
    claims = await authenticated(request)
    fields = await read_model(request, AssetIn)
    made = await assets.create_asset(collaborators(request), claims, fields)
    return created(asset_view(made.asset, made.grants, made.links))


@documented(
    "Replace an asset",
    description=(
        "The whole asset replaces its fields; the id is taken from the URL only. A container "
        "type stays a container type (`eContainerTypeChangeRestricted`), and a new type must "
        "still take the asset's children. " + _RULES
    ),
    answers=api.one(AssetDetailView),
    body=AssetIn,
    body_example=ASSET_EXAMPLE,
    errors=(AssetNotFound, *ASSET_WRITE_ERRORS, ContainerTypeChangeRestricted, *CONTRACT_LINK_ERRORS),
    permission="assets.update",
)
async def replace_asset(request: Request) -> Response:
    claims = await authenticated(request)
    target = asset_id(request)
    fields = await read_model(request, AssetIn)
    replaced = await assets.replace_asset(collaborators(request), claims, target, fields)
    return one(asset_view(replaced.asset, replaced.grants, replaced.links))


@documented(
    "Move, assign, suspend, delete or restore assets",
    description=(
        "Each row names an asset and what to change: `parent_id`, `entity_id`, one party, one "
        "service and one contract to assign and unassign (contract links are written at contracts, "
        "which owns them: `eServiceUnavailable` for the row while it cannot be reached), "
        "`suspended_at` and `deleted_at` (a date suspends or "
        "deletes at the server's time, null reactivates or restores). Each row is checked with "
        "the rules of `PUT` and succeeds or fails on its own: a failing row is an item of "
        "`errors` (`eValidationError`, `eAssetNotFound`, the rule's code, `ePermissionDenied` when "
        "deleting without `assets.delete`), and leaves nothing of its changes behind."
    ),
    answers=api.batch(AssetView),
    body=BatchBody(AssetPatch, MAX_BATCH),
    body_example={
        "data": [
            {"id": "6fd5b5c4-0978-49f6-b301-85f60434c1b9", "suspended_at": "2023-01-01T12:35:00.000Z"},
            {"id": "e3d53daf-87d4-4427-a215-000cce6d0f99", "deleted_at": "2023-01-01T12:35:00.000Z"},
        ]
    },
    permission="assets.update",
    operation_id="patch_assets",
)
async def patch_many(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, BatchRows)
    outcome, grants = await patch_assets(collaborators(request), claims, body.data)
    return batch([asset_view(item, grants) for item in outcome.applied], outcome.failures)


@documented(
    "Delete an asset",
    description=(
        "A soft delete. An asset that still contains live assets is refused with "
        "`eAssetHasChildren`: move or delete its children first. Deleting again changes nothing."
    ),
    answers=api.empty(),
    errors=(AssetNotFound, AssetHasChildren),
    permission="assets.delete",
)
async def delete_asset(request: Request) -> Response:
    claims = await authenticated(request)
    await assets.delete_asset(collaborators(request), claims, asset_id(request))
    return no_content()


routes = [
    Route("/assets", list_assets, methods=["GET"]),
    Route("/assets", create_asset, methods=["POST"]),
    Route("/assets", patch_many, methods=["PATCH"]),
    Route("/assets/{id}", get_asset, methods=["GET"]),
    Route("/assets/{id}", replace_asset, methods=["PUT"]),
    Route("/assets/{id}", delete_asset, methods=["DELETE"]),
]
