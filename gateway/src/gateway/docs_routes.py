"""The gateway's own routes for people reading the API: ``/openapi.json`` and ``/docs``.

Like ``/health`` they need no client key: a document hides nothing a tenant owns.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway import docs_page
from gateway.api_document import ApiDocuments
from proximity.errors import RouteNotFound, ServiceUnavailable
from proximity.openapi.operation import bare, documented, path


@documented(
    "The API document of every service",
    answers=bare({"type": "object"}, description="The OpenAPI 3.1 document of the whole API."),
    anonymous=True,
    tags=["documentation"],
)
async def openapi_json(request: Request) -> Response:
    documents: ApiDocuments | None = getattr(request.app.state, "api_documents", None)
    if documents is None:
        raise ServiceUnavailable("The gateway is starting; try again later.")
    return Response(await documents.document(), media_type="application/json")


@documented(
    "The API documentation page",
    answers=bare({"type": "string"}, media_type="text/html", description="Swagger UI."),
    anonymous=True,
    tags=["documentation"],
)
async def docs(request: Request) -> Response:
    return docs_page.page()


@documented(
    "A file of the documentation page",
    answers=bare({"type": "string"}, media_type="text/javascript", description="A script or style sheet."),
    params=[path("file", {"type": "string"})],
    errors=[RouteNotFound],
    anonymous=True,
    internal=True,
)
async def docs_asset(request: Request) -> Response:
    return docs_page.asset(request)


routes = [
    Route("/openapi.json", openapi_json, methods=["GET"]),
    Route("/docs", docs, methods=["GET"]),
    Route("/docs/{file}", docs_asset, methods=["GET"]),
]
