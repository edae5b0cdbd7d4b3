"""Identity's whole document: every route of the app is declared (building the app would fail
otherwise), and what it serves at /openapi.json is valid OpenAPI 3.1."""

from __future__ import annotations

import re

from openapi_spec_validator import validate
from starlette.routing import Route

from identity.app import create_app


def test_every_route_of_the_app_is_in_the_document_and_nothing_else() -> None:
    app = create_app()
    document = app.state.openapi
    validate(document)
    routes = {
        (method.lower(), route.path)
        for route in app.routes
        if isinstance(route, Route)
        for method in route.methods or ()
        if method != "HEAD"
    }
    documented = {(method, path) for path, item in document["paths"].items() for method in item}
    # Starlette writes a converter into the path ({id:not_tilde}); the document does not.
    assert {(m, re.sub(r"{([^}:]+)(:[^}]+)?}", r"{\1}", p)) for m, p in routes} == documented
