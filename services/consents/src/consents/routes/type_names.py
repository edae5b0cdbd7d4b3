"""``/consents/consentTypeNames``: the registered type names, with an ETag; PUT replaces them."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consents.domain.etag import if_none_match_holds
from consents.domain.type_names import ConsentTypeNames
from consents.hal.representations import API_ROOT, HalJSON, link
from consents.routes.caller import authenticated, collaborators
from consents.services import type_names
from proximity.http.body import read_model

PROFILE = "https://api.apiture.com/schemas/consents/consentTypeNames/v1.0.0/model.json"


def _body(names: ConsentTypeNames) -> dict[str, Any]:
    return {
        "_profile": PROFILE,
        "names": names.as_json(),
        "_links": {"self": link(f"{API_ROOT}/consentTypeNames")},
    }


async def get_type_names(request: Request) -> Response:
    caller = await authenticated(request)
    names, etag = await type_names.current(collaborators(request), caller)
    if not if_none_match_holds(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers={"ETag": etag})
    return HalJSON(_body(names), headers={"ETag": etag})


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
