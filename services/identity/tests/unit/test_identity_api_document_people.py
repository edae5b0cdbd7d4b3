"""The API document of the people routes (parties, party types and job titles, party users,
party skillsets, skillsets, favorites, settings, /users/me): complete, valid OpenAPI 3.1, its
examples accepted by its own request schemas, and its answers keyed as the views are."""

from __future__ import annotations

import re
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from starlette.routing import BaseRoute, Route

from identity.routes import (
    favorites,
    parties,
    party_skillsets,
    party_types,
    party_users,
    skillsets,
    user_settings,
    users,
)
from proximity.openapi.document import openapi_document

MODULES = (parties, party_types, party_users, party_skillsets, skillsets, favorites, user_settings, users)
ROUTES: list[BaseRoute] = [route for module in MODULES for route in module.routes]
METHODS = ("get", "put", "post", "patch", "delete")


def _document() -> dict[str, Any]:
    return openapi_document(ROUTES, title="identity (people)", version="1")


def _operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def _schema(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    # Refs are '#/components/schemas/...': resolve them against the document's components.
    return {**schema, "components": document["components"]}


def _component(document: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"][name]
    return found


def test_the_document_is_valid_openapi_3_1() -> None:
    validate(_document())


def test_every_route_of_the_modules_is_documented_once() -> None:
    declared = {
        (method, re.sub(r"{([^}:]+):[^}]+}", r"{\1}", route.path))  # converters are not shown
        for route in ROUTES
        if isinstance(route, Route)
        for method in route.methods or ()
        if method != "HEAD"
    }
    assert len(declared) == 24
    assert set(_operations(_document())) == declared


def test_operation_ids_are_unique() -> None:
    ids = [operation["operationId"] for operation in _operations(_document()).values()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("method", "path"),
    [
        (method, path)
        for (method, path), operation in _operations(_document()).items()
        if "requestBody" in operation
    ],
)
def test_body_examples_are_accepted_by_the_body_schema(method: str, path: str) -> None:
    document = _document()
    content = _operations(document)[(method, path)]["requestBody"]["content"]["application/json"]
    assert "example" in content, f"{method} {path} has no example"
    Draft202012Validator(_schema(document, content["schema"])).validate(content["example"])


def test_generated_keys_keep_their_underscores() -> None:
    document = _document()
    party = _component(document, "PartyDetailView")["properties"]
    assert {"__system_admin__", "__permissions__", "addresses", "profile", "counts"} <= set(party)
    assert "__system_admin__" in _component(document, "PartyDetailView")["required"]
    assert "__permissions__" not in _component(document, "PartyDetailView")["required"]
    assert "groups.user" in _component(document, "PartyCountsView")["properties"]
    assert "__permissions__" in _component(document, "SkillSetView")["properties"]
    assert "__permissions__" in _component(document, "PartyUserView")["properties"]


def test_keys_left_out_are_never_null() -> None:
    document = _document()
    counts = _component(document, "PartyDetailView")["properties"]["counts"]
    assert counts == {
        "$ref": "#/components/schemas/PartyCountsView",
        "description": "With `include[]=counts` only.",
        "title": "Counts",
    }
    stats = _component(document, "PartyView")["properties"]["stats"]
    assert stats["type"] == "array"


def test_lists_document_their_filters_and_sorts() -> None:
    operations = _operations(_document())
    parties_list = {p["name"]: p for p in operations[("GET", "/parties")]["parameters"]}
    assert {"group_id", "type_id", "skillset_id", "include[]", "ids[]", "sort"} <= set(parties_list)
    sort_pattern = parties_list["sort"]["schema"]["pattern"]
    assert re.fullmatch(sort_pattern, "-total_skillsets,+name")
    assert not re.fullmatch(sort_pattern, "-password")
    held = {p["name"] for p in operations[("GET", "/parties/~/skillsets")]["parameters"]}
    assert held == {"party_id", "skillset_id"}
    favorite = {p["name"]: p for p in operations[("GET", "/parties/{id}/favorites")]["parameters"]}
    assert favorite["type"]["schema"]["anyOf"][0]["enum"] == ["pin", "favorite"]
    # An empty value is no filter, and the document says so.
    assert {"type": "string", "enum": [""]} in parties_list["type_id"]["schema"]["anyOf"]


def _codes(operation: dict[str, Any], status: str) -> set[str]:
    schema = operation["responses"][status]["content"]["application/json"]["schema"]
    return set(schema["properties"]["errors"]["items"]["properties"]["code"]["enum"])


def test_each_route_declares_the_errors_its_use_case_raises() -> None:
    operations = _operations(_document())
    assert {"ePartyNotFound", "ePartyTypeNotFound", "eJobTitleNotFound", "eProfileKeyNotFound"} <= _codes(
        operations[("PUT", "/parties/{id}")], "400"
    )
    assert {"ePartyNotFound", "eIdentityNotValid", "eIdentityNotUnique"} <= _codes(
        operations[("PUT", "/parties/{id}/users")], "400"
    )
    assert {"ePartiesNotFound", "eAttemptSaveWithMissingSkillSets"} <= _codes(
        operations[("PUT", "/parties/~/skillsets")], "400"
    )
    settings = operations[("PATCH", "/parties/{id}/users/settings")]
    assert {"ePartyNotFound", "eUserNotFound", "eSettingKeyNotFound"} <= _codes(settings, "400")
    assert _codes(settings, "403") == {"ePermissionDenied"}  # another party's settings
    assert "eUserNotFound" in _codes(operations[("GET", "/users/me")], "400")
    assert "eSessionRevoked" in _codes(operations[("GET", "/users/me")], "401")
    for (method, _path), operation in operations.items():
        if method == "DELETE":
            assert set(operation["responses"]) >= {"204", "400", "401", "403"}
            assert "content" not in operation["responses"]["204"]
