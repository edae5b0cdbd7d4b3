"""``/assets/{id}/documents`` and ``/entities/{id}/documents``: files on assets and entities,
in seed 004's conventions (seed 003 serves the same documents under ``/api/v1``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from assets.errors import DOCUMENT_UPLOAD_ERRORS, AssetNotFound, DocumentNotFound, EntityNotFound
from assets.routes.caller import authenticated, collaborators
from assets.schemas.documents import (
    MULTIPART_BODY,
    MULTIPART_ENCODING,
    DocumentIn,
    DocumentView,
    document_view,
)
from assets.services import documents
from assets.services.documents import Documentable, DocumentChange
from proximity.errors import ProximityError
from proximity.http.body import read_model
from proximity.http.multipart_form import form_events
from proximity.http.responses import catalogue, created, no_content, one
from proximity.openapi import operation as api
from proximity.openapi.operation import documented

# URL segment → the kind rows name, and the error an unknown id of that kind is.
KINDS: dict[str, tuple[str, type[ProximityError]]] = {
    "assets": ("asset", AssetNotFound),
    "entities": ("entity", EntityNotFound),
}
SEGMENT = {kind: segment for segment, (kind, _) in KINDS.items()}
ENCODING_SUPPORTED = (MULTIPART_ENCODING,)


def path_uuid(request: Request, name: str, missing: type[ProximityError]) -> uuid.UUID:
    try:
        return uuid.UUID(request.path_params[name])
    except ValueError:
        raise missing() from None


def content_path(target: Documentable, document_id: uuid.UUID) -> str:
    return f"/{SEGMENT[target.kind]}/{target.id}/documents/{document_id}/content"


def content_url(request: Request, target: Documentable, document_id: uuid.UUID) -> str:
    """Where the document's bytes are, as the client called this service (via the gateway)."""
    return str(request.url.replace(path=content_path(target, document_id), query=""))


def download(found: Any, chunks: Any) -> Response:
    # RFC 6266: an ASCII fallback, and the exact name in filename*.
    fallback = found.filename.encode("ascii", "replace").decode()
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(found.filename)}"
    return StreamingResponse(
        chunks,
        media_type=found.content_type,
        headers={
            "Content-Disposition": disposition,
            "Content-Length": str(found.size),
            "ETag": f'"{found.checksum}"',
            # The type is the uploader's: never let a browser read the bytes as something else.
            "X-Content-Type-Options": "nosniff",
        },
    )


DOWNLOAD_HEADERS = {
    "Content-Disposition": "`attachment`, with the document's filename.",
    "Content-Length": "The file's size in bytes.",
    "ETag": "The file's sha256 checksum (hex), quoted.",
}
UPLOAD_DESCRIPTION = (
    "A `multipart/form-data` body: the file as the `document` part (its filename is kept, "
    "sanitised: no path), optional `name` (default: the filename) and `description`. The file "
    "streams to storage; one larger than the service's limit (25 MiB by default) is refused "
    "while it arrives (413), an empty one (`eDocumentEmpty`) or none (`eDocumentRequired`) is a "
    "400. The answer records its size, content type and sha256 `checksum`."
)


def document_routes(segment: str) -> list[Route]:
    kind, missing = KINDS[segment]
    noun = kind

    def target_of(request: Request) -> Documentable:
        return Documentable(kind, path_uuid(request, "id", missing))

    def view(request: Request, found: Any) -> dict[str, Any]:
        target = Documentable(found.documentable_type, found.documentable_id)
        return document_view(found, content_url(request, target, found.id))

    @documented(
        f"List an {noun}'s documents",
        description=f"Every document of the {noun}, oldest first (a deleted {noun}'s are not found).",
        answers=api.catalogue(DocumentView),
        errors=(missing,),
        permission=f"{SEGMENT[kind]}.view",
        operation_id=f"list_{kind}_documents",
    )
    async def list_documents(request: Request) -> Response:
        claims = await authenticated(request)
        found = await documents.list_documents(collaborators(request), claims, target_of(request))
        return catalogue([view(request, item) for item in found])

    @documented(
        f"Upload a document to an {noun}",
        description=UPLOAD_DESCRIPTION,
        answers=api.created(DocumentView),
        body=MULTIPART_BODY,
        body_media_types=ENCODING_SUPPORTED,
        errors=(missing, *DOCUMENT_UPLOAD_ERRORS),
        permission=f"{SEGMENT[kind]}.update",
        operation_id=f"upload_{kind}_document",
    )
    async def upload_document(request: Request) -> Response:
        claims = await authenticated(request)
        target = target_of(request)
        made = await documents.add_document(collaborators(request), claims, target, form_events(request))
        return created(view(request, made))

    @documented(
        f"Get an {noun}'s document",
        description="The document's metadata; `url` is where its bytes are.",
        answers=api.one(DocumentView),
        errors=(missing, DocumentNotFound),
        permission=f"{SEGMENT[kind]}.view",
        operation_id=f"get_{kind}_document",
    )
    async def get_document(request: Request) -> Response:
        claims = await authenticated(request)
        found = await documents.get_document(
            collaborators(request), claims, target_of(request), path_uuid(request, "doc_id", DocumentNotFound)
        )
        return one(view(request, found))

    @documented(
        f"Download an {noun}'s document",
        description="The file's bytes, streamed, with the content type it was uploaded with.",
        answers=api.bare(
            {"type": "string", "format": "binary"},
            media_type="*/*",
            description="The file.",
            headers=DOWNLOAD_HEADERS,
        ),
        errors=(missing, DocumentNotFound),
        permission=f"{SEGMENT[kind]}.view",
        operation_id=f"download_{kind}_document",
    )
    async def download_document(request: Request) -> Response:
        claims = await authenticated(request)
        found, chunks = await documents.open_document(
            collaborators(request), claims, target_of(request), path_uuid(request, "doc_id", DocumentNotFound)
        )
        return download(found, chunks)

    @documented(
        f"Update an {noun}'s document",
        description="Its `name` (empty: the filename again) and `description`; an omitted field is kept. "
        "The file itself is replaced by uploading a new document.",
        answers=api.one(DocumentView),
        body=DocumentIn,
        body_example={"name": "Lease", "description": "Signed lease, 2024"},
        errors=(missing, DocumentNotFound),
        permission=f"{SEGMENT[kind]}.update",
        operation_id=f"update_{kind}_document",
    )
    async def update_document(request: Request) -> Response:
        claims = await authenticated(request)
        target = target_of(request)
        document_id = path_uuid(request, "doc_id", DocumentNotFound)
        body = await read_model(request, DocumentIn)
        change = DocumentChange(name=body.name, description=body.description)
        found = await documents.update_document(collaborators(request), claims, target, document_id, change)
        return one(view(request, found))

    @documented(
        f"Delete an {noun}'s document",
        description="The document and its file.",
        answers=api.empty(),
        errors=(missing, DocumentNotFound),
        permission=f"{SEGMENT[kind]}.update",
        operation_id=f"delete_{kind}_document",
    )
    async def delete_document(request: Request) -> Response:
        claims = await authenticated(request)
        await documents.delete_document(
            collaborators(request), claims, target_of(request), path_uuid(request, "doc_id", DocumentNotFound)
        )
        return no_content()

    base = f"/{segment}/{{id}}/documents"
    one_path = f"{base}/{{doc_id}}"
    handlers: list[tuple[str, Callable[..., Any], str]] = [
        (base, list_documents, "GET"),
        (base, upload_document, "POST"),
        (one_path, get_document, "GET"),
        (one_path, update_document, "PUT"),
        (one_path, delete_document, "DELETE"),
        (f"{one_path}/content", download_document, "GET"),
    ]
    return [Route(path, endpoint, methods=[method]) for path, endpoint, method in handlers]


routes = [*document_routes("assets"), *document_routes("entities")]
