"""``GET /consents/`` (the API root) and ``GET /consents/apiDoc`` (this service's OpenAPI)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consents.api_doc import openapi_document
from consents.hal.representations import API_ROOT, HalJSON, link
from proximity.http.responses import JSON

ROOT_PROFILE = "https://api.apiture.com/schemas/common/root/v1.0.0/profile.json"
API_VERSION = "0.2.4"


async def get_api(request: Request) -> Response:
    return HalJSON(
        {
            "_id": "consents",
            "_profile": ROOT_PROFILE,
            "name": "Consents",
            "apiVersion": API_VERSION,
            "_links": {
                "self": link(f"{API_ROOT}/"),
                "apiture:apiDoc": link(f"{API_ROOT}/apiDoc"),
                "apiture:consents": link(f"{API_ROOT}/consents"),
                "apiture:neededConsents": link(f"{API_ROOT}/neededConsents"),
                "apiture:consentTypeNames": link(f"{API_ROOT}/consentTypeNames"),
                "apiture:givenConsents": link(f"{API_ROOT}/givenConsents{{?consent,scope}}", templated=True),
                "apiture:revokedConsents": link(f"{API_ROOT}/revokedConsents{{?consent}}", templated=True),
                "apiture:rescindedConsents": link(
                    f"{API_ROOT}/rescindedConsents{{?type,context,user,document}}", templated=True
                ),
                "apiture:revisedDocuments": link(f"{API_ROOT}/revisedDocuments"),
            },
        }
    )


async def get_api_doc(request: Request) -> Response:
    return JSON(openapi_document())


routes = [
    Route(f"{API_ROOT}/", get_api, methods=["GET"]),
    Route(API_ROOT, get_api, methods=["GET"]),
    Route(f"{API_ROOT}/apiDoc", get_api_doc, methods=["GET"]),
]
