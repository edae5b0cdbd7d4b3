"""``/consents/consents``: create, fetch one (ETag, If-None-Match), list."""

from __future__ import annotations

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consents.config import ConsentsSettings
from consents.domain.consent_fields import FIELDS
from consents.domain.errors import FilterSyntaxError, InvalidQueryValue, MalformedQuery, UnknownConsentType
from consents.domain.etag import consent_etag, if_none_match_holds
from consents.domain.filter_expression import parse_filter
from consents.domain.filter_tokens import MAX_LENGTH
from consents.domain.list_params import parse_alternatives, parse_sort, parse_states
from consents.domain.states import ConsentState
from consents.errors import ConsentNotFound
from consents.hal.answers import CONSENT_ETAG, IF_NONE_MATCH, hal, not_modified
from consents.hal.collections import collection_body
from consents.hal.errors import hal_error
from consents.hal.representations import API_ROOT, HalJSON, consent_body, consent_href
from consents.hal.schemas import ConsentsView, ConsentView
from consents.repositories.consent_queries import Listing
from consents.routes.caller import authenticated, collaborators
from consents.services import consents
from proximity.errors import PermissionDenied
from proximity.http.body import read_model
from proximity.http.query_integers import query_integer
from proximity.http.storable import integer_fault
from proximity.openapi.operation import Param, documented, path, query

TAGS = ["Consent"]
_DEFAULTS = ConsentsSettings.model_fields
# The document states the default settings' page sizes; a deployment may change them.
DEFAULT_LIMIT: int = _DEFAULTS["default_page_limit"].default
MAX_LIMIT: int = _DEFAULTS["max_page_limit"].default
MAX_START = 10**9
STATES = " | ".join(f"`{state.value}`" for state in ConsentState)


def page_parameters(what: str) -> tuple[Param, ...]:
    return (
        query(
            "start",
            {"type": "integer", "minimum": 0, "maximum": MAX_START, "default": 0},
            description=f"The zero-based index of the first {what} in this page. Not an integer: 400; "
            "out of range: 422.",
        ),
        query(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
            description=f"The maximum number of {what}s in this page. Not an integer: 400; "
            "out of range: 422.",
        ),
    )


def _alternatives(name: str, what: str) -> Param:
    return query(
        name,
        description=f"Only consents with one of these {what}, separated by `|` "
        f"(`?{name}=a|b`). An empty alternative is a 400.",
    )


LIST_PARAMETERS = (
    _alternatives("type", "types"),
    query(
        "state",
        description=f"Only consents in one of these states ({STATES}), separated by `|`. An empty "
        "alternative is a 400, an unknown state a 422.",
    ),
    query(
        "userId",
        description="Only consents of these users (party ids), separated by `|`. Users only ever "
        "see their own consents, whatever they ask for.",
    ),
    _alternatives("contextUri", "context URIs"),
    *page_parameters("consent"),
    query(
        "sortBy",
        description="Sort criteria, `field1,-field2`: `-` descending, `+` or nothing ascending. "
        f"Fields: {', '.join(f'`{name}`' for name in FIELDS)}. A malformed list is a 400, an "
        "unknown or repeated field a 422.",
    ),
    query(
        "filter",
        description="A filter expression, e.g. `and(eq(state,given),in(type,privacyPolicy|"
        "electronicConsent),gt(givenAt,2024-01-01T00:00:00Z))`: `and`, `or`, `not`, `eq`, `ne`, `in` "
        "and, on date-time fields, `lt`, `le`, `gt`, `ge`, over the fields `sortBy` takes. Any fault "
        f"(syntax, unknown operator or field, bad value, nesting over 32, over {MAX_LENGTH} "
        "characters) is a 400 whose attributes give its 0-based position.",
    ),
    query(
        "q",
        description="Text searched (case-insensitively) in the type, document URI, context URI, user "
        "id and revision id.",
    ),
)


def integer_param(params: QueryParams, name: str, default: int, low: int, high: int) -> int:
    raw = (params.get(name) or "").strip()
    if raw == "":
        return default
    value = query_integer(raw)
    # Beyond 64 bits is no integer this API has (format int64): malformed, like a typo.
    if value is None or integer_fault(value) is not None:
        # Echoed only while short: the parameter may be thousands of digits long.
        shown = raw if len(raw) <= 40 else f"{raw[:40]}..."
        raise MalformedQuery(
            f"{name} must be a 64-bit integer.", attributes={"parameter": name, "value": shown}
        )
    if not low <= value <= high:
        raise InvalidQueryValue(
            f"{name} must be between {low} and {high}.",
            attributes={"parameter": name, "value": value, "minimum": low, "maximum": high},
        )
    return value


def listing_of(request: Request) -> Listing:
    params = request.query_params
    settings = collaborators(request).settings
    raw_filter = params.get("filter")
    q = (params.get("q") or "").strip()
    return Listing(
        start=integer_param(params, "start", 0, 0, 10**9),
        limit=integer_param(params, "limit", settings.default_page_limit, 1, settings.max_page_limit),
        types=parse_alternatives(params.get("type"), parameter="type"),
        states=tuple(s.value for s in parse_states(params.get("state"))),
        user_ids=parse_alternatives(params.get("userId"), parameter="userId"),
        context_uris=parse_alternatives(params.get("contextUri"), parameter="contextUri"),
        filter=parse_filter(raw_filter) if raw_filter is not None and raw_filter.strip() else None,
        q=q or None,
        sort=tuple((key.field, key.descending) for key in parse_sort(params.get("sortBy"))),
    )


@documented(
    "Return a collection of consents",
    description="Return a paginated, sortable, filterable, searchable collection of consents; the "
    "links include pagination links. Users see their own consents; administrators and services "
    "every consent of the tenant. The parameters combine with an implicit and.",
    answers=hal(ConsentsView, description="A page of consents."),
    params=LIST_PARAMETERS,
    errors=[hal_error(MalformedQuery), hal_error(FilterSyntaxError), hal_error(InvalidQueryValue)],
    tags=TAGS,
    operation_id="getConsents",
)
async def list_consents(request: Request) -> Response:
    caller = await authenticated(request)
    listing = listing_of(request)
    items, count = await consents.search(collaborators(request), caller, listing)
    body = collection_body(items, url=request.url, start=listing.start, limit=listing.limit, count=count)
    return HalJSON(body)


CREATED_HEADERS = {"Location": "The consent's URI.", **CONSENT_ETAG}
CREATE_EXAMPLE = {
    "_profile": "https://api.apiture.com/schemas/consents/createConsent/v1.0.0/profile.json",
    "document": {
        "uri": "/vault/files/fd44d565-0086-4caf-8d9f-3b7681809251/content",
        "contentType": "application/pdf",
        "revisionId": "2019:1.02.0",
        "revisedAt": "2019-07-23T08:26:45.375Z",
    },
    "type": "termsAndConditions",
    "userId": "5a5e834c-a7bd-401c",
    "contextUri": "/products/products/34011fe5-192d-4ffb-be32-e7215e56028a",
}


@documented(
    "Create a new consent resource",
    description="Request a user's consent to a document (pending). If the user already has a live "
    "(pending, given or stale) consent of the same type for the same document URI and context, "
    "that one is answered with 200 instead. `type` must be a registered type name (400); users "
    "may request consents only for themselves (403). `_profile` and `_links` are ignored.",
    answers=[
        hal(ConsentView, status=201, description="Created.", headers=CREATED_HEADERS),
        hal(
            ConsentView,
            description="An existing live consent of this user, type, document and context.",
            headers=CREATED_HEADERS,
        ),
    ],
    body=consents.CreateConsentBody,
    body_example=CREATE_EXAMPLE,
    errors=[hal_error(UnknownConsentType), PermissionDenied],
    tags=TAGS,
    operation_id="createConsent",
)
async def create_consent(request: Request) -> Response:
    caller = await authenticated(request)
    body = await read_model(request, consents.CreateConsentBody)
    consent, created = await consents.create(collaborators(request), caller, body)
    headers = {"Location": consent_href(consent.id), "ETag": consent_etag(consent.id, consent.version)}
    return HalJSON(consent_body(consent), status_code=201 if created else 200, headers=headers)


@documented(
    "Fetch a representation of this consent",
    description="Return a HAL representation of this consent, its history embedded (oldest first) "
    "and a link for each action its state allows. Someone else's consent is not found (404).",
    answers=[
        hal(ConsentView, description="The consent.", headers=CONSENT_ETAG),
        not_modified(CONSENT_ETAG),
    ],
    params=[
        path("consent_id", {"type": "string", "format": "uuid"}, description="The consent's `_id`."),
        IF_NONE_MATCH,
    ],
    errors=[hal_error(ConsentNotFound)],
    tags=TAGS,
    operation_id="getConsent",
)
async def get_consent(request: Request) -> Response:
    caller = await authenticated(request)
    consent, history = await consents.get(collaborators(request), caller, request.path_params["consent_id"])
    etag = consent_etag(consent.id, consent.version)
    if not if_none_match_holds(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers={"ETag": etag})
    return HalJSON(consent_body(consent, history=history), headers={"ETag": etag})


routes = [
    Route(f"{API_ROOT}/consents", list_consents, methods=["GET"]),
    Route(f"{API_ROOT}/consents", create_consent, methods=["POST"]),
    Route(f"{API_ROOT}/consents/{{consent_id}}", get_consent, methods=["GET"]),
]
