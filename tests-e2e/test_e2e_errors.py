"""Every failure a client can provoke is a 4xx/503 in the seed's error envelope, never a 500."""

from __future__ import annotations

import uuid

import httpx
import pytest

from e2e_stack import DEMO_KEY, admin_token, log_in

KEY = {"X-Client-Key": DEMO_KEY}


def error_code(response: httpx.Response) -> str:
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"errors"}
    assert body["errors"][0]["message"]
    code: str = body["errors"][0]["code"]
    return code


@pytest.fixture(scope="module")
def token(stack: object) -> str:
    with httpx.Client(base_url=stack.gateway) as gateway:  # type: ignore[attr-defined]
        return admin_token(gateway)["access_token"]


def test_401_without_or_with_an_unknown_client_key(gateway: httpx.Client, token: str) -> None:
    for headers in ({}, {"X-Client-Key": "not-a-key"}):
        response = gateway.get("/users/me", headers={**headers, "Authorization": token})
        assert response.status_code == 401
        assert error_code(response) == "eInvalidClientKey"


@pytest.mark.parametrize("authorization", [None, "", "garbage", "Bearer a.b.c", "Basic dXNlcjpwYXNz"])
def test_401_without_a_valid_token(gateway: httpx.Client, authorization: str | None) -> None:
    headers = dict(KEY) if authorization is None else {**KEY, "Authorization": authorization}
    response = gateway.get("/users/me", headers=headers)
    assert response.status_code == 401
    assert error_code(response) == "eInvalidToken"


def test_404_for_an_unknown_route(gateway: httpx.Client, token: str) -> None:
    for path in ("/no-such-thing", "/internal/client-keys/" + "0" * 64, "/users/me/extra"):
        response = gateway.get(path, headers={**KEY, "Authorization": token})
        assert response.status_code == 404, path
        assert error_code(response) == "eRouteNotFound"


def test_405_for_a_wrong_verb(gateway: httpx.Client, token: str) -> None:
    response = gateway.delete("/users/me", headers={**KEY, "Authorization": token})
    assert response.status_code == 405
    assert error_code(response) == "eMethodNotAllowed"


def test_413_for_an_oversized_body(gateway: httpx.Client) -> None:
    response = gateway.post(
        "/auth/login",
        headers={**KEY, "Content-Type": "application/json"},
        content=b" " * (10 * 1024 * 1024 + 1),
    )
    assert response.status_code == 413
    assert error_code(response) == "ePayloadTooLarge"


def test_413_for_an_oversized_chunked_body(gateway: httpx.Client) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(11):
            yield b" " * (1024 * 1024)

    response = gateway.post(
        "/auth/login", headers={**KEY, "Content-Type": "application/json"}, content=chunks()
    )
    assert response.status_code == 413


def test_400_and_415_for_bad_bodies(gateway: httpx.Client) -> None:
    malformed = gateway.post("/auth/login", headers={**KEY, "Content-Type": "application/json"}, content=b"{")
    assert (malformed.status_code, error_code(malformed)) == (400, "eMalformedJson")
    form = gateway.post("/auth/login", headers=KEY, data={"email": "a"})
    assert (form.status_code, error_code(form)) == (415, "eUnsupportedMediaType")
    missing = gateway.post("/auth/login", headers=KEY, json={"email": "a@b.c"})
    assert (missing.status_code, error_code(missing)) == (400, "eValidationError")


def test_an_unknown_heatmap_is_a_400_from_the_heatmaps_service(gateway: httpx.Client, token: str) -> None:
    # Every context runs now: a context that is down (503 eServiceUnavailable) is
    # test_e2e_contracts' (the chaos stack) and the gateway's own tests' (not deployed, down, slow).
    response = gateway.get(f"/heatmaps/{uuid.uuid4()}", headers={**KEY, "Authorization": token})
    assert response.status_code == 400
    assert error_code(response) == "eHeatmapNotFound"


def test_lockout_after_four_failures_answers_like_a_wrong_password(
    gateway: httpx.Client, stack: object
) -> None:
    # A user of its own, so the lock does not get in the way of the other tests' admin logins.
    import subprocess
    import sys

    from test_e2e_login import identity_database

    email = f"locked-{uuid.uuid4().hex[:8]}@example.com"
    env = {
        **stack.env,  # type: ignore[attr-defined]
        "DATABASE_URL": identity_database(stack),  # type: ignore[arg-type]
        "DEMO_ADMIN_EMAIL": email,
        "DEMO_ADMIN_PASSWORD": "right-password",
    }
    subprocess.run([sys.executable, "-m", "identity.seed"], env=env, check=True, capture_output=True)
    assert log_in(gateway, email, "right-password").status_code == 200

    wrong = [log_in(gateway, email, f"wrong-{i}") for i in range(4)]
    assert {r.status_code for r in wrong} == {401}
    locked = log_in(gateway, email, "right-password")
    unknown = log_in(gateway, f"nobody-{uuid.uuid4().hex}@example.com", "right-password")
    assert locked.status_code == unknown.status_code == 401
    assert locked.json() == unknown.json() == wrong[0].json()


def test_a_browser_page_on_localhost_can_call_the_api(gateway: httpx.Client, token: str) -> None:
    """`make run` allows pages on any port of localhost: the preflight needs no client key, and
    the answer exposes the headers a page reads."""
    origin = {"Origin": "http://localhost:5173"}
    preflight = gateway.options(
        "/parties",
        headers={
            **origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "x-client-key, authorization, content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == origin["Origin"]
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "x-client-key" in preflight.headers["access-control-allow-headers"].lower()
    listed = gateway.get("/parties", headers={**origin, **KEY, "Authorization": token})
    assert listed.status_code == 200
    exposed = {h.strip().lower() for h in listed.headers["access-control-expose-headers"].split(",")}
    assert {"x-request-id", "x-total-count", "link", "etag"} <= exposed
    stranger = gateway.options(
        "/parties", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    )
    assert "access-control-allow-origin" not in stranger.headers
