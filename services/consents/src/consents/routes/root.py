"""``GET /consents/`` (the API root) and ``GET /consents/apiDoc`` (this service's OpenAPI
document, generated from the routes' declarations: the same one ``/openapi.json`` serves)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consents.hal.representations import API_ROOT, HalJSON, link
from consents.hal.schemas import RootView
from proximity.http.hal_errors import HAL_MEDIA_TYPE
from proximity.openapi.operation import bare, documented
from proximity.openapi.served import served_document

ROOT_PROFILE = "https://api.apiture.com/schemas/common/root/v1.0.0/profile.json"
API_VERSION = "0.2.4"
API_DESCRIPTION = (
    "The Consents API tracks a user's consent of financial institution policies and documents "
    "such as account terms and conditions, electronic consent, and privacy policy (seed 001), "
    "with a history of every change. Representations are HAL (`application/hal+json`); errors "
    "are `errorResponse` bodies whose `_error` gives the status, a `type` and details."
)


_ROOT_ANSWER = bare(
    RootView,
    media_type=HAL_MEDIA_TYPE,
    description="The API's name and version, and links to its top-level resources and operations.",
)


@documented(
    "Top-level resources and operations in this API",
    description="Return links to the top-level resources and operations in this API.",
    answers=_ROOT_ANSWER,
    public=True,
    tags=["API"],
    operation_id="getApi",
)
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


@documented(
    "The API root, without the trailing slash",
    description="The same as `GET /consents/`.",
    answers=_ROOT_ANSWER,
    public=True,
    tags=["API"],
    operation_id="getApiWithoutSlash",
)
async def get_api_without_slash(request: Request) -> Response:
    return await get_api(request)


@documented(
    "Return API definition document",
    description="Return the OpenAPI document that describes this API (the same as `/openapi.json`).",
    answers=bare({"type": "object"}, description="The OpenAPI 3.1 document."),
    public=True,
    tags=["API"],
    operation_id="getApiDoc",
)
async def get_api_doc(request: Request) -> Response:
    return served_document(request)


routes = [
    Route(f"{API_ROOT}/", get_api, methods=["GET"]),
    Route(API_ROOT, get_api_without_slash, methods=["GET"]),
    Route(f"{API_ROOT}/apiDoc", get_api_doc, methods=["GET"]),
]
