"""A document's metadata body and its views: seed 004's (``GET /assets/{id}/documents``) and
seed 003's (``GET /api/v1/assets/{id}/documents``, ``object_key`` and ``url``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints

from assets.repositories.documents import Document

MULTIPART_BODY: dict[str, Any] = {
    "type": "object",
    "required": ["document"],
    "properties": {
        "document": {
            "type": "string",
            "format": "binary",
            "description": "The file (its part's filename is kept).",
        },
        "name": {"type": "string", "maxLength": 255, "description": "Defaults to the file's name."},
        "description": {"type": "string", "maxLength": 5000},
    },
}
MULTIPART_ENCODING = "multipart/form-data"


class DocumentIn(BaseModel):
    """What changes on a document: its name and description (omitted: kept)."""

    model_config = ConfigDict(extra="ignore")

    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)] | None = None
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)] | None = None


class DocumentView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    documentable_type: str
    documentable_id: uuid.UUID
    name: str
    description: str
    filename: str
    content_type: str
    size: int
    checksum: str
    url: str
    is_image: bool
    created_at: datetime
    updated_at: datetime | None


class LegacyDocumentView(BaseModel):
    """Seed 003's document: ``object_key`` is the id, ``url`` where its bytes are."""

    model_config = ConfigDict(extra="forbid")

    object_key: uuid.UUID
    name: str
    description: str
    url: str
    filename: str
    content_type: str
    size: int
    checksum: str
    created_at: datetime
    updated_at: datetime | None


def document_view(found: Document, url: str) -> dict[str, Any]:
    return {
        "id": found.id,
        "documentable_type": found.documentable_type,
        "documentable_id": found.documentable_id,
        "name": found.name,
        "description": found.description,
        "filename": found.filename,
        "content_type": found.content_type,
        "size": found.size,
        "checksum": found.checksum,
        "url": url,
        "is_image": found.content_type.startswith("image/"),
        "created_at": found.created_at,
        "updated_at": found.updated_at,
    }


def legacy_document_view(found: Document, url: str) -> dict[str, Any]:
    return {
        "object_key": found.id,
        "name": found.name,
        "description": found.description,
        "url": url,
        "filename": found.filename,
        "content_type": found.content_type,
        "size": found.size,
        "checksum": found.checksum,
        "created_at": found.created_at,
        "updated_at": found.updated_at,
    }
