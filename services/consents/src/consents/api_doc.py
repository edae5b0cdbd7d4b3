"""This service's OpenAPI 3.0 document (``GET /consents/apiDoc``): seed 001's 12 operations."""

from __future__ import annotations

from functools import cache
from typing import Any

_HAL = "application/hal+json"


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _answer(description: str, schema: str | None = None, *, etag: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {"description": description}
    if schema:
        body["content"] = {_HAL: {"schema": _ref(schema)}}
    if etag:
        body["headers"] = {"ETag": {"schema": {"type": "string"}}}
    return body


def _errors(*statuses: int) -> dict[str, Any]:
    text = {
        400: "Bad Request: malformed body or query parameters.",
        401: "The access token is missing, invalid or expired.",
        403: "The caller may not do this.",
        404: "Not Found.",
        409: "Conflict: the transition or change is not allowed.",
        412: "Precondition Failed: If-Match does not match the current ETag.",
        422: "Unprocessable Entity: well-formed but invalid query values.",
    }
    return {str(s): _answer(text[s], "errorResponse") for s in statuses}


def _query(name: str, description: str, *, required: bool = False, **schema: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": {"type": "string", **schema},
    }


def _header(name: str) -> dict[str, Any]:
    return {"name": name, "in": "header", "required": False, "schema": {"type": "string"}}


_LIST_PARAMS = [
    _query("type", "Types, separated by |."),
    _query("state", "States (pending, given, stale, rescinded, revoked), separated by |."),
    _query("userId", "User (party) ids, separated by |; administrators only see others'."),
    _query("contextUri", "Context URIs, separated by |."),
    _query("start", "Zero-based index of the first item.", type="integer"),
    _query("limit", "Maximum number of items in the page.", type="integer"),
    _query("sortBy", "Sort fields, e.g. type,-givenAt."),
    _query("filter", "E.g. and(eq(state,given),in(type,privacyPolicy|electronicConsent))."),
    _query("q", "Text searched in type, document URI, context URI, user id and revision id."),
]
_CONSENT_PARAM = _query("consent", "The consent's _id or the URI of its self link.", required=True)


def _operations() -> dict[str, Any]:
    return {
        "/": {"get": {"operationId": "getApi", "responses": {"200": _answer("API root.", "root")}}},
        "/apiDoc": {
            "get": {"operationId": "getApiDoc", "responses": {"200": {"description": "This document."}}}
        },
        "/consents": {
            "get": {
                "operationId": "getConsents",
                "parameters": _LIST_PARAMS,
                "responses": {"200": _answer("A page of consents.", "consents"), **_errors(400, 401, 422)},
            },
            "post": {
                "operationId": "createConsent",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("createConsent")}},
                },
                "responses": {
                    "200": _answer(
                        "An existing consent for the user, type, document and context.", "consent", etag=True
                    ),
                    "201": _answer("Created; Location names it.", "consent", etag=True),
                    **_errors(400, 401, 403),
                },
            },
        },
        "/consents/{consentId}": {
            "get": {
                "operationId": "getConsent",
                "parameters": [
                    {"name": "consentId", "in": "path", "required": True, "schema": {"type": "string"}},
                    _header("If-None-Match"),
                ],
                "responses": {
                    "200": _answer("The consent, its history embedded.", "consent", etag=True),
                    "304": {"description": "Not Modified."},
                    **_errors(401, 404),
                },
            }
        },
        "/neededConsents": {
            "get": {
                "operationId": "getNeededConsents",
                "parameters": [
                    _query("userId", "Administrators and services: whose needed consents."),
                    _query("start", "Zero-based index of the first item.", type="integer"),
                    _query("limit", "Maximum number of items.", type="integer"),
                ],
                "responses": {
                    "200": _answer("Pending and stale consents.", "consents"),
                    **_errors(400, 401, 403, 422),
                },
            }
        },
        "/revisedDocuments": {
            "post": {
                "operationId": "reviseDocument",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("revisedDocument")}},
                },
                "responses": {
                    "202": _answer("Accepted.", "revisedDocument"),
                    **_errors(400, 401, 403, 409, 412),
                },
            }
        },
        "/givenConsents": {
            "post": {
                "operationId": "giveConsent",
                "parameters": [
                    _CONSENT_PARAM,
                    _query("scope", "instance or matching (default).", enum=["instance", "matching"]),
                    _header("If-Match"),
                ],
                "responses": {
                    "200": _answer("Given.", "consent", etag=True),
                    **_errors(400, 401, 409, 412, 422),
                },
            }
        },
        "/revokedConsents": {
            "post": {
                "operationId": "revokeConsent",
                "parameters": [_CONSENT_PARAM, _header("If-Match")],
                "responses": {
                    "200": _answer("Revoked.", "consent", etag=True),
                    **_errors(400, 401, 409, 412),
                },
            }
        },
        "/rescindedConsents": {
            "post": {
                "operationId": "rescindConsents",
                "parameters": [
                    _query("type", "Consent type (required unless consent is given).", required=False),
                    _query("context", "Context URI; omitted: consents without a context."),
                    _query("user", "User (party) id (required unless consent is given).", required=False),
                    _query("document", "Document URI; must match too when given."),
                    _query("consent", "Instead of the above: rescind only this consent (its link)."),
                    _header("If-Match"),
                ],
                "responses": {
                    "200": _answer("The rescinded consents.", "consents"),
                    **_errors(400, 401, 403, 409, 412),
                },
            }
        },
        "/consentTypeNames": {
            "get": {
                "operationId": "getConsentTypeNames",
                "responses": {
                    "200": _answer("The type names.", "consentTypeNames", etag=True),
                    **_errors(401),
                },
            },
            "put": {
                "operationId": "updateConsentTypeNames",
                "parameters": [_header("If-Match")],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("consentTypeNames")}},
                },
                "responses": {
                    "200": _answer("Replaced.", "consentTypeNames", etag=True),
                    **_errors(400, 401, 403, 409, 412),
                },
            },
        },
    }


def _schemas() -> dict[str, Any]:
    text, stamp = {"type": "string"}, {"type": "string", "format": "date-time"}
    document = {
        "type": "object",
        "required": ["uri", "contentType", "revisedAt"],
        "properties": {"uri": text, "contentType": text, "revisionId": text, "revisedAt": stamp},
    }
    states = {"type": "string", "enum": ["pending", "given", "stale", "rescinded", "revoked"]}
    consent = {
        "type": "object",
        "properties": {
            "_id": text,
            "_profile": text,
            "_links": {"type": "object"},
            "_embedded": {"type": "object"},
            "document": document,
            "type": text,
            "userId": text,
            "contextUri": text,
            "state": states,
            "givenAt": stamp,
            "requestRevokedAt": stamp,
            "requestRescindedAt": stamp,
        },
    }
    error = {
        "type": "object",
        "required": ["message"],
        "properties": {
            "_id": text,
            "message": text,
            "statusCode": {"type": "integer"},
            "type": text,
            "occurredAt": stamp,
            "remediation": text,
            "attributes": {"type": "object"},
            "errors": {"type": "array", "items": {"type": "object"}},
        },
    }
    labels = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "object"}}}
    return {
        "root": {
            "type": "object",
            "properties": {"_id": text, "name": text, "apiVersion": text, "_links": {"type": "object"}},
        },
        "document": document,
        "consent": consent,
        "summaryConsent": consent,
        "createConsent": {
            "type": "object",
            "required": ["document", "type", "userId"],
            "properties": {"document": document, "type": text, "userId": text, "contextUri": text},
        },
        "consents": {
            "type": "object",
            "properties": {
                "start": {"type": "integer"},
                "limit": {"type": "integer"},
                "count": {"type": "integer"},
                "name": text,
                "_links": {"type": "object"},
                "_embedded": {
                    "type": "object",
                    "properties": {"items": {"type": "array", "items": _ref("summaryConsent")}},
                },
            },
        },
        "revisedDocument": {
            "type": "object",
            "required": ["uri", "revisedAt", "type"],
            "properties": {
                "uri": text,
                "revisionId": text,
                "revisedAt": stamp,
                "type": text,
                "contextUri": text,
                "newUri": text,
                "contentType": text,
            },
        },
        "consentTypeNames": {"type": "object", "required": ["names"], "properties": {"names": labels}},
        "errorResponse": {"type": "object", "properties": {"_profile": text, "_error": error}},
    }


@cache
def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Consents",
            "version": "0.2.4",
            "description": "Users' consents to policy documents.",
        },
        "servers": [{"url": "/consents"}],
        "paths": _operations(),
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {"accessToken": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
        "security": [{"accessToken": []}],
    }
