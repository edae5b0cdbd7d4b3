"""Serving a service's document at ``GET /openapi.json``, built once when the app is built."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from proximity.openapi.document import openapi_document
from proximity.openapi.envelopes import SEED_004_ERRORS, ErrorStyle
from proximity.openapi.operation import bare, documented

DOCUMENT_PATH = "/openapi.json"


@dataclass(frozen=True, slots=True)
class ApiInfo:
    title: str
    version: str
    description: str = ""
    errors: ErrorStyle = field(default=SEED_004_ERRORS)


@documented(
    "This service's OpenAPI document",
    answers=bare({"type": "object"}, description="The OpenAPI 3.1 document."),
    public=True,
    internal=True,
)
async def openapi_json(request: Request) -> Response:
    return served_document(request)


def served_document(request: Request) -> Response:
    """The app's document, for any route that serves it (consents also at seed 001's URL)."""
    rendered: bytes = request.app.state.openapi_json
    return Response(rendered, media_type="application/json")


def document_route() -> Route:
    return Route(DOCUMENT_PATH, openapi_json, methods=["GET"])


def attach_document(app: Starlette, routes: Sequence[BaseRoute], info: ApiInfo) -> dict[str, Any]:
    """Build the document of ``routes`` (raising on an undeclared one) and keep it on the app."""
    document = openapi_document(
        routes, title=info.title, version=info.version, description=info.description, errors=info.errors
    )
    app.state.openapi = document
    app.state.openapi_json = orjson.dumps(document)
    return document
