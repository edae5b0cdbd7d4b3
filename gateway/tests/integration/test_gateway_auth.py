"""Client keys and access tokens at the gateway."""

from __future__ import annotations

import uuid

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from gateway_harness import StartGateway, code_of
from gateway_servers import closed_port_url
from gateway_upstream import FakeUpstream

from proximity.testing.metrics import sample_value


async def test_missing_or_unknown_client_key_is_401(http: httpx.AsyncClient, upstream: FakeUpstream) -> None:
    client = upstream.add_client()
    token = upstream.token(client.tenant_id)
    for headers in ({}, {"X-Client-Key": "not-a-key"}, {"X-Client-Key": ""}):
        for method, path in (("POST", "/auth/login"), ("GET", "/users/me"), ("GET", "/nowhere")):
            response = await http.request(method, path, headers={**headers, "Authorization": token})
            assert response.status_code == 401, (headers, path)
            assert code_of(response) == "eInvalidClientKey"
    assert not upstream.calls_to("/users/me")


async def test_unknown_keys_are_remembered_briefly(http: httpx.AsyncClient, upstream: FakeUpstream) -> None:
    before = upstream.key_lookups
    for _ in range(5):
        response = await http.get("/users/me", headers={"X-Client-Key": f"unknown-{uuid.uuid4()}-x"})
        assert response.status_code == 401
    repeated = "unknown-repeated-key"
    for _ in range(5):
        assert (await http.get("/users/me", headers={"X-Client-Key": repeated})).status_code == 401
    assert upstream.key_lookups - before == 6


async def test_own_routes_need_no_key(http: httpx.AsyncClient) -> None:
    assert (await http.get("/health")).status_code == 200
    ready = await http.get("/ready")
    assert ready.status_code == 200, ready.text
    assert ready.json()["data"]["checks"] == {"nats": "ok", "identity": "ok"}


async def test_public_routes_pass_without_a_token(http: httpx.AsyncClient, upstream: FakeUpstream) -> None:
    client = upstream.add_client()
    headers = {"X-Client-Key": client.key}
    login = await http.post("/auth/login", json={"email": "a@example.com"}, headers=headers)
    assert login.status_code == 200
    assert login.json()["data"]["path"] == "/auth/login"
    jwks = await http.get("/.well-known/jwks.json", headers=headers)
    assert jwks.status_code == 200
    assert jwks.json()["keys"][0]["kid"] == upstream.kid
    for method, path in (("POST", "/auth2/guests/initiate"), ("PUT", "/auth/reset-password")):
        assert (await http.request(method, path, headers=headers)).status_code == 200
    # Not public: logout and email OTP need the user's token.
    for method, path in (("POST", "/auth/logout"), ("POST", "/auth/email-otp"), ("GET", "/auth/login")):
        response = await http.request(method, path, headers=headers)
        assert response.status_code == 401, path
        assert code_of(response) == "eInvalidToken"


async def test_protected_route_needs_a_valid_token(http: httpx.AsyncClient, upstream: FakeUpstream) -> None:
    client = upstream.add_client()
    other_tenant = upstream.add_client()
    forged_key = Ed25519PrivateKey.generate()
    bad_tokens = {
        "missing": None,
        "garbage": "not.a.token",
        "expired": upstream.token(client.tenant_id, expires_in=-60),
        "other tenant": upstream.token(other_tenant.tenant_id),
        "bad signature": upstream.token(client.tenant_id, key=forged_key),
        "wrong audience": upstream.token(client.tenant_id, aud="elsewhere"),
        "no session": upstream.token(client.tenant_id, sid=None),
        "service token": upstream.token(client.tenant_id, typ="service"),
        "hmac": jwt.encode(
            {"sub": "x", "tid": str(client.tenant_id)},
            "s" * 32,
            algorithm="HS256",
            headers={"kid": upstream.kid},
        ),
        "bare scheme": "Bearer",
    }
    for name, token in bad_tokens.items():
        headers = {"X-Client-Key": client.key}
        if token is not None:
            headers["Authorization"] = token
        response = await http.get("/users/me", headers=headers)
        assert response.status_code == 401, name
        assert code_of(response) == "eInvalidToken", name
        assert response.json()["errors"][0]["message"]
    assert not upstream.calls_to("/users/me")

    token = upstream.token(client.tenant_id)
    for authorization in (token, f"Bearer {token}", f"bearer {token}"):
        response = await http.get(
            "/users/me", headers={"X-Client-Key": client.key, "Authorization": authorization}
        )
        assert response.status_code == 200, authorization
    forwarded = dict(upstream.calls_to("/users/me")[-1]["headers"])
    assert forwarded["authorization"] == f"bearer {token}"  # passed on: services verify again
    assert forwarded["x-client-key"] == client.key


async def test_identity_unreachable_while_resolving_a_key_is_503(
    start_gateway: StartGateway, upstream: FakeUpstream
) -> None:
    client = upstream.add_client()
    async with start_gateway(identity_url=closed_port_url()) as url, httpx.AsyncClient(base_url=url) as http:
        response = await http.get("/users/me", headers={"X-Client-Key": client.key})
        assert response.status_code == 503
        assert code_of(response) == "eServiceUnavailable"
        # Each request answers its own 503; the gateway stays in its Service (it can serve
        # every request that needs no lookup), and says what it sees.
        ready = await http.get("/ready")
        assert ready.status_code == 200
        assert ready.json()["data"]["checks"]["identity"] == "unavailable"
        assert ready.json()["warnings"] == ["identity is unavailable."]
        metrics = (await http.get("/metrics")).text
        assert sample_value(metrics, "dependency_up", service="gateway", dependency="identity") == 0


async def test_rate_limit_per_client_key(start_gateway: StartGateway, upstream: FakeUpstream) -> None:
    busy, quiet = upstream.add_client(), upstream.add_client()
    async with start_gateway(rate_limit_per_minute=3) as url, httpx.AsyncClient(base_url=url) as http:
        statuses = [
            (await http.post("/auth/login", headers={"X-Client-Key": busy.key})).status_code for _ in range(4)
        ]
        assert statuses == [200, 200, 200, 429]
        limited = await http.post("/auth/login", headers={"X-Client-Key": busy.key})
        assert limited.status_code == 429
        assert code_of(limited) == "eTooManyRequests"
        assert 1 <= int(limited.headers["retry-after"]) <= 20
        assert (await http.post("/auth/login", headers={"X-Client-Key": quiet.key})).status_code == 200
