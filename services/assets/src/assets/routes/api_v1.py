"""Seed 003's API under ``/api/v1``, in JSend: the asset list and profile, and documents on
assets and entities. The same assets and documents as seed 004's routes, named seed 003's way
(``object_key`` is the id); every answer, errors included, is a JSend object, and an id that
is not the tenant's is a 404 ``fail``."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from assets.errors import (
    DOCUMENT_UPLOAD_ERRORS,
    AssetNotFound,
    DocumentableNotFound,
    DocumentNotFound,
    EntityNotFound,
)
from assets.repositories.asset_list import SORTS, AssetFilter
from assets.repositories.asset_records import Asset
from assets.routes.caller import authenticated, collaborators
from assets.routes.documents import KINDS, content_url, path_uuid
from assets.schemas.documents import (
    MULTIPART_BODY,
    MULTIPART_ENCODING,
    DocumentIn,
    LegacyDocumentView,
    legacy_document_view,
)
from assets.services import assets, documents
from assets.services.documents import Documentable, DocumentChange
from proximity.db.listing import MAX_OFFSET
from proximity.errors import ValidationFailed
from proximity.http.body import read_model
from proximity.http.jsend import JSEND_ERRORS, jsend_schema, success
from proximity.http.list_query import MAX_PER_PAGE, parse_list_query
from proximity.http.multipart_form import form_events
from proximity.openapi import operation as api
from proximity.openapi.operation import Schema, documented, path, query

DEFAULT_PAGE_SIZE = 10  # seed 003's example: Per-Page: 10
MAX_PAGE = MAX_OFFSET // DEFAULT_PAGE_SIZE + 1


class LegacyAssetView(BaseModel):
    """Seed 003's asset: ``object_key`` the id, ``asset_tag`` the name, ``organization_id`` the
    tenant, ``transam_assetible_type`` / ``asset_subtype`` the type's name, ``asset_subtype_id``
    the type's id; ``in_service_date`` is not held (null)."""

    model_config = ConfigDict(extra="forbid")

    object_key: uuid.UUID
    asset_tag: str
    organization_id: uuid.UUID
    transam_assetible_type: str | None
    asset_subtype: str | None
    asset_subtype_id: uuid.UUID | None
    description: str
    in_service_date: str | None


def _inline(model: type[BaseModel]) -> Schema:
    schema = model.model_json_schema(mode="serialization")
    assert "$defs" not in schema, f"{model.__name__} must be flat to be inlined"
    return schema


ASSET = _inline(LegacyAssetView)
DOCUMENT = _inline(LegacyDocumentView)


def legacy_asset_view(found: Asset) -> dict[str, Any]:
    return {
        "object_key": found.id,
        "asset_tag": found.name,
        "organization_id": found.tenant_id,
        "transam_assetible_type": found.sort_type,
        "asset_subtype": found.sort_type,
        "asset_subtype_id": found.type_id,
        "description": found.description,
        "in_service_date": None,
    }


def _bounded_int(params: QueryParams, name: str, default: int, maximum: int) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise ValidationFailed(
            f"'{name}' must be a whole number from 1 to {maximum}.", fields={name: "out of range"}
        )
    return int(raw)


def _page_link(request: Request, page: int, size: int, rel: str) -> str:
    url = request.url.replace(query=f"page={page}&page_size={size}")
    return f'<{url}>; rel="{rel}"'


@documented(
    "List assets (seed 003)",
    description=(
        "The tenant's live assets by name, a page at a time: `page` from 1, `page_size` items "
        "(default 10). The `Link` header has the first, previous, next and last pages, `Total` "
        "the count (exact up to 1000; beyond it, 1000 and no `last`), `Per-Page` the page size. "
        "Pages reach the 1000th asset; seed 004's `GET /assets` and its cursor go further."
    ),
    answers=api.bare(
        jsend_schema({"assets": {"type": "array", "items": ASSET}}),
        description="A page of assets.",
        headers={
            "Link": "RFC 8288 links to the first, previous, next and last pages.",
            "Total": "How many assets there are (at most 1000 counted).",
            "Per-Page": "The page size.",
        },
    ),
    params=(
        query(
            "page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
            description="From 1.",
        ),
        query(
            "page_size",
            {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PAGE_SIZE},
            description="Assets per page.",
        ),
    ),
    permission="assets.view",
    error_style=JSEND_ERRORS,
    operation_id="legacy_list_assets",
)
async def list_assets(request: Request) -> Response:
    claims = await authenticated(request)
    params = request.query_params
    page = _bounded_int(params, "page", 1, MAX_PAGE)
    size = _bounded_int(params, "page_size", DEFAULT_PAGE_SIZE, MAX_PER_PAGE)
    listing = parse_list_query(
        QueryParams({"page": str(page - 1), "per_page": str(size)}),
        sortable=SORTS,
        default_sort="+name",
        max_offset=MAX_OFFSET,
    )
    listed = await assets.list_assets(collaborators(request), claims, AssetFilter(), listing)
    total = listed.page.total
    last = max((total.total - 1) // size, 0) + 1
    links = [_page_link(request, 1, size, "first")]
    if page > 1:
        links.append(_page_link(request, min(page - 1, last), size, "prev"))
    if page < last:
        links.append(_page_link(request, page + 1, size, "next"))
    if total.exact:
        links.append(_page_link(request, last, size, "last"))
    headers = {"Link": ", ".join(links), "Total": str(total.total), "Per-Page": str(size)}
    return success({"assets": [legacy_asset_view(item) for item in listed.shown]}, headers=headers)


@documented(
    "Get an asset (seed 003)",
    description="The asset's basic information, a deleted one too.",
    answers=api.bare(jsend_schema({"asset": ASSET}), description="The asset."),
    errors=((404, AssetNotFound.code),),
    permission="assets.view",
    error_style=JSEND_ERRORS,
    operation_id="legacy_get_asset",
)
async def get_asset(request: Request) -> Response:
    claims = await authenticated(request)
    found = await assets.get_asset(
        collaborators(request), claims, path_uuid(request, "id", AssetNotFound), parentage=False
    )
    return success({"asset": legacy_asset_view(found.asset)})


def _documentable(request: Request, name: str) -> Documentable:
    known = KINDS.get(request.path_params["documentable_type"])
    if known is None:
        raise DocumentableNotFound()
    kind, missing = known
    return Documentable(kind, path_uuid(request, name, missing))


def _view(request: Request, found: Any) -> dict[str, Any]:
    target = Documentable(found.documentable_type, found.documentable_id)
    return legacy_document_view(found, content_url(request, target, found.id))


DOCUMENTABLE_TYPE = path(
    "documentable_type",
    {"type": "string"},
    description="`assets` or `entities` (anything else: 404 `eDocumentableNotFound`).",
)
NOT_FOUND = tuple((404, kind.code) for kind in (DocumentableNotFound, AssetNotFound, EntityNotFound))
_PERMISSION = "`assets.view` / `entities.view` to read, `assets.update` / `entities.update` to write."


@documented(
    "List documents (seed 003)",
    description="Every document of the asset or entity, oldest first; `url` downloads it. " + _PERMISSION,
    answers=api.bare(
        jsend_schema({"documents": {"type": "array", "items": DOCUMENT}}), description="The documents."
    ),
    params=(DOCUMENTABLE_TYPE,),
    errors=NOT_FOUND,
    permission="<documentable>.view",
    error_style=JSEND_ERRORS,
    operation_id="legacy_list_documents",
)
async def list_documents(request: Request) -> Response:
    claims = await authenticated(request)
    found = await documents.list_documents(collaborators(request), claims, _documentable(request, "id"))
    return success({"documents": [_view(request, item) for item in found]})


@documented(
    "Upload one document (seed 003)",
    description=(
        "A `multipart/form-data` body: the file as `document` (required), optional "
        "`description` and `name`. Streamed to storage; larger than the limit (25 MiB by "
        "default) is a 413 `fail`, an empty or missing file a 400 `fail`. " + _PERMISSION
    ),
    answers=api.bare(jsend_schema({"document": DOCUMENT}), description="The uploaded document."),
    body=MULTIPART_BODY,
    body_media_types=(MULTIPART_ENCODING,),
    params=(DOCUMENTABLE_TYPE,),
    errors=(*NOT_FOUND, *DOCUMENT_UPLOAD_ERRORS),
    permission="<documentable>.update",
    error_style=JSEND_ERRORS,
    operation_id="legacy_upload_document",
)
async def upload_document(request: Request) -> Response:
    claims = await authenticated(request)
    target = _documentable(request, "id")
    made = await documents.add_document(collaborators(request), claims, target, form_events(request))
    return success({"document": _view(request, made)})


async def _update(request: Request) -> Response:
    claims = await authenticated(request)
    target = _documentable(request, "documentable_id")
    document_id = path_uuid(request, "id", DocumentNotFound)
    body = await read_model(request, DocumentIn)
    change = DocumentChange(name=body.name, description=body.description)
    found = await documents.update_document(collaborators(request), claims, target, document_id, change)
    return success({"document": _view(request, found)})


_UPDATE: dict[str, Any] = {
    "description": "A JSON body: `description` and/or `name` (omitted: kept). " + _PERMISSION,
    "answers": api.bare(jsend_schema({"document": DOCUMENT}), description="The updated document."),
    "body": DocumentIn,
    "body_example": {"description": "updated test document 1"},
    "params": (DOCUMENTABLE_TYPE,),
    "errors": (*NOT_FOUND, (404, DocumentNotFound.code)),
    "permission": "<documentable>.update",
    "error_style": JSEND_ERRORS,
}


@documented("Update one document (seed 003)", operation_id="legacy_patch_document", **_UPDATE)
async def patch_document(request: Request) -> Response:
    return await _update(request)


@documented("Update one document (seed 003, PUT)", operation_id="legacy_put_document", **_UPDATE)
async def put_document(request: Request) -> Response:
    return await _update(request)


@documented(
    "Delete one document (seed 003)",
    description="The document and its file; `data` is empty. " + _PERMISSION,
    answers=api.bare(jsend_schema({}), description="Deleted."),
    params=(DOCUMENTABLE_TYPE,),
    errors=(*NOT_FOUND, (404, DocumentNotFound.code)),
    permission="<documentable>.update",
    error_style=JSEND_ERRORS,
    operation_id="legacy_delete_document",
)
async def delete_document(request: Request) -> Response:
    claims = await authenticated(request)
    target = _documentable(request, "documentable_id")
    await documents.delete_document(
        collaborators(request), claims, target, path_uuid(request, "id", DocumentNotFound)
    )
    return success({})


ONE = "/api/v1/{documentable_type}/{documentable_id}/documents/{id}"
routes = [
    Route("/api/v1/assets", list_assets, methods=["GET"]),
    Route("/api/v1/assets/{id}", get_asset, methods=["GET"]),
    Route("/api/v1/{documentable_type}/{id}/documents", list_documents, methods=["GET"]),
    Route("/api/v1/{documentable_type}/{id}/documents", upload_document, methods=["POST"]),
    Route(ONE, patch_document, methods=["PATCH"]),
    Route(ONE, put_document, methods=["PUT"]),
    Route(ONE, delete_document, methods=["DELETE"]),
]
