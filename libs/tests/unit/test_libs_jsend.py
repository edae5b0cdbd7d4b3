"""Seed 003's JSend shape: answers, errors rendered and re-rendered, and the document of an
operation whose errors are JSend in a service whose others are seed 004's."""

from __future__ import annotations

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from proximity.errors import NotFound, PayloadTooLarge, ServiceUnavailable, ValidationFailed
from proximity.http import errors as envelope
from proximity.http.jsend import JSEND_ERRORS, in_jsend_api, jsend_schema, render, reshaped, success
from proximity.openapi.document import openapi_document
from proximity.openapi.operation import bare, documented, one


class ThingNotFound(NotFound):
    code = "eThingNotFound"


def body(response: Response) -> object:
    return orjson.loads(bytes(response.body))


def test_only_paths_under_api_v1_are_jsend() -> None:
    assert in_jsend_api("/api/v1")
    assert in_jsend_api("/api/v1/assets")
    assert not in_jsend_api("/api/v10/assets")
    assert not in_jsend_api("/assets")


def test_answers_and_errors() -> None:
    assert body(success({"asset": {"id": 1}})) == {"status": "success", "data": {"asset": {"id": 1}}}
    missing = render(ThingNotFound())
    assert missing.status_code == 404  # seed 003 is resource-shaped: not seed 004's 400
    assert body(missing) == {
        "status": "fail",
        "data": {"code": "eThingNotFound", "message": ThingNotFound.message},
    }
    invalid = render(ValidationFailed("page: too big", fields={"page": "too big"}))
    assert body(invalid) == {
        "status": "fail",
        "data": {"code": "eValidationError", "message": "page: too big", "fields": {"page": "too big"}},
    }
    down = render(ServiceUnavailable())
    assert down.status_code == 503
    assert body(down)["status"] == "error"  # type: ignore[index]


def test_the_shared_envelope_is_reshaped_keeping_status_and_headers() -> None:
    shared = envelope.render(PayloadTooLarge(), headers={"Connection": "close"})
    again = reshaped(shared)
    assert again.status_code == 413
    assert again.headers["connection"] == "close"
    assert body(again) == {
        "status": "fail",
        "data": {"code": "ePayloadTooLarge", "message": PayloadTooLarge.message},
    }
    assert reshaped(again) is again  # already JSend: as it is


@documented(
    "A legacy thing",
    answers=bare(jsend_schema({"thing": {"type": "object"}})),
    errors=((404, ThingNotFound.code),),
    error_style=JSEND_ERRORS,
)
async def legacy(request: Request) -> Response:
    return success({"thing": {}})


@documented("A thing", answers=one({"type": "object"}), errors=(ThingNotFound,))
async def modern(request: Request) -> Response:
    return success({})


def test_an_operation_can_have_its_own_error_shape() -> None:
    document = openapi_document(
        [Route("/api/v1/things/{id}", legacy), Route("/things/{id}", modern)], title="t", version="1"
    )
    legacy_404 = document["paths"]["/api/v1/things/{id}"]["get"]["responses"]["404"]["content"]
    schema = legacy_404["application/json"]["schema"]
    assert schema["properties"]["status"] == {"type": "string", "const": "fail"}
    assert "eThingNotFound" in schema["properties"]["data"]["properties"]["code"]["enum"]
    modern_400 = document["paths"]["/things/{id}"]["get"]["responses"]["400"]["content"]
    assert "errors" in modern_400["application/json"]["schema"]["properties"]
