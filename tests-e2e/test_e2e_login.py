"""Through the gateway, as a client app calls it: log in, read /users/me, refresh, log out."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid

import httpx

from e2e_stack import ADMIN, DEMO_KEY, Stack, admin_token, log_in

KEY = {"X-Client-Key": DEMO_KEY}


def me(gateway: httpx.Client, access_token: str, key: str = DEMO_KEY) -> httpx.Response:
    return gateway.get("/users/me", headers={"X-Client-Key": key, "Authorization": access_token})


def test_login_then_users_me(gateway: httpx.Client) -> None:
    tokens = admin_token(gateway)
    assert tokens["token_type"] == "Bearer"
    response = me(gateway, tokens["access_token"])
    assert response.status_code == 200
    body = response.json()
    assert set(body["data"]) == {"party_id", "permissions", "settings"}
    uuid.UUID(body["data"]["party_id"])
    assert body["warnings"] == []
    assert response.headers["x-request-id"]
    assert response.headers["content-type"] == "application/json"


def test_bearer_prefix_and_request_id_are_honoured(gateway: httpx.Client) -> None:
    tokens = admin_token(gateway)
    request_id = f"e2e-{uuid.uuid4()}"
    response = gateway.get(
        "/users/me",
        headers={**KEY, "Authorization": f"Bearer {tokens['access_token']}", "X-Request-Id": request_id},
    )
    assert response.status_code == 200
    assert response.headers["x-request-id"] == request_id


def test_jwks_is_public_but_needs_a_client_key(gateway: httpx.Client) -> None:
    assert gateway.get("/.well-known/jwks.json", headers=KEY).json()["keys"]
    assert gateway.get("/.well-known/jwks.json").status_code == 401


def test_refresh_rotates_and_reuse_ends_the_session(gateway: httpx.Client) -> None:
    tokens = admin_token(gateway)
    first = gateway.post("/auth/refresh", headers=KEY, json={"refresh_token": tokens["refresh_token"]})
    assert first.status_code == 200
    again = gateway.post("/auth/refresh", headers=KEY, json={"refresh_token": tokens["refresh_token"]})
    assert again.status_code == 401
    assert again.json()["errors"][0]["code"] == "eInvalidRefreshToken"
    newest = first.json()["data"]["access_token"]
    assert refused_within(gateway, newest, seconds=5)


def refused_within(gateway: httpx.Client, access_token: str, *, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        response = me(gateway, access_token)
        if response.status_code == 401:
            return response.json()["errors"][0]["code"] == "eSessionRevoked"
        time.sleep(0.1)
    return False


def test_logout_is_enforced_by_the_gateway_itself(gateway: httpx.Client, stack: Stack) -> None:
    tokens = admin_token(gateway)
    assert me(gateway, tokens["access_token"]).status_code == 200
    logout = gateway.post("/auth/logout", headers={**KEY, "Authorization": tokens["access_token"]})
    assert logout.status_code == 204

    # identity refuses the token at once (it owns sessions); within seconds the revocation
    # event reaches the gateway, which from then on refuses it without forwarding.
    deadline = time.monotonic() + 5
    while True:
        request_id = f"after-logout-{uuid.uuid4()}"
        response = gateway.get(
            "/users/me", headers={**KEY, "Authorization": tokens["access_token"], "X-Request-Id": request_id}
        )
        assert response.status_code == 401
        assert response.json()["errors"][0]["code"] == "eSessionRevoked"
        if request_id not in stack.log_of("identity"):
            break
        assert time.monotonic() < deadline, "the gateway still forwards a revoked session's token"
        time.sleep(0.1)
    assert request_id in stack.log_of("gateway")


def test_a_token_is_only_good_with_its_own_tenants_key(gateway: httpx.Client, stack: Stack) -> None:
    other_key = f"other-{uuid.uuid4().hex}"
    env = {**stack.env, "DEMO_CLIENT_KEY": other_key, "DEMO_TENANT_NAME": "Other", "DEMO_DOMAIN_KEY": ""}
    env["DATABASE_URL"] = identity_database(stack)
    subprocess.run([sys.executable, "-m", "identity.seed"], env=env, check=True, capture_output=True)

    tokens = admin_token(gateway)
    response = me(gateway, tokens["access_token"], key=other_key)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "eInvalidToken"
    # The other tenant's admin (same email, another tenant) logs in with its own key only.
    assert log_in(gateway, ADMIN["email"], ADMIN["password"], key=other_key).status_code == 200


def identity_database(stack: Stack) -> str:
    from proximity.db.engine import with_database

    url = with_database(stack.env["DATABASE_URL"], f"{stack.env['DB_PREFIX']}identity")
    return url.render_as_string(hide_password=False)
