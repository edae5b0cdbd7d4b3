"""Consents' generated API document: valid OpenAPI 3.1, every route in it under seed 001's
operation ids, HAL answers whose schemas accept what the representations render, and errors in
the HAL ``_error`` shape the error handlers really produce."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import orjson
import pytest
from consent_builders import make
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from starlette.datastructures import URL
from starlette.requests import Request
from starlette.routing import BaseRoute, Route

from consents.domain.errors import (
    ConsentsError,
    ConsentTypeInUse,
    FilterSyntaxError,
    InvalidConsentTypeNames,
    InvalidQueryValue,
    MalformedQuery,
    PreconditionFailed,
    TransitionNotAllowed,
    UnknownConsentType,
)
from consents.domain.states import ConsentState
from consents.domain.type_names import DEFAULT_TYPE_NAMES
from consents.errors import ConcurrentModification, ConsentNotFound, UnknownConsentParameter
from consents.hal.collections import collection_body
from consents.hal.errors import HAL_ERRORS, render_consents_error, render_proximity_error
from consents.hal.representations import HAL_MEDIA_TYPE, consent_body
from consents.routes import consents, root, transitions, type_names
from proximity import errors as e
from proximity.auth.verifier import InvalidToken
from proximity.openapi.document import openapi_document

MODULES = (root, type_names, consents, transitions)
SEED_OPERATIONS = {
    ("/consents/", "get"): "getApi",
    ("/consents/apiDoc", "get"): "getApiDoc",
    ("/consents/consents", "get"): "getConsents",
    ("/consents/consents", "post"): "createConsent",
    ("/consents/consents/{consent_id}", "get"): "getConsent",
    ("/consents/neededConsents", "get"): "getNeededConsents",
    ("/consents/revisedDocuments", "post"): "reviseDocument",
    ("/consents/givenConsents", "post"): "giveConsent",
    ("/consents/revokedConsents", "post"): "revokeConsent",
    ("/consents/rescindedConsents", "post"): "rescindConsents",
    ("/consents/consentTypeNames", "get"): "getConsentTypeNames",
    ("/consents/consentTypeNames", "put"): "updateConsentTypeNames",
}


def _routes() -> list[BaseRoute]:
    return [route for module in MODULES for route in module.routes]


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return openapi_document(_routes(), title="x", version="1", errors=HAL_ERRORS)


def _operation(document: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    found: dict[str, Any] = document["paths"][path][method]
    return found


def _validator(document: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    # The components ride along in the root, so ``#/components/schemas/...`` resolves.
    return Draft202012Validator(
        {**schema, "components": document["components"]}, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def _answer_schema(document: dict[str, Any], path: str, method: str, status: int) -> dict[str, Any]:
    answer = _operation(document, path, method)["responses"][str(status)]
    schema: dict[str, Any] = answer["content"][HAL_MEDIA_TYPE]["schema"]
    return schema


def _json(body: dict[str, Any]) -> Any:
    """What goes over the wire: the representations hold datetimes already as strings."""
    return orjson.loads(orjson.dumps(body))


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    validate(document)


def test_every_route_is_in_the_document_and_nothing_else(document: dict[str, Any]) -> None:
    declared = {
        (route.path, method.lower())
        for route in _routes()
        if isinstance(route, Route)
        for method in route.methods or ()
        if method != "HEAD"
    }
    assert {(p, m) for p, ops in document["paths"].items() for m in ops} == declared


def test_seed_001_operation_ids_are_kept(document: dict[str, Any]) -> None:
    for (path, method), operation_id in SEED_OPERATIONS.items():
        assert _operation(document, path, method)["operationId"] == operation_id


def test_root_and_api_doc_need_only_the_client_key(document: dict[str, Any]) -> None:
    for path in ("/consents/", "/consents", "/consents/apiDoc"):
        assert _operation(document, path, "get")["security"] == [{"ClientKey": []}]
    assert _operation(document, "/consents/consents", "get")["security"] == [
        {"ClientKey": [], "AccessToken": []}
    ]


def test_answers_are_hal_and_name_their_entity_tags(document: dict[str, Any]) -> None:
    get = _operation(document, "/consents/consents/{consent_id}", "get")["responses"]
    assert set(get["200"]["content"]) == {HAL_MEDIA_TYPE}
    assert set(get["200"]["headers"]) == {"ETag"}
    assert "content" not in get["304"]
    assert set(get["304"]["headers"]) == {"ETag"}
    create = _operation(document, "/consents/consents", "post")["responses"]
    assert set(create["201"]["headers"]) == set(create["200"]["headers"]) == {"Location", "ETag"}
    assert "202" in _operation(document, "/consents/revisedDocuments", "post")["responses"]


def test_each_operation_names_the_parameters_it_reads(document: dict[str, Any]) -> None:
    def names(path: str, method: str) -> set[str]:
        return {p["name"] for p in _operation(document, path, method).get("parameters", [])}

    assert names("/consents/consents", "get") == {
        "type",
        "state",
        "userId",
        "contextUri",
        "start",
        "limit",
        "sortBy",
        "filter",
        "q",
    }
    assert names("/consents/consents/{consent_id}", "get") == {"consent_id", "If-None-Match"}
    assert names("/consents/givenConsents", "post") == {"consent", "scope", "If-Match"}
    assert names("/consents/revokedConsents", "post") == {"consent", "If-Match"}
    assert names("/consents/rescindedConsents", "post") == {
        "consent",
        "type",
        "user",
        "context",
        "contextUri",
        "document",
        "If-Match",
    }
    assert names("/consents/neededConsents", "get") == {"userId", "start", "limit"}
    assert names("/consents/consentTypeNames", "get") == {"If-None-Match"}
    assert names("/consents/consentTypeNames", "put") == {"If-Match"}


def _types(document: dict[str, Any], path: str, method: str, status: int) -> set[str]:
    answer = _operation(document, path, method)["responses"][str(status)]
    schema = answer["content"][HAL_MEDIA_TYPE]["schema"]["properties"]["_error"]
    assert schema["properties"]["statusCode"]["const"] == status
    return set(schema["properties"]["type"]["enum"])


def test_errors_are_hal_with_the_types_consents_answers(document: dict[str, Any]) -> None:
    assert _types(document, "/consents/givenConsents", "post", 409) == {
        "consentTransitionNotAllowed",
        "concurrentModification",
    }
    assert _types(document, "/consents/givenConsents", "post", 412) == {"preconditionFailed"}
    assert _types(document, "/consents/givenConsents", "post", 422) == {"invalidQueryParameterValue"}
    assert {"malformedQueryParameter", "invalidConsentParameter"} <= _types(
        document, "/consents/givenConsents", "post", 400
    )
    assert _types(document, "/consents/consents/{consent_id}", "get", 404) == {
        "consentNotFound",
        "notFound",
        "routeNotFound",
    }
    assert _types(document, "/consents/consents", "get", 401) == {
        "invalidClientKey",
        "invalidToken",
        "sessionRevoked",
    }
    assert {"validationError", "malformedJson", "unknownConsentType"} <= _types(
        document, "/consents/consents", "post", 400
    )
    assert _types(document, "/consents/consentTypeNames", "put", 403) == {"permissionDenied"}
    assert _types(document, "/consents/consentTypeNames", "put", 409) == {"consentTypeInUse"}
    assert _types(document, "/consents/consentTypeNames", "put", 415) == {"unsupportedMediaType"}
    assert _types(document, "/consents/", "get", 429) == {"tooManyRequests"}


RAISED: list[ConsentsError] = [
    ConsentNotFound("nope"),
    UnknownConsentParameter("nope"),
    ConcurrentModification(str(uuid.uuid4())),
    TransitionNotAllowed("No."),
    ConsentTypeInUse("In use.", attributes={"types": ["x"]}),
    UnknownConsentType("Unknown."),
    InvalidConsentTypeNames("Bad.", errors=[ConsentsError("'1' is not a valid type name.")] * 2),
    FilterSyntaxError("unexpected ')'", position=3, expression="eq()"),
    MalformedQuery("Empty."),
    InvalidQueryValue("Out of range."),
    PreconditionFailed("Changed."),
]


@pytest.mark.parametrize("error", RAISED, ids=lambda error: type(error).__name__)
def test_a_rendered_consents_error_matches_its_schema(error: ConsentsError) -> None:
    response = render_consents_error(error)
    assert response.media_type == HAL_MEDIA_TYPE
    schema = HAL_ERRORS.schema(error.status, [error.error_type])
    _validator({"components": {}}, dict(schema)).validate(orjson.loads(response.body))


@pytest.mark.parametrize(
    "error",
    [
        e.ValidationFailed("Bad.", fields={"type": "required", "userId": "required"}),
        e.ValidationFailed("The request body is not valid JSON.", code="eMalformedJson"),
        e.PermissionDenied("No."),
        e.PayloadTooLarge(),
        e.UnsupportedMediaType(),
        e.TooManyRequests(),
        e.ServiceUnavailable(),
        e.InvalidClientKey(),
        InvalidToken(),
    ],
    ids=lambda error: error.code,
)
def test_a_rendered_shared_error_matches_its_schema(error: e.ProximityError) -> None:
    response = render_proximity_error(error)
    schema = HAL_ERRORS.schema(error.status, [error.code])
    _validator({"components": {}}, dict(schema)).validate(orjson.loads(response.body))


def test_another_type_or_status_does_not_match() -> None:
    body = orjson.loads(render_consents_error(PreconditionFailed("Changed.")).body)
    assert not _validator({"components": {}}, dict(HAL_ERRORS.schema(412, ["eConflict"]))).is_valid(body)
    assert not _validator({"components": {}}, dict(HAL_ERRORS.schema(409, ["preconditionFailed"]))).is_valid(
        body
    )


def _with_uuid(state: ConsentState) -> Any:
    consent = make(state)
    return dataclasses.replace(consent, id=str(uuid.uuid4()))


@pytest.mark.parametrize("state", list(ConsentState))
def test_a_consent_with_its_history_matches_the_consent_schema(
    document: dict[str, Any], state: ConsentState
) -> None:
    consent = _with_uuid(state)
    history = list(make(state).history)
    others = [_with_uuid(ConsentState.GIVEN)]
    body = consent_body(consent, history=history, embedded={"consents": [consent_body(o) for o in others]})
    schema = _answer_schema(document, "/consents/consents/{consent_id}", "get", 200)
    _validator(document, schema).validate(_json(body))


def test_a_consent_without_context_revision_or_links_matches(document: dict[str, Any]) -> None:
    consent = _with_uuid(ConsentState.RESCINDED)
    consent = dataclasses.replace(
        consent, context_uri=None, document=dataclasses.replace(consent.document, revision_id=None)
    )
    schema = _answer_schema(document, "/consents/givenConsents", "post", 200)
    _validator(document, schema).validate(_json(consent_body(consent)))


def test_a_collection_matches_the_consents_schema(document: dict[str, Any]) -> None:
    items = [_with_uuid(state) for state in ConsentState]
    url = URL("http://consents/consents/consents?state=given&start=5&limit=5")
    body = collection_body(items, url=url, start=5, limit=5, count=20)
    assert {"prev", "next"} <= set(body["_links"])
    for path, method in (
        ("/consents/consents", "get"),
        ("/consents/neededConsents", "get"),
        ("/consents/rescindedConsents", "post"),
    ):
        _validator(document, _answer_schema(document, path, method, 200)).validate(_json(body))
    empty = collection_body([], url=url, start=0, limit=1, count=0)
    _validator(document, _answer_schema(document, "/consents/consents", "get", 200)).validate(_json(empty))


def test_the_type_names_match_their_schema(document: dict[str, Any]) -> None:
    body = type_names._body(DEFAULT_TYPE_NAMES)
    for method in ("get", "put"):
        schema = _answer_schema(document, "/consents/consentTypeNames", method, 200)
        _validator(document, schema).validate(_json(body))


def test_a_consent_id_that_is_not_a_uuid_would_not_match(document: dict[str, Any]) -> None:
    body = _json(consent_body(make()))  # the builders' ids are not UUIDs; the service's always are
    schema = _answer_schema(document, "/consents/consents/{consent_id}", "get", 200)
    assert not _validator(document, schema).is_valid(body)


async def test_the_root_matches_its_schema(document: dict[str, Any]) -> None:
    request = Request(
        {"type": "http", "method": "GET", "path": "/consents/", "headers": [], "query_string": b""}
    )
    response = await root.get_api(request)
    assert response.media_type == HAL_MEDIA_TYPE
    for path in ("/consents/", "/consents"):
        _validator(document, _answer_schema(document, path, "get", 200)).validate(orjson.loads(response.body))
