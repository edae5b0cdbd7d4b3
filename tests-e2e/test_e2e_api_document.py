"""The gateway's ``/openapi.json`` and ``/docs``, as a front-end developer meets them."""

from __future__ import annotations

import csv
import re
from typing import Any

import httpx
import pytest
from openapi_spec_validator import validate

from e2e_stack import REPO
from gateway.routing import DEFAULT_PUBLIC

CATALOGUE = REPO / "docs" / "endpoints.tsv"
RUNNING = {"identity", "assets", "contracts", "iam", "consents", "heatmaps"}  # the contexts the stack starts


def _document(gateway: httpx.Client) -> dict[str, Any]:
    answer = gateway.get("/openapi.json")  # no client key: public like /health
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    document: dict[str, Any] = answer.json()
    return document


def _catalogued(contexts: set[str]) -> set[tuple[str, str]]:
    with CATALOGUE.open() as rows:
        return {
            (row["method"].lower(), re.sub(r"{[^}]+}", "{}", row["path"]))
            for row in csv.DictReader(rows, delimiter="\t")
            if row["context"] in contexts and row["seed"].startswith(("004", "001"))
        }


def _documented(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (method, re.sub(r"{[^}]+}", "{}", path))
        for path, item in document["paths"].items()
        for method in item
    }


def test_the_document_is_valid_openapi_3_1(gateway: httpx.Client) -> None:
    document = _document(gateway)
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_catalogued_operation_of_the_running_services_is_documented(gateway: httpx.Client) -> None:
    missing = _catalogued(RUNNING) - _documented(_document(gateway))
    assert not missing, sorted(missing)


def test_nothing_internal_is_documented(gateway: httpx.Client) -> None:
    document = _document(gateway)
    paths = set(document["paths"])
    assert not {p for p in paths if p.startswith("/internal")}
    assert not paths & {"/health", "/ready", "/metrics", "/{path}"}
    for item in document["paths"].values():
        for operation in item.values():
            assert not operation.get("x-internal")


@pytest.mark.parametrize(
    ("path", "method"),
    [("/parties", "post"), ("/auth/login", "post"), ("/consents/consents", "post"), ("/assets", "post")],
)
def test_request_bodies_are_documented(gateway: httpx.Client, path: str, method: str) -> None:
    operation = _document(gateway)["paths"][path][method]
    assert operation["requestBody"]["content"], operation


def test_the_docs_page_loads_everything_from_the_gateway(gateway: httpx.Client) -> None:
    page = gateway.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources
    assert all(s.startswith("/docs/") for s in sources), sources  # no CDN
    for source in sources:
        asset = gateway.get(source)
        assert asset.status_code == 200, source
        assert asset.content
    assert '"/openapi.json"' in gateway.get("/docs/initializer.js").text
    assert gateway.get("/docs/index.j2").status_code == 404  # only the page's own files


def test_the_gateway_asks_a_token_exactly_where_the_document_does(gateway: httpx.Client) -> None:
    """The gateway's list of public routes and the services' declarations cannot drift apart."""
    document = _document(gateway)
    declared_public = {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if operation["security"] and "AccessToken" not in operation["security"][0]
    }
    assert declared_public == set(DEFAULT_PUBLIC)
