"""``givenConsents``, ``revokedConsents``, ``rescindedConsents``, ``revisedDocuments`` and
``neededConsents``: the operations that move consents between states, and what is still needed."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consents.domain.errors import InvalidQueryValue, MalformedQuery
from consents.domain.etag import consent_etag
from consents.domain.matching import GiveScope
from consents.hal.collections import collection_body
from consents.hal.representations import API_ROOT, HalJSON, consent_body, timestamp
from consents.routes.caller import authenticated, collaborators
from consents.routes.consents import integer_param
from consents.services import transitions
from proximity.http.body import read_model

REVISED_DOCUMENT_PROFILE = "https://api.apiture.com/schemas/consents/revisedDocument/v1.0.0/profile.json"


def _text(params: QueryParams, name: str, *, required: bool = False) -> str | None:
    """A query parameter; present but blank is malformed (400), as is a missing required one."""
    raw = params.get(name)
    if raw is None:
        if required:
            raise MalformedQuery(f"The {name} query parameter is required.", attributes={"parameter": name})
        return None
    if not raw.strip():
        raise MalformedQuery(f"The {name} query parameter is empty.", attributes={"parameter": name})
    return raw.strip()


def _required(params: QueryParams, name: str) -> str:
    found = _text(params, name, required=True)
    assert found is not None
    return found


def _reference(request: Request) -> str:
    return _required(request.query_params, "consent")


def _scope(params: QueryParams) -> GiveScope:
    raw = _text(params, "scope")
    if raw is None:
        return GiveScope.MATCHING
    try:
        return GiveScope(raw)
    except ValueError:
        raise InvalidQueryValue(
            "scope must be instance or matching.",
            attributes={"parameter": "scope", "value": raw, "allowed": [s.value for s in GiveScope]},
        ) from None


async def give_consent(request: Request) -> Response:
    caller = await authenticated(request)
    reference, scope = _reference(request), _scope(request.query_params)
    named, others = await transitions.give(
        collaborators(request), caller, reference, scope=scope, if_match=request.headers.get("if-match")
    )
    embedded: dict[str, Any] | None = {"consents": [consent_body(o) for o in others]} if others else None
    headers = {"ETag": consent_etag(named.id, named.version)}
    return HalJSON(consent_body(named, embedded=embedded), headers=headers)


async def revoke_consent(request: Request) -> Response:
    caller = await authenticated(request)
    consent = await transitions.revoke(
        collaborators(request), caller, _reference(request), if_match=request.headers.get("if-match")
    )
    return HalJSON(consent_body(consent), headers={"ETag": consent_etag(consent.id, consent.version)})


async def rescind_consents(request: Request) -> Response:
    caller = await authenticated(request)
    params = request.query_params
    wired = collaborators(request)
    headers: dict[str, str] = {}
    if "consent" in params:  # the consent's own apiture:rescind link
        one = await transitions.rescind_one(
            wired, caller, _reference(request), if_match=request.headers.get("if-match")
        )
        items = [one]
        headers["ETag"] = consent_etag(one.id, one.version)
    else:
        context = _text(params, "context") or _text(params, "contextUri")
        user, kind = _required(params, "user"), _required(params, "type")
        items = await transitions.rescind_matching(
            wired,
            caller,
            type=kind,
            context_uri=context,
            user_id=user,
            document_uri=_text(params, "document"),
        )
    body = collection_body(items, url=request.url, start=0, limit=max(len(items), 1), count=len(items))
    return HalJSON(body, headers=headers)


async def revise_document(request: Request) -> Response:
    caller = await authenticated(request)
    body = await read_model(request, transitions.RevisedDocumentBody)
    await transitions.revise(collaborators(request), caller, body)
    echoed = {"_profile": REVISED_DOCUMENT_PROFILE, **body.model_dump(mode="json", exclude_none=True)}
    echoed["revisedAt"] = timestamp(body.revisedAt)
    return HalJSON(echoed, status_code=202)


async def needed_consents(request: Request) -> Response:
    caller = await authenticated(request)
    params = request.query_params
    settings = collaborators(request).settings
    start = integer_param(params, "start", 0, 0, 10**9)
    limit = integer_param(params, "limit", settings.default_page_limit, 1, settings.max_page_limit)
    items, count = await transitions.needed(
        collaborators(request), caller, user_id=_text(params, "userId"), start=start, limit=limit
    )
    return HalJSON(collection_body(items, url=request.url, start=start, limit=limit, count=count))


routes = [
    Route(f"{API_ROOT}/givenConsents", give_consent, methods=["POST"]),
    Route(f"{API_ROOT}/revokedConsents", revoke_consent, methods=["POST"]),
    Route(f"{API_ROOT}/rescindedConsents", rescind_consents, methods=["POST"]),
    Route(f"{API_ROOT}/revisedDocuments", revise_document, methods=["POST"]),
    Route(f"{API_ROOT}/neededConsents", needed_consents, methods=["GET"]),
]
