"""``/consents/consentTypeNames``: the registered type names, with an ETag; PUT replaces them."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consents.domain.errors import ConsentTypeInUse, InvalidConsentTypeNames, PreconditionFailed
from consents.domain.etag import if_none_match_holds
from consents.domain.type_names import DEFAULT_TYPE_NAMES, ConsentTypeNames
from consents.hal.answers import IF_MATCH, IF_NONE_MATCH, TYPE_NAMES_ETAG, hal, not_modified
from consents.hal.errors import hal_error
from consents.hal.representations import API_ROOT, HalJSON, link
from consents.hal.schemas import ConsentTypeNamesView
from consents.routes.caller import authenticated, collaborators
from consents.services import type_names
from consents.services.access import ADMIN_PERMISSION
from proximity.http.body import read_model
from proximity.openapi.operation import documented

PROFILE = "https://api.apiture.com/schemas/consents/consentTypeNames/v1.0.0/model.json"


def _body(names: ConsentTypeNames) -> dict[str, Any]:
    return {
        "_profile": PROFILE,
        "names": names.as_json(),
        "_links": {"self": link(f"{API_ROOT}/consentTypeNames")},
    }


TAGS = ["Consent Type Name"]


@documented(
    "Return the set of reserved consent type names",
    description="The `type` of a consent must be one of these names. Administrators replace the "
    "set with `PUT`; until then it is the seed's default set (termsAndConditions, privacyPolicy, "
    "electronicConsent).",
    answers=[
        hal(ConsentTypeNamesView, description="The type names.", headers=TYPE_NAMES_ETAG),
        not_modified(TYPE_NAMES_ETAG),
    ],
    params=[IF_NONE_MATCH],
    tags=TAGS,
    operation_id="getConsentTypeNames",
)
async def get_type_names(request: Request) -> Response:
    caller = await authenticated(request)
    names, etag = await type_names.current(collaborators(request), caller)
    if not if_none_match_holds(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers={"ETag": etag})
    return HalJSON(_body(names), headers={"ETag": etag})


@documented(
    "Update the set of consent type names",
    description="Replace the whole set of reserved consent type names, so it should include every "
    "name in use: removing one that consents use is a 409. Each name is a word of letters, digits, "
    "`_`, `.` and `-` (starting with a letter, at most 64) with at least one label; every label "
    "after the first names its language. Administrators (`consents.admin`, system administrators) "
    "and services only.",
    answers=hal(ConsentTypeNamesView, description="The new set.", headers=TYPE_NAMES_ETAG),
    body=type_names.TypeNamesBody,
    body_example={"_profile": PROFILE, "names": DEFAULT_TYPE_NAMES.as_json()},
    params=[IF_MATCH],
    errors=[hal_error(InvalidConsentTypeNames), hal_error(ConsentTypeInUse), hal_error(PreconditionFailed)],
    permission=ADMIN_PERMISSION,
    tags=TAGS,
    operation_id="updateConsentTypeNames",
)
async def put_type_names(request: Request) -> Response:
    caller = await authenticated(request)
    body = await read_model(request, type_names.TypeNamesBody)
    names, etag = await type_names.replace(
        collaborators(request), caller, body, if_match=request.headers.get("if-match")
    )
    return HalJSON(_body(names), headers={"ETag": etag})


routes = [
    Route(f"{API_ROOT}/consentTypeNames", get_type_names, methods=["GET"]),
    Route(f"{API_ROOT}/consentTypeNames", put_type_names, methods=["PUT"]),
]
