"""A service's OpenAPI 3.1 document, generated from its routes' declarations and models.

Every route must be declared (``@documented``): one that is not raises ``UndocumentedRoutes``
when the document is built, and the document lists only routes that exist, so the two cannot
disagree. Errors every operation can meet (a bad client key or token, a malformed body, rate
limits, an unavailable service) are added here once instead of on every route.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from starlette.routing import BaseRoute, Route

from proximity import errors as e
from proximity.openapi.envelopes import SEED_004_ERRORS, ErrorStyle, enveloped
from proximity.openapi.operation import (
    UUID_SCHEMA,
    Answer,
    BatchBody,
    ErrorSpec,
    Operation,
    Param,
    Schema,
    operation_of,
)

OPENAPI_VERSION = "3.1.0"
SECURITY_SCHEMES = {
    "ClientKey": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Client-Key",
        "description": "The client key of the tenant's application.",
    },
    "AccessToken": {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "The access token from `POST /auth/login`, bare or as `Bearer <token>`.",
    },
}
HEADER_VALUE = r"^[\x21-\x7e]+( [\x21-\x7e]+)*$"
_PARAM = re.compile(r"{([^}:]+)(:[^}]+)?}")
Mode = Literal["validation", "serialization"]


class UndocumentedRoutes(Exception):
    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = list(missing)
        super().__init__("Routes without an API declaration: " + ", ".join(self.missing))


@dataclass(frozen=True, slots=True)
class DocumentedRoute:
    path: str  # as OpenAPI writes it: /parties/{id}
    method: str
    operation: Operation
    endpoint_name: str


def documented_routes(routes: Iterable[BaseRoute]) -> list[DocumentedRoute]:
    found: list[DocumentedRoute] = []
    missing: list[str] = []
    for route in routes:
        if not isinstance(route, Route):
            missing.append(repr(route))
            continue
        for method in sorted(route.methods or ()):
            if method == "HEAD" and "GET" in (route.methods or ()):
                continue  # Starlette adds HEAD to every GET
            operation = operation_of(route.endpoint)
            if operation is None:
                missing.append(f"{method} {route.path}")
                continue
            found.append(
                DocumentedRoute(_PARAM.sub(r"{\1}", route.path), method, operation, route.endpoint.__name__)
            )
    if missing:
        raise UndocumentedRoutes(missing)
    return found


def _status_and_code(spec: ErrorSpec) -> tuple[int, str]:
    if isinstance(spec, tuple):
        return spec
    return spec.status, spec.code


def _common_errors(route: DocumentedRoute) -> list[tuple[int, str]]:
    operation = route.operation
    common = [
        (400, e.ValidationFailed.code),
        # What the server answers, before any app sees it, to a request that is not valid HTTP
        # (``proximity.http.server_protocol``): any operation can receive one.
        (400, "eMalformedRequest"),
        (429, e.TooManyRequests.code),
        (503, e.ServiceUnavailable.code),
    ]
    if not operation.anonymous:
        common.append((401, e.InvalidClientKey.code))
    if not operation.public:
        common += [(401, "eInvalidToken"), (401, e.SessionRevoked.code)]
    if operation.permission is not None:
        common.append((403, e.PermissionDenied.code))
    if operation.body is not None:
        common += [
            (400, "eMalformedJson"),
            (408, "eRequestTimeout"),
            (413, e.PayloadTooLarge.code),
            (415, e.UnsupportedMediaType.code),
        ]
    if "{" in route.path:
        # A path parameter holding an encoded '/' matches no route at all.
        common.append((404, e.RouteNotFound.code))
    return common


def _path_params(route: DocumentedRoute) -> list[Param]:
    declared = {p.name for p in route.operation.params if p.location == "path"}
    return [
        Param(name, "path", UUID_SCHEMA if name == "id" or name.endswith(("_id", "Id")) else {}, True)
        for name, _ in _PARAM.findall(route.path)
        if name not in declared
    ]


class _Models:
    """Every pydantic model the document names, turned into components in one pass so that
    shared sub-models appear once."""

    def __init__(self) -> None:
        self._wanted: list[tuple[type[BaseModel], Mode]] = []
        self._refs: dict[tuple[type[BaseModel], Mode], Schema] = {}
        self.components: dict[str, Any] = {}

    def want(self, model: type[BaseModel], mode: Mode) -> None:
        if (model, mode) not in self._wanted:
            self._wanted.append((model, mode))

    def build(self) -> None:
        if not self._wanted:
            return
        refs, schema = models_json_schema(self._wanted, ref_template="#/components/schemas/{model}")
        self._refs = {
            (model, mode): ref
            for (model, mode), ref in refs.items()
            if isinstance(model, type) and issubclass(model, BaseModel)
        }
        self.components = dict(schema.get("$defs", {}))

    def ref(self, model: type[BaseModel], mode: Mode) -> Schema:
        return self._refs[(model, mode)]


def _shape_schema(shape: object, models: _Models, mode: Mode) -> Schema:
    if isinstance(shape, type) and issubclass(shape, BaseModel):
        return models.ref(shape, mode)
    assert isinstance(shape, dict), f"not a model or a schema: {shape!r}"
    return shape


def _wanted_models(routes: Sequence[DocumentedRoute], models: _Models) -> None:
    for route in routes:
        body = route.operation.body
        if isinstance(body, BatchBody):
            models.want(body.row, "validation")
        elif isinstance(body, type):
            models.want(body, "validation")
        for answer in route.operation.answers:
            if isinstance(answer.shape, type):
                models.want(answer.shape, "serialization")


def _request_body(operation: Operation, models: _Models) -> dict[str, Any]:
    body = operation.body
    if isinstance(body, BatchBody):
        schema: Schema = {
            "type": "object",
            "required": ["data"],
            "properties": {
                "data": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": body.max_rows,
                    "items": models.ref(body.row, "validation"),
                }
            },
        }
    else:
        schema = _shape_schema(body, models, "validation")
    content: dict[str, Any] = {"schema": schema}
    if operation.body_example is not None:
        content["example"] = operation.body_example
    return {"required": True, "content": dict.fromkeys(operation.body_media_types, content)}


def _answer_object(answer: Answer, models: _Models) -> dict[str, Any]:
    described: dict[str, Any] = {"description": answer.description}
    if answer.headers:
        described["headers"] = {
            name: {"description": text, "schema": {"type": "string"}} for name, text in answer.headers.items()
        }
    if answer.envelope != "empty":
        data = _shape_schema(answer.shape, models, "serialization") if answer.shape is not None else {}
        content: dict[str, Any] = {"schema": enveloped(answer.envelope, data)}
        if answer.example is not None:
            content["example"] = answer.example
        described["content"] = {answer.media_type: content}
    return described


def _error_answers(route: DocumentedRoute, style: ErrorStyle) -> dict[str, Any]:
    by_status: dict[int, list[str]] = {}
    for status, code in [*_common_errors(route), *map(_status_and_code, route.operation.errors)]:
        by_status.setdefault(status, []).append(code)
    return {
        str(status): {
            "description": style.description(status, codes),
            "content": {style.media_type: {"schema": style.schema(status, codes)}},
        }
        for status, codes in sorted(by_status.items())
    }


def _parameter_object(param: Param) -> dict[str, Any]:
    schema = dict(param.schema)
    if param.location == "header" and schema.get("type") == "string":
        # What HTTP can carry in a field value (RFC 9110 5.5); anything else never reaches a
        # route, the server refuses the request as malformed first.
        schema.setdefault("pattern", HEADER_VALUE)
    described: dict[str, Any] = {
        "name": param.name,
        "in": param.location,
        "required": param.required,
        "schema": schema,
    }
    if param.description:
        described["description"] = param.description
    return described


def _security(operation: Operation) -> list[dict[str, list[str]]]:
    if operation.anonymous:
        return []
    if operation.public:
        return [{"ClientKey": []}]
    return [{"ClientKey": [], "AccessToken": []}]


def _operation_object(
    route: DocumentedRoute, models: _Models, style: ErrorStyle, operation_id: str
) -> dict[str, Any]:
    operation = route.operation
    tag = route.path.strip("/").split("/")[0] or "root"
    described: dict[str, Any] = {
        "operationId": operation_id,
        "summary": operation.summary,
        "tags": list(operation.tags) or [tag],
        "security": _security(operation),
    }
    if operation.description:
        described["description"] = operation.description
    params = [*_path_params(route), *operation.params]
    if params:
        described["parameters"] = [_parameter_object(p) for p in params]
    if operation.body is not None:
        described["requestBody"] = _request_body(operation, models)
    responses = {str(a.status): _answer_object(a, models) for a in operation.answers}
    responses.update(_error_answers(route, operation.error_style or style))
    described["responses"] = responses
    if operation.permission is not None:
        described["x-permission"] = operation.permission
    if operation.internal:
        described["x-internal"] = True
    return described


def _operation_ids(routes: Sequence[DocumentedRoute]) -> Iterator[str]:
    taken: set[str] = set()
    for route in routes:
        wanted = route.operation.operation_id or route.endpoint_name
        name = wanted if wanted not in taken else f"{wanted}_{route.method.lower()}"
        suffix = 2
        while name in taken:
            name, suffix = f"{wanted}_{suffix}", suffix + 1
        taken.add(name)
        yield name


def openapi_document(
    routes: Iterable[BaseRoute],
    *,
    title: str,
    version: str,
    description: str = "",
    errors: ErrorStyle = SEED_004_ERRORS,
) -> dict[str, Any]:
    """The whole document; raises ``UndocumentedRoutes`` naming every route not declared."""
    documented = documented_routes(routes)
    models = _Models()
    _wanted_models(documented, models)
    models.build()
    paths: dict[str, dict[str, Any]] = {}
    for route, operation_id in zip(documented, _operation_ids(documented), strict=True):
        paths.setdefault(route.path, {})[route.method.lower()] = _operation_object(
            route, models, errors, operation_id
        )
    info: dict[str, Any] = {"title": title, "version": version}
    if description:
        info["description"] = description
    return {
        "openapi": OPENAPI_VERSION,
        "info": info,
        "paths": paths,
        "components": {"schemas": models.components, "securitySchemes": SECURITY_SCHEMES},
    }
