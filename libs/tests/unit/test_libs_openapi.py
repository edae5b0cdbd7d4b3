"""The API document is generated from route declarations, and refuses undeclared routes."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from openapi_spec_validator import validate
from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from proximity.errors import NotFound
from proximity.openapi.document import UndocumentedRoutes, openapi_document
from proximity.openapi.envelopes import list_parameters
from proximity.openapi.operation import BatchBody, batch, created, documented, empty, many, one


class WidgetIn(BaseModel):
    name: str = Field(min_length=1, max_length=20)


class WidgetOut(BaseModel):
    id: uuid.UUID
    name: str


class WidgetPatch(BaseModel):
    id: uuid.UUID
    name: str | None = None


class WidgetNotFound(NotFound):
    code = "eWidgetNotFound"


@documented(
    "List widgets",
    answers=many(WidgetOut),
    params=list_parameters(sortable=("name",), includes=("stats",)),
    permission="widgets.view",
)
async def list_widgets(request: Request) -> Response:
    raise NotImplementedError


@documented("Create a widget", answers=created(WidgetOut), body=WidgetIn)
async def create_widget(request: Request) -> Response:
    raise NotImplementedError


@documented("Get a widget", answers=one(WidgetOut), errors=[WidgetNotFound])
async def get_widget(request: Request) -> Response:
    raise NotImplementedError


@documented("Delete a widget", answers=empty(), errors=[WidgetNotFound])
async def delete_widget(request: Request) -> Response:
    raise NotImplementedError


@documented("Change widgets", answers=batch(WidgetOut), body=BatchBody(WidgetPatch, 100))
async def patch_widgets(request: Request) -> Response:
    raise NotImplementedError


async def undeclared(request: Request) -> Response:
    raise NotImplementedError


ROUTES = [
    Route("/widgets", list_widgets, methods=["GET"]),
    Route("/widgets", create_widget, methods=["POST"]),
    Route("/widgets", patch_widgets, methods=["PATCH"]),
    Route("/widgets/{id}", get_widget, methods=["GET"]),
    Route("/widgets/{id:str}", delete_widget, methods=["DELETE"]),
]


def _document() -> dict[str, Any]:
    return openapi_document(ROUTES, title="Widgets", version="1")


def test_the_document_is_valid_openapi_3_1() -> None:
    document = _document()
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_route_and_method_is_in_the_document_and_nothing_else() -> None:
    paths = _document()["paths"]
    assert {(p, m) for p, ops in paths.items() for m in ops} == {
        ("/widgets", "get"),
        ("/widgets", "post"),
        ("/widgets", "patch"),
        ("/widgets/{id}", "get"),
        ("/widgets/{id}", "delete"),
    }


def test_an_undeclared_route_is_named() -> None:
    with pytest.raises(UndocumentedRoutes) as raised:
        openapi_document(
            [*ROUTES, Route("/gadgets/{id}", undeclared, methods=["PUT"])], title="t", version="1"
        )
    assert raised.value.missing == ["PUT /gadgets/{id}"]


def test_bodies_and_answers_come_from_the_models() -> None:
    document = _document()
    post = document["paths"]["/widgets"]["post"]
    body_ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = document["components"]["schemas"][body_ref.rsplit("/", 1)[1]]
    assert body["properties"]["name"]["maxLength"] == 20
    answer = post["responses"]["201"]["content"]["application/json"]["schema"]
    assert answer["required"] == ["data", "warnings"]
    rows = document["paths"]["/widgets"]["patch"]["requestBody"]["content"]["application/json"]["schema"]
    assert rows["properties"]["data"]["maxItems"] == 100


def test_errors_list_the_codes_of_each_status() -> None:
    responses = _document()["paths"]["/widgets/{id}"]["get"]["responses"]
    codes = responses["400"]["content"]["application/json"]["schema"]["properties"]["errors"]["items"]
    assert set(codes["properties"]["code"]["enum"]) == {
        "eValidationError",
        "eMalformedRequest",
        "eWidgetNotFound",
    }
    unauthorised = responses["401"]["content"]["application/json"]["schema"]["properties"]["errors"]["items"]
    assert set(unauthorised["properties"]["code"]["enum"]) == {
        "eInvalidClientKey",
        "eInvalidToken",
        "eSessionRevoked",
    }
    assert "415" not in responses  # no body, so no media type to refuse
    post = _document()["paths"]["/widgets"]["post"]["responses"]
    assert {"400", "401", "408", "413", "415", "429", "503"} <= set(post)


def test_lists_document_their_parameters_and_headers() -> None:
    get = _document()["paths"]["/widgets"]["get"]
    names = {p["name"] for p in get["parameters"]}
    assert names == {"ids[]", "keywords", "sort", "page", "per_page", "include[]"}
    assert set(get["responses"]["200"]["headers"]) == {"X-Total-Count", "Link"}
    assert get["x-permission"] == "widgets.view"
    assert "403" in get["responses"]


def test_path_ids_are_uuids() -> None:
    get = _document()["paths"]["/widgets/{id}"]["get"]
    assert get["parameters"] == [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
    ]
