"""Seed 000's client credentials at the gateway: ``Proxy-Authorization: Basic
base64(client_id):base64(client_secret)`` instead of ``X-Client-Key``."""

from __future__ import annotations

import base64
import hashlib

import httpx
from gateway_harness import code_of, publish
from gateway_upstream import FakeUpstream
from nats.js import JetStreamContext
from test_gateway_revocation import status_becomes

from proximity.events.envelope import Event


def b64(value: str) -> str:
    return base64.b64encode(value.encode()).decode()


def proxy_authorization(client_id: str, secret: str) -> dict[str, str]:
    return {"Proxy-Authorization": f"Basic {b64(client_id)}:{b64(secret)}"}


async def test_credentials_open_the_tenant_like_a_key(
    http: httpx.AsyncClient, upstream: FakeUpstream
) -> None:
    client = upstream.add_client()
    client_id, secret = upstream.add_credentials(client)
    headers = {**proxy_authorization(client_id, secret), "Authorization": upstream.token(client.tenant_id)}
    response = await http.get("/users/me", headers=headers)
    assert response.status_code == 200, response.text
    forwarded = dict(response.json()["data"]["headers"])
    # The credentials go on to identity as X-Client-Key (login names the tenant from it), never
    # as Proxy-Authorization, and the standard Basic form is accepted too.
    assert "proxy-authorization" not in forwarded
    assert forwarded["x-client-key"] == headers["Proxy-Authorization"]
    standard = {"Proxy-Authorization": f"Basic {b64(f'{client_id}:{secret}')}"}
    assert (await http.post("/auth/login", headers=standard)).status_code == 200
    # A token of another tenant is refused, as with a key.
    other = upstream.add_client()
    foreign = {**proxy_authorization(client_id, secret), "Authorization": upstream.token(other.tenant_id)}
    assert code_of(await http.get("/users/me", headers=foreign)) == "eInvalidToken"


async def test_bad_credentials_are_an_invalid_client_key(
    http: httpx.AsyncClient, upstream: FakeUpstream
) -> None:
    client = upstream.add_client()
    client_id, secret = upstream.add_credentials(client)
    for headers in (
        proxy_authorization(client_id, "wrong-secret"),
        proxy_authorization("unknown-client", secret),
        {"Proxy-Authorization": "Basic !!!"},
        {"Proxy-Authorization": f"Bearer {secret}"},
        {"Proxy-Authorization": f"Basic {b64(client_id)}"},
    ):
        response = await http.post("/auth/login", headers=headers)
        assert response.status_code == 401, headers
        assert code_of(response) == "eInvalidClientKey"


async def test_credentials_are_cached_and_secrets_never_reach_a_url(
    http: httpx.AsyncClient, upstream: FakeUpstream
) -> None:
    client = upstream.add_client()
    client_id, secret = upstream.add_credentials(client)
    before = upstream.credential_checks
    for _ in range(5):
        assert (
            await http.post("/auth/login", headers=proxy_authorization(client_id, secret))
        ).status_code == 200
    for _ in range(3):
        assert (
            await http.post("/auth/login", headers=proxy_authorization(client_id, "bad"))
        ).status_code == 401
    assert upstream.credential_checks - before == 2  # one good, one bad: each remembered
    assert all(secret not in call["path"] and secret not in call["query"] for call in upstream.calls)


async def test_revoked_client_credentials_are_refused_within_seconds(
    http: httpx.AsyncClient, upstream: FakeUpstream, js: JetStreamContext
) -> None:
    client = upstream.add_client()
    client_id, secret = upstream.add_credentials(client)
    headers = proxy_authorization(client_id, secret)
    assert (await http.post("/auth/login", headers=headers)).status_code == 200  # now cached
    upstream.credentials.pop(client_id)
    assert (await http.post("/auth/login", headers=headers)).status_code == 200  # still cached
    revoked = Event(
        type="identity.client.revoked",
        tenant_id=client.tenant_id,
        aggregate_id=str(client.client_id),
        data={
            "client_id": str(client.client_id),
            "key_hash": hashlib.sha256(client.key.encode()).hexdigest(),
        },
    )
    await publish(js, revoked)
    response = await status_becomes(http, "/.well-known/jwks.json", headers, 401)
    assert response.status_code == 401
    assert code_of(response) == "eInvalidClientKey"
