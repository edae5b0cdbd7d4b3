"""Service tokens: ``POST /internal/service-tokens``, their claims (the called service as
audience, granted scopes), that user endpoints and every service but the audience refuse them;
then ``ServiceTokenSource`` against identity on a real uvicorn server."""

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
from proximity.auth.verifier import InvalidToken, TokenVerifier
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
        service_scopes={SERVICE: ["consents.read", "consents.write", "identity.read"]},
        **overrides,
    )


@pytest.fixture
def settings(identity_database_url: str, nats_url: str) -> IdentitySettings:
    return identity_settings(identity_database_url, nats_url)


async def ask(
    http: httpx.AsyncClient,
    tenant_id: uuid.UUID | str,
    *,
    service: str = SERVICE,
    secret: str = SECRET,
    audience: str = "consents",
    scope: str | None = None,
) -> httpx.Response:
    body = {"service": service, "secret": secret, "tenant_id": str(tenant_id), "audience": audience}
    if scope is not None:
        body["scope"] = scope
    return await http.post("/internal/service-tokens", json=body)


def verifier_of(identity: Identity, service: str | None) -> TokenVerifier:
    """How ``service`` verifies tokens (None: the gateway), with identity's JWKS."""
    return TokenVerifier(
        JwksClient("http://identity/.well-known/jwks.json", http=identity.http),
        audience="proximity",
        service_audience=service,
        issuer="proximity-identity",
    )


async def test_issued_token_verifies_with_identitys_jwks(identity: Identity, account: Account) -> None:
    response = await ask(identity.http, account.tenant_id)

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["warnings"] == []
    data = body["data"]
    assert data["token_type"] == "Bearer"
    assert data["expires_in"] == 300
    assert data["scope"] == "consents.read consents.write"
    claims = await verifier_of(identity, "consents").verify(data["access_token"])
    assert claims.service is True
    assert claims.subject == SERVICE
    assert claims.tenant_id == account.tenant_id
    assert claims.session_id is None
    assert claims.party_id is None
    assert claims.permissions == frozenset()
    assert claims.system_admin is False
    assert claims.scopes == {"consents.read", "consents.write"}
    payload = jwt.decode(data["access_token"], options={"verify_signature": False})
    assert payload["aud"] == "consents"
    assert payload["scope"] == "consents.read consents.write"
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


async def test_a_token_is_accepted_only_by_the_service_it_is_for(
    identity: Identity, account: Account
) -> None:
    for_consents = (await ask(identity.http, account.tenant_id)).json()["data"]["access_token"]
    for_identity = (await ask(identity.http, account.tenant_id, audience="identity")).json()["data"]

    assert for_identity["scope"] == "identity.read"
    # identity's own verifier: its token passes, the one for consents does not.
    assert (await identity.wired.verifier.verify(for_identity["access_token"])).scopes == {"identity.read"}
    with pytest.raises(InvalidToken):
        await identity.wired.verifier.verify(for_consents)
    # consents' verifier: the other way round; the gateway's accepts neither.
    assert (await verifier_of(identity, "consents").verify(for_consents)).service
    for verifier, token in (
        (verifier_of(identity, "consents"), for_identity["access_token"]),
        (verifier_of(identity, None), for_consents),
        (verifier_of(identity, "assets"), for_consents),
    ):
        with pytest.raises(InvalidToken):
            await verifier.verify(token)


async def test_only_granted_scopes_are_issued(identity: Identity, account: Account) -> None:
    asked = await ask(identity.http, account.tenant_id, scope="consents.read")
    not_granted = await ask(identity.http, account.tenant_id, scope="consents.read consents.admin")
    elsewhere = await ask(identity.http, account.tenant_id, scope="identity.read")  # audience: consents
    nothing_there = await ask(identity.http, account.tenant_id, audience="assets")

    assert asked.json()["data"]["scope"] == "consents.read"
    for refused in (not_granted, elsewhere, nothing_there):
        assert refused.status_code == 403
        assert refused.json()["errors"][0]["code"] == "ePermissionDenied"
    assert "consents.admin" in not_granted.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    "body",
    [
        {"service": SERVICE, "secret": SECRET, "tenant_id": str(uuid.uuid4())},  # no audience
        {"service": SERVICE, "secret": SECRET, "tenant_id": str(uuid.uuid4()), "audience": "Not A Name"},
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
        source = ServiceTokenSource(http, url, SERVICE, SECRET, audience="consents")
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
        source = ServiceTokenSource(http, url, SERVICE, SECRET, audience="identity", refresh_margin=0.5)

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
        wrong = ServiceTokenSource(http, url, SERVICE, "not-the-secret", audience="consents")
        unknown = ServiceTokenSource(http, url, "nobody", SECRET, audience="consents")

        for source in (wrong, unknown):
            with pytest.raises(ServiceCredentialsRejected):
                await source.token(account.tenant_id)
        assert "not-the-secret" not in repr(wrong)


async def test_source_with_identity_down_is_service_unavailable() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound but never listening: connections are refused
        async with httpx.AsyncClient() as http:
            source = ServiceTokenSource(
                http, f"http://127.0.0.1:{port}", SERVICE, SECRET, audience="consents"
            )
            with pytest.raises(ServiceUnavailable):
                await source.token(uuid.uuid4())
