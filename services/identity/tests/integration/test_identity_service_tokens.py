"""Service tokens: ``POST /internal/service-tokens``, their claims, and that user endpoints
refuse them; then ``ServiceTokenSource`` against identity on a real uvicorn server."""

from __future__ import annotations

import asyncio
import hashlib
import socket
import uuid
from typing import Any

import httpx
import jwt
import pytest
from prometheus_client.parser import text_string_to_metric_families

from identity.config import IdentitySettings
from proximity.auth.jwks import JwksClient
from proximity.auth.service_token import ServiceCredentialsRejected, ServiceTokenSource, authorization_header
from proximity.auth.verifier import TokenVerifier
from proximity.errors import ServiceUnavailable
from tests.conftest import Account, Identity, log_in, new_account, served

SERVICE = "reports"
SECRET = "reports-secret-" + uuid.uuid4().hex
INVALID_CREDENTIALS = {
    "errors": [{"code": "eInvalidServiceCredentials", "message": "The service name or secret is incorrect."}]
}


def identity_settings(identity_database_url: str, nats_url: str, **overrides: Any) -> IdentitySettings:
    return IdentitySettings(
        database_url=identity_database_url,
        nats_url=nats_url,
        service_credentials={SERVICE: hashlib.sha256(SECRET.encode()).hexdigest()},
        **overrides,
    )


@pytest.fixture
def settings(identity_database_url: str, nats_url: str) -> IdentitySettings:
    return identity_settings(identity_database_url, nats_url)


async def ask(
    http: httpx.AsyncClient, tenant_id: uuid.UUID | str, *, service: str = SERVICE, secret: str = SECRET
) -> httpx.Response:
    body = {"service": service, "secret": secret, "tenant_id": str(tenant_id)}
    return await http.post("/internal/service-tokens", json=body)


async def test_issued_token_verifies_with_identitys_jwks(identity: Identity, account: Account) -> None:
    response = await ask(identity.http, account.tenant_id)

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["warnings"] == []
    data = body["data"]
    assert data["token_type"] == "Bearer"
    assert data["expires_in"] == 300
    verifier = TokenVerifier(
        JwksClient("http://identity/.well-known/jwks.json", http=identity.http),
        audience="proximity",
        issuer="proximity-identity",
    )
    claims = await verifier.verify(data["access_token"])
    assert claims.service is True
    assert claims.subject == SERVICE
    assert claims.tenant_id == account.tenant_id
    assert claims.session_id is None
    assert claims.party_id is None
    assert claims.permissions == frozenset()
    assert claims.system_admin is False
    payload = jwt.decode(data["access_token"], options={"verify_signature": False})
    assert "sid" not in payload
    assert "pid" not in payload
    assert payload["typ"] == "service"
    assert payload["adm"] is False
    assert payload["exp"] - payload["iat"] == 300


async def test_unknown_service_and_wrong_secret_get_the_same_401(
    identity: Identity, account: Account
) -> None:
    wrong_secret = await ask(identity.http, account.tenant_id, secret=SECRET + "x")
    unknown_service = await ask(identity.http, account.tenant_id, service="nobody")

    for response in (wrong_secret, unknown_service):
        assert response.status_code == 401
        assert response.json() == INVALID_CREDENTIALS


async def test_bad_credentials_are_refused_before_the_tenant_is_looked_up(identity: Identity) -> None:
    response = await ask(identity.http, uuid.uuid4(), secret="guess")

    assert response.status_code == 401
    assert response.json() == INVALID_CREDENTIALS


async def test_unknown_tenant_is_400(identity: Identity) -> None:
    response = await ask(identity.http, uuid.uuid4())

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "eTenantNotFound"


@pytest.mark.parametrize(
    "body",
    [
        {"service": SERVICE, "tenant_id": str(uuid.uuid4())},
        {"service": SERVICE, "secret": SECRET, "tenant_id": "not-a-uuid"},
        {"service": "", "secret": SECRET, "tenant_id": str(uuid.uuid4())},
        {"service": SERVICE, "secret": "", "tenant_id": str(uuid.uuid4())},
        {"service": SERVICE, "secret": 12, "tenant_id": str(uuid.uuid4())},
        [SERVICE, SECRET],
    ],
)
async def test_bad_body_is_400(identity: Identity, body: Any) -> None:
    response = await identity.http.post("/internal/service-tokens", json=body)

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "eValidationError"
    assert SECRET not in response.text


async def test_malformed_json_is_400(identity: Identity) -> None:
    response = await identity.http.post(
        "/internal/service-tokens", content=b"{", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "eMalformedJson"


async def test_a_service_token_is_no_user_credential(identity: Identity, account: Account) -> None:
    token = (await ask(identity.http, account.tenant_id)).json()["data"]["access_token"]
    user_token = (await log_in(identity.http, account)).json()["data"]["access_token"]

    for method, path in (("GET", "/users/me"), ("POST", "/auth/logout")):
        response = await identity.http.request(method, path, headers=authorization_header(token))
        assert response.status_code == 401, path
        assert response.json()["errors"][0]["code"] == "eInvalidToken"
    # The user's own token still works: the refusal was about the service token alone.
    me = await identity.http.get("/users/me", headers={**account.key, **authorization_header(user_token)})
    assert me.status_code == 200


# ServiceTokenSource against identity on a real server.


async def issued_count(http: httpx.AsyncClient, url: str) -> float:
    """How many service tokens this process's identity has issued, from its ``/metrics``."""
    text = (await http.get(f"{url}/metrics")).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "http_requests_total"
        and sample.labels.get("service") == "identity"
        and sample.labels.get("route") == "/internal/service-tokens"
        and sample.labels.get("status") == "200"
    )


async def test_source_caches_per_tenant_and_fetches_once(
    identity: Identity, account: Account, settings: IdentitySettings
) -> None:
    other = await new_account(identity.wired)
    async with served(settings) as url, httpx.AsyncClient() as http:
        source = ServiceTokenSource(http, url, SERVICE, SECRET)
        before = await issued_count(http, url)

        first = await source.token(account.tenant_id)
        again = await source.token(account.tenant_id)
        # Concurrent callers for a tenant with no token yet share one request.
        together = await asyncio.gather(*(source.token(other.tenant_id) for _ in range(10)))

        assert again == first
        assert len(set(together)) == 1
        assert together[0] != first
        assert await issued_count(http, url) - before == 2
        me = await http.get(f"{url}/users/me", headers=authorization_header(first))
        assert me.status_code == 401  # and it is a real token identity recognises as a service's


async def test_source_refreshes_before_expiry(
    identity: Identity, account: Account, identity_database_url: str, nats_url: str
) -> None:
    short = identity_settings(identity_database_url, nats_url, service_token_ttl_seconds=1)
    async with served(short) as url, httpx.AsyncClient() as http:
        source = ServiceTokenSource(http, url, SERVICE, SECRET, refresh_margin=0.5)

        first = await source.token(account.tenant_id)
        assert await source.token(account.tenant_id) == first
        await asyncio.sleep(0.6)
        renewed = await source.token(account.tenant_id)

        assert renewed != first
        claims = await identity.wired.verifier.verify(renewed)
        assert claims.service
        assert claims.tenant_id == account.tenant_id


async def test_source_with_rejected_credentials_raises(
    identity: Identity, account: Account, settings: IdentitySettings
) -> None:
    async with served(settings) as url, httpx.AsyncClient() as http:
        wrong = ServiceTokenSource(http, url, SERVICE, "not-the-secret")
        unknown = ServiceTokenSource(http, url, "nobody", SECRET)

        for source in (wrong, unknown):
            with pytest.raises(ServiceCredentialsRejected):
                await source.token(account.tenant_id)
        assert "not-the-secret" not in repr(wrong)


async def test_source_with_identity_down_is_service_unavailable() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound but never listening: connections are refused
        async with httpx.AsyncClient() as http:
            source = ServiceTokenSource(http, f"http://127.0.0.1:{port}", SERVICE, SECRET)
            with pytest.raises(ServiceUnavailable):
                await source.token(uuid.uuid4())
