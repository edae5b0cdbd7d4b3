"""``givenConsents``, ``revokedConsents``, ``rescindedConsents``, ``revisedDocuments`` and
``neededConsents``: the operations that move consents between states, and what is still needed."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consents.domain.errors import (
    InvalidQueryValue,
    MalformedQuery,
    PreconditionFailed,
    TransitionNotAllowed,
    UnknownConsentType,
)
from consents.domain.etag import consent_etag
from consents.domain.matching import GiveScope
from consents.errors import ConcurrentModification, UnknownConsentParameter
from consents.hal.answers import CONSENT_ETAG, IF_MATCH, hal
from consents.hal.collections import collection_body
from consents.hal.errors import hal_error
from consents.hal.representations import API_ROOT, HalJSON, consent_body, timestamp
from consents.hal.schemas import ConsentsView, ConsentView, RevisedDocumentView
from consents.routes.caller import authenticated, collaborators
from consents.routes.consents import TAGS, integer_param, page_parameters
from consents.services import transitions
from consents.services.access import ADMIN_PERMISSION
from proximity.errors import PermissionDenied
from proximity.http.body import read_model
from proximity.openapi.operation import documented, query

REVISED_DOCUMENT_PROFILE = "https://api.apiture.com/schemas/consents/revisedDocument/v1.0.0/profile.json"


CONSENT_PARAMETER = query(
    "consent",
    required=True,
    description="The consent's `_id`, or the URI of the consent (its `self` link). Missing or "
    "blank: 400; malformed, unknown or not the caller's to act on: 400 `invalidConsentParameter`.",
)
# Its user, administrators and services may act on a consent, so a 403 is never the answer here.
ON_A_CONSENT = [
    hal_error(MalformedQuery),
    hal_error(UnknownConsentParameter),
    hal_error(TransitionNotAllowed),
    hal_error(ConcurrentModification),
    hal_error(PreconditionFailed),
]
REVISED_EXAMPLE = {
    "_profile": REVISED_DOCUMENT_PROFILE,
    "uri": "/vault/files/fd44d565-0086-4caf-8d9f-3b7681809251/content",
    "revisionId": "2019:1.2.0",
    "contextUri": "/products/products/34011fe5-192d-4ffb-be32-e7215e56028a",
    "revisedAt": "2019-10-05T10:30:00.000Z",
    "type": "termsAndConditions",
    "newUri": "/vault/files/da66d490-2b72-4809-9b97-9b33039371f8/content",
}


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


@documented(
    "Give consent",
    description="Indicate that a user has given consent to a document: the named consent becomes "
    "given. With `scope=matching` (the default) every needed (pending or stale) consent of the same "
    "user, type, `document.uri` and `contextUri` is given too, and embedded in `_embedded.consents`. "
    "This is the `apiture:give` link of a consent. A revoked or rescinded consent cannot be given "
    "(409).",
    answers=hal(ConsentView, description="The given consent.", headers=CONSENT_ETAG),
    params=[
        CONSENT_PARAMETER,
        query(
            "scope",
            {
                "type": "string",
                "enum": [scope.value for scope in GiveScope],
                "default": GiveScope.MATCHING.value,
            },
            description="`instance`: only the named consent; `matching`: its matches too. Blank: 400; "
            "another value: 422.",
        ),
        IF_MATCH,
    ],
    errors=[*ON_A_CONSENT, hal_error(InvalidQueryValue)],
    tags=TAGS,
    operation_id="giveConsent",
)
async def give_consent(request: Request) -> Response:
    caller = await authenticated(request)
    reference, scope = _reference(request), _scope(request.query_params)
    named, others = await transitions.give(
        collaborators(request), caller, reference, scope=scope, if_match=request.headers.get("if-match")
    )
    embedded: dict[str, Any] | None = {"consents": [consent_body(o) for o in others]} if others else None
    headers = {"ETag": consent_etag(named.id, named.version)}
    return HalJSON(consent_body(named, embedded=embedded), headers=headers)


@documented(
    "Revoke consent",
    description="Withdraw a given (or stale) consent: its state becomes `revoked`, which is final "
    "(create a new consent to ask again). This is the `apiture:revoke` link of a consent.",
    answers=hal(ConsentView, description="The revoked consent.", headers=CONSENT_ETAG),
    params=[CONSENT_PARAMETER, IF_MATCH],
    errors=ON_A_CONSENT,
    tags=TAGS,
    operation_id="revokeConsent",
)
async def revoke_consent(request: Request) -> Response:
    caller = await authenticated(request)
    consent = await transitions.revoke(
        collaborators(request), caller, _reference(request), if_match=request.headers.get("if-match")
    )
    return HalJSON(consent_body(consent), headers={"ETag": consent_etag(consent.id, consent.version)})


@documented(
    "Rescind consent requests",
    description="Rescind every pending, given or stale consent that matches `type`, `context` and "
    "`user` (and `document`, when given): their state becomes `rescinded`. An absent `context` "
    "matches consents without one. The answer is the collection of rescinded consents (empty when "
    "none matched). With `consent` instead (a consent's `apiture:rescind` link), only that consent "
    "is rescinded, and `If-Match` applies. Users may rescind only their own consents (403).",
    answers=hal(
        ConsentsView,
        description="The rescinded consents.",
        headers={"ETag": "With `consent` only: the rescinded consent's entity tag."},
    ),
    params=[
        query(
            "consent",
            description="Rescind only this consent: its `_id` or its URI (the other parameters are "
            "then ignored). Blank: 400; unknown or not the caller's: 400 `invalidConsentParameter`.",
        ),
        query("type", description="The consent type (required without `consent`: 400)."),
        query("user", description="The user (party) id (required without `consent`: 400)."),
        query("context", description="The URI of the consent context; absent: consents without one."),
        query("contextUri", description="The same as `context` (used when `context` is absent)."),
        query("document", description="The URI of the target document; if given, it must match too."),
        IF_MATCH,
    ],
    errors=[*ON_A_CONSENT, PermissionDenied],
    tags=TAGS,
    operation_id="rescindConsents",
)
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


@documented(
    "Mark a document as revised",
    description="Given consents of that document and type (and context, when given) whose "
    "`revisedAt` (and `revisionId`, when given) differ become stale and point at the revision, so "
    "they are listed by `GET /neededConsents`; pending and stale ones are brought to the revision "
    "without a state change; `newUri` moves all of these to the new URI. Rescinded and revoked "
    "consents keep the document they were about. The change is made before the answer, which "
    "echoes the revision. Administrators and services only; `type` must be a registered type name.",
    answers=hal(RevisedDocumentView, status=202, description="Accepted: the revision applied."),
    body=transitions.RevisedDocumentBody,
    body_example=REVISED_EXAMPLE,
    errors=[hal_error(UnknownConsentType), hal_error(ConcurrentModification)],
    permission=ADMIN_PERMISSION,
    tags=TAGS,
    operation_id="reviseDocument",
)
async def revise_document(request: Request) -> Response:
    caller = await authenticated(request)
    body = await read_model(request, transitions.RevisedDocumentBody)
    await transitions.revise(collaborators(request), caller, body)
    echoed = {"_profile": REVISED_DOCUMENT_PROFILE, **body.model_dump(mode="json", exclude_none=True)}
    echoed["revisedAt"] = timestamp(body.revisedAt)
    return HalJSON(echoed, status_code=202)


@documented(
    "Return needed consents",
    description="The needed (pending and stale) consents of a user: the caller's own, or with "
    "`userId` (administrators and services) another user's. An unknown user has none (an empty "
    "collection).",
    answers=hal(ConsentsView, description="A page of the user's needed consents."),
    params=[
        query(
            "userId",
            description="The user (party) id. Omitted: the caller's own (a service must name one: "
            "400). Users may name only themselves (403). Blank: 400.",
        ),
        *page_parameters("consent"),
    ],
    errors=[hal_error(MalformedQuery), hal_error(InvalidQueryValue), PermissionDenied],
    tags=TAGS,
    operation_id="getNeededConsents",
)
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
