"""Contract fuzzing: schemathesis generates requests from the gateway's ``/openapi.json`` and
sends them through the gateway to the real services, with a real client key and token.

Fails on any 5xx and on any answer the document does not describe (status, content type,
headers, body). Bounded and repeatable: a fixed number of examples per operation, generated
deterministically (``derandomize``), so a failure seen once is seen on every run.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from assets.app import create_app as assets_app
from consents.app import create_app as consents_app
from contracts.app import create_app as contracts_app
from e2e_stack import Stack, admin_token
from gateway.api_document import merged
from gateway.app import create_app as gateway_app
from heatmaps.app import create_app as heatmaps_app
from iam.app import create_app as iam_app
from identity.app import create_app as identity_app

EXAMPLES_PER_OPERATION = 25
# Operations that would end the fuzzer's own session or shut its caller out; each is
# exercised by its own end-to-end test instead.
SPARED = {("POST", "/auth/logout")}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="session")
def fuzzing_headers(stack: Stack) -> dict[str, str]:
    """A client key of the fuzzer's own (its own rate budget) and a system admin's token."""
    with httpx.Client(base_url=stack.gateway, timeout=30) as gateway:
        token = admin_token(gateway)["access_token"]
        answer = gateway.post(
            "/clients",
            headers={"X-Client-Key": "dev-client-key", "Authorization": token},
            json={"name": "contract fuzzing"},
        )
        assert answer.status_code == 201, answer.text
        return {"X-Client-Key": answer.json()["data"]["key"], "Authorization": token}


def public_document() -> dict[str, Any]:
    """What the gateway serves at /openapi.json, built from the services' code: the tests are
    generated when pytest collects them, before the stack runs (and one test below checks that
    the running gateway serves exactly this)."""
    services = {
        "identity": identity_app().state.openapi,
        "assets": assets_app().state.openapi,
        "contracts": contracts_app().state.openapi,
        "iam": iam_app().state.openapi,
        "consents": consents_app().state.openapi,
        "heatmaps": heatmaps_app().state.openapi,
    }
    return merged(gateway_app().state.gateway_document, services)


DOCUMENT = public_document()
schema = schemathesis.openapi.from_dict(DOCUMENT)


def test_the_gateway_serves_the_document_that_is_fuzzed(stack: Stack) -> None:
    assert httpx.get(f"{stack.gateway}/openapi.json", timeout=30).json() == DOCUMENT


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_every_operation_answers_as_documented(
    case: Any, stack: Stack, fuzzing_headers: dict[str, str]
) -> None:
    if (case.method.upper(), case.path) in SPARED:
        pytest.skip("ends the fuzzer's own session; covered by its own test")
    case.call_and_validate(base_url=stack.gateway, headers=fuzzing_headers, checks=CHECKS, timeout=30)
