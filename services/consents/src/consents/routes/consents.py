"""``/consents/consents``: create, fetch one (ETag, If-None-Match), list."""

from __future__ import annotations

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consents.domain.errors import InvalidQueryValue, MalformedQuery
from consents.domain.etag import consent_etag, if_none_match_holds
from consents.domain.filter_expression import parse_filter
from consents.domain.list_params import parse_alternatives, parse_sort, parse_states
from consents.hal.collections import collection_body
from consents.hal.representations import API_ROOT, HalJSON, consent_body, consent_href
from consents.repositories.consent_queries import Listing
from consents.routes.caller import authenticated, collaborators
from consents.services import consents
from proximity.http.body import read_model
from proximity.http.query_integers import query_integer
from proximity.http.storable import integer_fault


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


async def list_consents(request: Request) -> Response:
    caller = await authenticated(request)
    listing = listing_of(request)
    items, count = await consents.search(collaborators(request), caller, listing)
    body = collection_body(items, url=request.url, start=listing.start, limit=listing.limit, count=count)
    return HalJSON(body)


async def create_consent(request: Request) -> Response:
    caller = await authenticated(request)
    body = await read_model(request, consents.CreateConsentBody)
    consent, created = await consents.create(collaborators(request), caller, body)
    headers = {"Location": consent_href(consent.id), "ETag": consent_etag(consent.id, consent.version)}
    return HalJSON(consent_body(consent), status_code=201 if created else 200, headers=headers)


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
