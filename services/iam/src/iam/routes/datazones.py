"""``/datazones``, ``/datazones/{id}`` and ``/datazones/{id}/geozones`` (seed 004 "Datazones")."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iam.domain.datazone_errors import (
    DATAZONE_WRITE_ERRORS,
    AttemptSaveGeoOnIncorrectType,
    DatazoneNotFound,
)
from iam.domain.datazones import DATAZONE_TYPES
from iam.repositories.datazones import SORTS, DatazoneFilter
from iam.routes.caller import authenticated, collaborators
from iam.schemas.batch import MAX_BATCH, BatchRows
from iam.schemas.datazones import (
    MAX_GEOZONES,
    DatazoneDetailView,
    DatazoneIn,
    DatazonePatch,
    GeozonesIn,
    GeozoneView,
    ListedDatazoneView,
    datazone_view,
    geozone_view,
)
from iam.services import datazones, geozones
from iam.services.datazone_batch import patch_datazones
from proximity.errors import ValidationFailed
from proximity.http.body import read_model
from proximity.http.list_query import parse_list_query, parse_uuids
from proximity.http.responses import batch, catalogue, created, many, no_content, one, public_url
from proximity.openapi import operation as api
from proximity.openapi.envelopes import list_parameters
from proximity.openapi.operation import UUID_SCHEMA, BatchBody, documented, query

LIST_INCLUDES = ("counts", "geozones")
MIN_KEYWORDS = 2
DATAZONE_EXAMPLE: dict[str, Any] = {
    "name": "Vancouver Greater",
    "type": "commercial",
    "owner_ids": [],
    "description": "Lorem ipsum dolor sit amet, consectetur...",
    "is_dynamic": True,
    "addresses": [],
    "industry_ids": [],
    "entity_ids": [],
    "contract_ids": [],
    "suspended_at": None,
}
_RULES = (
    "`type` is `geo` or `commercial` and never changes (`eAttemptTypeChange`). A commercial "
    "datazone has no `addresses` and a geo one no `industry_ids` (`eValidationError`). "
    "`entity_ids`, `industry_ids`, `contract_ids` and `owner_ids` are live objects of the tenant "
    "as assets, contracts and identity announced them (`eAttemptSaveWithMissingEntities`, "
    "`…Industries`, `…Contracts`, `…Owners`); an id the zone already holds stays valid. A non-null "
    "`suspended_at` suspends at the server's time. Every change is a new version, published as "
    "`iam.datazone.*`."
)
_COUNTS = query(
    "include[]",
    {"type": "array", "items": {"type": "string", "enum": ["counts"]}},
    description="`counts`: the operational groups reaching the datazone (`stats`).",
)


def datazone_id(request: Request) -> uuid.UUID:
    # seed 004: an id that is not a datazone's, malformed or not, is 400 eDataZoneNotFound.
    try:
        return uuid.UUID(request.path_params["id"])
    except ValueError:
        raise DatazoneNotFound() from None


def _includes(request: Request, allowed: tuple[str, ...]) -> set[str]:
    params = request.query_params
    given = {
        v.strip() for item in params.getlist("include[]") + params.getlist("include") for v in item.split(",")
    }
    given.discard("")
    unknown = sorted(given - set(allowed))
    if unknown:
        raise ValidationFailed(f"Unknown include '{unknown[0]}'.", fields={"include": "unknown"})
    return given


def _filters(request: Request, ids: tuple[uuid.UUID, ...], keywords: str | None) -> DatazoneFilter:
    params = request.query_params
    kind = (params.get("type") or "").strip() or None
    if kind is not None and kind not in DATAZONE_TYPES:
        raise ValidationFailed("'type' must be 'geo' or 'commercial'.", fields={"type": "enum"})
    if keywords is not None and len(keywords) < MIN_KEYWORDS:
        raise ValidationFailed(
            f"'keywords' must have at least {MIN_KEYWORDS} characters.", fields={"keywords": "too_short"}
        )
    raw_entity = (params.get("entity_id") or "").strip()
    entity_id = parse_uuids([raw_entity], "entity_id")[0] if raw_entity else None
    return DatazoneFilter(ids=ids, keywords=keywords, type=kind, entity_id=entity_id)


@documented(
    "List datazones",
    description=(
        "The tenant's datazones, shortened (no owners, addresses or linked ids), with any filters "
        "applied; deleted ones only when named in `ids[]`. `keywords` (at least 2 characters): "
        "every word must start a word of the name or description. `include[]=counts` adds `stats` "
        "(the operational groups reaching the zone), `include[]=geozones` adds `geo_zones`."
    ),
    answers=api.many(ListedDatazoneView),
    params=(
        *list_parameters(sortable=SORTS, includes=LIST_INCLUDES),
        query("type", {"type": "string", "enum": list(DATAZONE_TYPES)}, description="Only this type."),
        query("entity_id", UUID_SCHEMA, description="Only datazones naming this entity."),
    ),
    permission="datazones.view",
)
async def list_datazones(request: Request) -> Response:
    claims = await authenticated(request)
    listing = parse_list_query(
        request.query_params, sortable=SORTS, default_sort="+name", includes=LIST_INCLUDES
    )
    filters = _filters(request, listing.ids, listing.keywords)
    counts, with_geozones = "counts" in listing.include, "geozones" in listing.include
    page = await datazones.list_datazones(
        collaborators(request), claims, filters, listing, counts=counts, geozones=with_geozones
    )
    items = [
        datazone_view(
            zone,
            claims,
            operational=page.operational[zone.id] if page.operational is not None else None,
            geozones=(page.geozones[zone.id] if zone.type == "geo" else [])
            if page.geozones is not None
            else None,
        )
        for zone in page.items
    ]
    return many(items, query=listing, total=page.total, url=public_url(request))


@documented(
    "Get a datazone",
    description="One datazone in full, with owners, addresses and linked ids; a deleted one too.",
    answers=api.one(DatazoneDetailView),
    params=(_COUNTS,),
    errors=(DatazoneNotFound,),
    permission="datazones.view",
)
async def get_datazone(request: Request) -> Response:
    claims = await authenticated(request)
    counts = "counts" in _includes(request, ("counts",))
    found = await datazones.get_datazone(collaborators(request), claims, datazone_id(request), counts=counts)
    return one(
        datazone_view(found.datazone, claims, owner_ids=found.owner_ids, operational=found.operational)
    )


@documented(
    "Create a datazone",
    description="The whole datazone; its id is generated. " + _RULES,
    answers=api.created(DatazoneDetailView),
    body=DatazoneIn,
    body_example=DATAZONE_EXAMPLE,
    errors=DATAZONE_WRITE_ERRORS,
    permission="datazones.create",
)
async def create_datazone(request: Request) -> Response:
    claims = await authenticated(request)
    fields = await read_model(request, DatazoneIn)
    made = await datazones.create_datazone(collaborators(request), claims, fields)
    return created(datazone_view(made.datazone, claims, owner_ids=made.owner_ids))


@documented(
    "Replace a datazone",
    description="The whole datazone replaces its fields; the id is taken from the URL only. " + _RULES,
    answers=api.one(DatazoneDetailView),
    body=DatazoneIn,
    body_example=DATAZONE_EXAMPLE,
    errors=(DatazoneNotFound, *DATAZONE_WRITE_ERRORS),
    permission="datazones.update",
)
async def replace_datazone(request: Request) -> Response:
    claims = await authenticated(request)
    target = datazone_id(request)
    fields = await read_model(request, DatazoneIn)
    replaced = await datazones.replace_datazone(collaborators(request), claims, target, fields)
    return one(datazone_view(replaced.datazone, claims, owner_ids=replaced.owner_ids))


@documented(
    "Link and unlink, suspend, delete or restore datazones",
    description=(
        "Each row names a datazone and what to change: one entity, contract and industry to "
        "assign and one of each to unassign (null: no-op), `suspended_at` and `deleted_at` (a date "
        "suspends or deletes at the server's time, null reactivates or restores). Each row "
        "succeeds or fails on its own (`eValidationError`, `eDataZoneNotFound`, "
        "`eAttemptSaveWithMissingEntities`, `…Contracts`, `…Industries`, `ePermissionDenied` when "
        "deleting without `datazones.delete`)."
    ),
    answers=api.batch(ListedDatazoneView),
    body=BatchBody(DatazonePatch, MAX_BATCH),
    body_example={
        "data": [{"id": "6fd5b5c4-0978-49f6-b301-85f60434c1b9", "suspended_at": "2023-01-01T12:35:00.000Z"}]
    },
    permission="datazones.update",
    operation_id="patch_datazones",
)
async def patch_many(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, BatchRows)
    outcome = await patch_datazones(collaborators(request), claims, body.data)
    return batch([datazone_view(zone, claims) for zone in outcome.applied], outcome.failures)


@documented(
    "Delete a datazone",
    description=(
        "A soft delete: the datazone is in no territory any more (its `iam.datazone.deleted` says "
        "so) and can be restored with `PATCH /datazones`. Deleting again changes nothing."
    ),
    answers=api.empty(),
    errors=(DatazoneNotFound,),
    permission="datazones.delete",
)
async def delete_datazone(request: Request) -> Response:
    claims = await authenticated(request)
    await datazones.delete_datazone(collaborators(request), claims, datazone_id(request))
    return no_content()


@documented(
    "List a datazone's geozones",
    description="All of them, in their order, unpaginated; a commercial datazone has none (`[]`).",
    answers=api.catalogue(GeozoneView),
    errors=(DatazoneNotFound,),
    permission="datazones.view",
)
async def list_geozones(request: Request) -> Response:
    claims = await authenticated(request)
    found = await geozones.list_geozones(collaborators(request), claims, datazone_id(request))
    return catalogue([geozone_view(zone) for zone in found])


@documented(
    "Replace a datazone's geozones",
    description=(
        f"The whole set (at most {MAX_GEOZONES}), idempotent: a geozone with a null `id` is created, "
        "one with the id of one of this datazone's geozones updates it, any other id (unknown or "
        "another datazone's) is replaced by a new one, and every geozone left out is deleted. Each "
        "is `lat` and `long` (-90..90, -180..180) with an optional `radius` in metres (0 or more), "
        "or a `wkt` POLYGON or MULTIPOLYGON alone (`eValidationError`). Geo datazones only "
        "(`eAttemptSaveGeoOnIncorrectType`). Answers the new set, every id filled in; a change is a "
        "new version of the datazone (`iam.datazone.updated`)."
    ),
    answers=api.catalogue(GeozoneView),
    body=GeozonesIn,
    body_example={
        "data": [{"id": None, "name": "Office", "long": 100.213, "lat": 48.234, "radius": 0, "wkt": None}]
    },
    errors=(DatazoneNotFound, AttemptSaveGeoOnIncorrectType),
    permission="datazones.update",
)
async def replace_geozones(request: Request) -> Response:
    claims = await authenticated(request)
    target = datazone_id(request)
    body = await read_model(request, GeozonesIn)
    saved = await geozones.replace_geozones(collaborators(request), claims, target, body.data)
    return catalogue([geozone_view(zone) for zone in saved])


routes = [
    Route("/datazones", list_datazones, methods=["GET"]),
    Route("/datazones", create_datazone, methods=["POST"]),
    Route("/datazones", patch_many, methods=["PATCH"]),
    Route("/datazones/{id}", get_datazone, methods=["GET"]),
    Route("/datazones/{id}", replace_datazone, methods=["PUT"]),
    Route("/datazones/{id}", delete_datazone, methods=["DELETE"]),
    Route("/datazones/{id}/geozones", list_geozones, methods=["GET"]),
    Route("/datazones/{id}/geozones", replace_geozones, methods=["PUT"]),
]
