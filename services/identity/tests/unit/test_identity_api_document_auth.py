"""The API document of identity's auth, second-factor, key, internal, client, account, config
and template routes: valid OpenAPI 3.1, every route in it, and request schemas that accept
exactly the bodies the routes accept."""

from __future__ import annotations

import typing
from types import ModuleType
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from pydantic import BaseModel, ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from starlette.routing import BaseRoute, Route

from identity.domain.second_factor import METHODS
from identity.routes import (
    account,
    auth,
    client_credentials,
    clients,
    config,
    guest_login,
    internal,
    keys,
    password_reset,
    second_factors,
    templates,
)
from identity.schemas.account import AccountWrite
from identity.schemas.auth import LoginRequest, SecondFactorMethod
from identity.schemas.second_factors import TotpDisable
from proximity.openapi.document import openapi_document

MODULES: tuple[ModuleType, ...] = (
    auth,
    second_factors,
    password_reset,
    guest_login,
    keys,
    internal,
    client_credentials,
    clients,
    account,
    config,
    templates,
)
DOCUMENT_URI = "urn:identity:openapi"
PUBLIC = {
    ("/auth/login", "post"),
    ("/auth/refresh", "post"),
    ("/auth/login/second-factor", "post"),
    ("/auth/reset-password", "post"),
    ("/auth/reset-password", "put"),
    ("/auth2/guests/initiate", "post"),
    ("/auth2/guests/confirm", "post"),
    ("/.well-known/jwks.json", "get"),
}


def _routes() -> list[BaseRoute]:
    found: list[BaseRoute] = [route for module in MODULES for route in module.routes]
    return found


def _document() -> dict[str, Any]:
    return openapi_document(_routes(), title="identity", version="1")


def _operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(path, method): op for path, ops in document["paths"].items() for method, op in ops.items()}


def test_the_document_is_valid_openapi_3_1() -> None:
    validate(_document())


def test_every_route_of_these_modules_is_in_the_document() -> None:
    expected = {
        (route.path, method.lower())
        for route in _routes()
        if isinstance(route, Route)
        for method in route.methods or ()
        if method != "HEAD"
    }
    assert len(expected) == 30
    assert set(_operations(_document())) == expected


def test_internal_routes_are_marked_and_public_ones_need_no_token() -> None:
    for (path, method), operation in _operations(_document()).items():
        assert operation.get("x-internal", False) == path.startswith("/internal/"), path
        tokenless = (path, method) in PUBLIC or path.startswith("/internal/")
        assert (operation["security"] == [{"ClientKey": []}]) == tokenless, (path, method)


def test_the_second_factor_methods_are_the_domain_s() -> None:
    assert set(typing.get_args(SecondFactorMethod)) == set(METHODS)


def _body_validator(document: dict[str, Any], model: type[BaseModel]) -> Draft202012Validator:
    # The document's own "#/components/..." refs resolve against it under this name.
    registry: Registry[Any] = Registry().with_resource(DOCUMENT_URI, DRAFT202012.create_resource(document))
    schema = {"$ref": f"{DOCUMENT_URI}#/components/schemas/{model.__name__}"}
    return Draft202012Validator(schema, registry=registry)


@pytest.mark.parametrize(
    ("model", "body"),
    [
        (LoginRequest, {"email": "a@example.com", "password": "p"}),
        (LoginRequest, {"desktop_id": "d", "password": "p"}),
        (LoginRequest, {"email": None, "desktop_id": "d", "password": "p"}),
        (LoginRequest, {"email": "", "desktop_id": "d", "password": "p"}),
        (LoginRequest, {"email": "", "password": "p"}),
        (LoginRequest, {"email": None, "password": "p"}),
        (LoginRequest, {"password": "p"}),
        (TotpDisable, {"code": "123456"}),
        (TotpDisable, {"password": "p"}),
        (TotpDisable, {"code": "123456", "password": None}),
        (TotpDisable, {"code": None, "password": "p"}),
        (TotpDisable, {"code": "123456", "password": "p"}),
        (TotpDisable, {"code": None, "password": None}),
        (TotpDisable, {}),
        (AccountWrite, {"name": "New"}),
        (AccountWrite, {"data": {"type": "account", "attributes": {"name": "New"}}}),
        (AccountWrite, {"name": "New", "data": None}),
        (AccountWrite, {"name": None, "data": {"attributes": {"name": "New"}}}),
        (AccountWrite, {"name": "New", "data": {"attributes": {"name": "New"}}}),
        (AccountWrite, {"name": None}),
        (AccountWrite, {}),
    ],
)
def test_request_schemas_accept_what_the_models_accept(model: type[BaseModel], body: dict[str, Any]) -> None:
    """The models' cross-field validators are written into their schemas by hand: the two agree."""
    try:
        model.model_validate(body)
        accepted = True
    except ValidationError:
        accepted = False
    assert _body_validator(_document(), model).is_valid(body) == accepted
