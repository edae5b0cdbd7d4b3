"""Zero trust inside: identity and consents, called on their own ports (bypassing the gateway),
refuse what the gateway refuses. A token after a logout through the gateway: identity at once
(it owns sessions), consents as soon as identity's ``identity.session.revoked`` reaches it. A
token with another tenant's client key, or with none."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest

from e2e_stack import DEMO_KEY, Stack, admin_token
from test_e2e_login import identity_database

KEY = {"X-Client-Key": DEMO_KEY}
CONSENTS = "/consents/consents"


@pytest.fixture
def identity(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.identity, timeout=30) as client:
        yield client


@pytest.fixture
def consents(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.urls["consents"], timeout=30) as client:
        yield client


def identity_code(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["code"])


def consents_type(response: httpx.Response) -> str:
    return str(response.json()["_error"]["type"])


def until_refused(client: httpx.Client, path: str, headers: dict[str, str]) -> httpx.Response:
    """Polls until the event has arrived; the bound only keeps a broken run from hanging."""
    give_up = time.monotonic() + 60
    while True:
        response = client.get(path, headers=headers)
        if response.status_code == 401 or time.monotonic() > give_up:
            return response
        time.sleep(0.05)


def test_after_a_logout_through_the_gateway_each_service_refuses_the_token(
    gateway: httpx.Client, identity: httpx.Client, consents: httpx.Client
) -> None:
    tokens = admin_token(gateway)
    auth = {**KEY, "Authorization": f"Bearer {tokens['access_token']}"}
    assert identity.get("/account", headers=auth).status_code == 200
    assert consents.get(CONSENTS, headers=auth).status_code == 200

    assert gateway.post("/auth/logout", headers=auth).status_code == 204

    refused = identity.get("/account", headers=auth)
    assert (refused.status_code, identity_code(refused)) == (401, "eSessionRevoked")
    refused = until_refused(consents, CONSENTS, auth)
    assert (refused.status_code, consents_type(refused)) == (401, "sessionRevoked")
    # Another session of the same user goes on, directly as through the gateway.
    fresh = {**KEY, "Authorization": admin_token(gateway)["access_token"]}
    assert consents.get(CONSENTS, headers=fresh).status_code == 200
    assert identity.get("/account", headers=fresh).status_code == 200


def test_called_directly_each_service_wants_a_key_of_the_tokens_tenant(
    gateway: httpx.Client, identity: httpx.Client, consents: httpx.Client, stack: Stack
) -> None:
    other_key = f"zero-trust-{uuid.uuid4().hex}"
    env = {**stack.env, "DEMO_CLIENT_KEY": other_key, "DEMO_TENANT_NAME": "Zero trust", "DEMO_DOMAIN_KEY": ""}
    env["DATABASE_URL"] = identity_database(stack)
    subprocess.run([sys.executable, "-m", "identity.seed"], env=env, check=True, capture_output=True)
    token = {"Authorization": f"Bearer {admin_token(gateway)['access_token']}"}

    checks: list[tuple[httpx.Client, str, Callable[[httpx.Response], str], str, str]] = [
        (identity, "/account", identity_code, "eInvalidClientKey", "eInvalidToken"),
        (consents, CONSENTS, consents_type, "invalidClientKey", "invalidToken"),
    ]
    for client, path, code_of, missing_key, foreign_key in checks:
        without = client.get(path, headers=token)
        assert (without.status_code, code_of(without)) == (401, missing_key), path
        foreign = client.get(path, headers={**token, "X-Client-Key": other_key})
        assert (foreign.status_code, code_of(foreign)) == (401, foreign_key), path
        assert client.get(path, headers={**token, **KEY}).status_code == 200, path
