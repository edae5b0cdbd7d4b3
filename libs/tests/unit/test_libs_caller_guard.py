"""The caller check every process runs: which 401 for which request, which spelling of the
client reaches the records, and what a service token needs."""

from __future__ import annotations

import base64
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm
from starlette.requests import Request

from proximity.auth.caller import CallerGuard, PresentedClient
from proximity.auth.client_credentials import ClientCredentials
from proximity.auth.client_keys import KnownClient
from proximity.auth.verifier import TokenVerifier
from proximity.errors import InvalidClientKey, PermissionDenied, ProximityError

PRIVATE = Ed25519PrivateKey.generate()
TENANT, OTHER_TENANT = uuid.uuid4(), uuid.uuid4()


class Keys:
    _key = jwt.PyJWK({**OKPAlgorithm.to_jwk(PRIVATE.public_key(), as_dict=True), "kid": "k", "alg": "EdDSA"})

    async def key(self, kid: str) -> jwt.PyJWK | None:
        return self._key if kid == "k" else None


@dataclass
class Records:
    clients: dict[str, KnownClient] = field(default_factory=dict)
    revoked: set[uuid.UUID] = field(default_factory=set)
    asked: list[PresentedClient] = field(default_factory=list)

    async def client(self, presented: PresentedClient) -> KnownClient:
        self.asked.append(presented)
        name = presented if isinstance(presented, str) else f"{presented.client_id}:{presented.secret}"
        found = self.clients.get(name)
        if found is None:
            raise InvalidClientKey()
        return found

    async def session_revoked(self, tenant_id: uuid.UUID, session_id: uuid.UUID) -> bool:
        return session_id in self.revoked

    async def standing(
        self, presented: PresentedClient, session_id: uuid.UUID | None
    ) -> tuple[KnownClient, bool]:
        return await self.client(presented), session_id in self.revoked


def token(*, tenant: uuid.UUID = TENANT, **claims: Any) -> str:
    now = int(time.time())
    payload = {
        "sub": str(uuid.uuid4()),
        "tid": str(tenant),
        "sid": str(uuid.uuid4()),
        "aud": "proximity",
        "iat": now,
        "exp": now + 60,
        **claims,
    }
    return jwt.encode(
        {k: v for k, v in payload.items() if v is not None}, PRIVATE, algorithm="EdDSA", headers={"kid": "k"}
    )


def request(headers: dict[str, str], method: str = "GET") -> Request:
    raw = [(name.lower().encode(), value.encode()) for name, value in headers.items()]
    return Request({"type": "http", "method": method, "path": "/", "headers": raw})


def basic(client_id: str, secret: str) -> str:
    return (
        f"Basic {base64.b64encode(client_id.encode()).decode()}:{base64.b64encode(secret.encode()).decode()}"
    )


@pytest.fixture
def records() -> Records:
    return Records(
        clients={
            "tenant-key": KnownClient(TENANT, uuid.uuid4()),
            "other-key": KnownClient(OTHER_TENANT, uuid.uuid4()),
            "app:secret": KnownClient(TENANT, uuid.uuid4()),
        }
    )


@pytest.fixture
def guard(records: Records) -> CallerGuard:
    return CallerGuard(TokenVerifier(Keys(), audience="proximity", service_audience="consents"), records)


async def refusal(call: Any) -> tuple[str, str]:
    with pytest.raises(ProximityError) as raised:
        await call
    return raised.value.code, raised.value.message


async def test_a_users_token_with_its_tenants_key_passes(guard: CallerGuard) -> None:
    session = uuid.uuid4()
    claims = await guard.user(
        request({"Authorization": token(sid=str(session)), "X-Client-Key": "tenant-key"})
    )
    assert (claims.tenant_id, claims.session_id) == (TENANT, session)


async def test_each_refusal_has_the_gateways_code_and_message(guard: CallerGuard, records: Records) -> None:
    ended = uuid.uuid4()
    records.revoked.add(ended)
    cases = {
        "eInvalidClientKey": [{"Authorization": token()}, {"Authorization": token(), "X-Client-Key": "nope"}],
        "eInvalidToken": [
            {"X-Client-Key": "tenant-key"},
            {"Authorization": "garbage", "X-Client-Key": "tenant-key"},
        ],
    }
    for code, variants in cases.items():
        for headers in variants:
            assert (await refusal(guard.user(request(headers))))[0] == code, headers
    foreign = {"Authorization": token(), "X-Client-Key": "other-key"}
    assert await refusal(guard.user(request(foreign))) == (
        "eInvalidToken",
        "The access token does not belong to this client's tenant.",
    )
    sessionless = {"Authorization": token(sid=None), "X-Client-Key": "tenant-key"}
    assert await refusal(guard.user(request(sessionless))) == (
        "eInvalidToken",
        "The access token names no session.",
    )
    revoked = {"Authorization": token(sid=str(ended)), "X-Client-Key": "tenant-key"}
    assert await refusal(guard.user(request(revoked))) == (
        "eSessionRevoked",
        "The session has ended; sign in again.",
    )


async def test_a_bad_token_costs_no_key_lookup(guard: CallerGuard, records: Records) -> None:
    assert (await refusal(guard.user(request({"Authorization": "garbage", "X-Client-Key": "tenant-key"}))))[
        0
    ] == "eInvalidToken"
    assert records.asked == []


async def test_seed_000_credentials_in_either_header_name_the_client(
    guard: CallerGuard, records: Records
) -> None:
    for header in ("X-Client-Key", "Proxy-Authorization"):
        await guard.user(request({"Authorization": token(), header: basic("app", "secret")}))
    assert records.asked == [ClientCredentials("app", "secret")] * 2
    assert (await refusal(guard.client(request({"X-Client-Key": "Basic !!"}))))[0] == "eInvalidClientKey"


async def test_at_the_edge_x_client_key_is_always_a_key(records: Records) -> None:
    class Edge(CallerGuard):
        credentials_in_client_key = False

    edge = Edge(TokenVerifier(Keys(), audience="proximity"), records)
    assert (await refusal(edge.client(request({"X-Client-Key": basic("app", "secret")}))))[
        0
    ] == "eInvalidClientKey"
    assert records.asked == [basic("app", "secret")]


async def test_a_service_token_is_no_user_but_needs_no_key_as_a_service(guard: CallerGuard) -> None:
    service = {"Authorization": token(typ="service", sid=None, aud="consents", scope="consents.read")}
    assert (await refusal(guard.user(request({**service, "X-Client-Key": "tenant-key"}))))[
        0
    ] == "eInvalidToken"
    assert (await guard.user_or_service(request(service))).service
    assert (await guard.service(request(service))).service
    user = {"Authorization": token(), "X-Client-Key": "tenant-key"}
    assert (await guard.user_or_service(request(user))).tenant_id == TENANT
    with pytest.raises(PermissionDenied):
        await guard.service(request(user))


def service_token(
    audience: str = "consents", scope: str | None = "consents.read consents.write"
) -> dict[str, str]:
    return {"Authorization": token(typ="service", sid=None, aud=audience, scope=scope)}


async def test_a_service_token_counts_only_at_the_service_it_is_for(records: Records) -> None:
    consents = CallerGuard(TokenVerifier(Keys(), audience="proximity", service_audience="consents"), records)
    identity = CallerGuard(TokenVerifier(Keys(), audience="proximity", service_audience="identity"), records)
    gateway = CallerGuard(TokenVerifier(Keys(), audience="proximity"), records)

    assert (await consents.user_or_service(request(service_token("consents")))).service
    assert (await refusal(identity.service(request(service_token("consents")))))[0] == "eInvalidToken"
    assert (await refusal(consents.service(request(service_token("identity")))))[0] == "eInvalidToken"
    # Before audiences: a service token for the whole platform, accepted everywhere. No more.
    for guard in (consents, identity, gateway):
        assert (await refusal(guard.user_or_service(request(service_token("proximity")))))[
            0
        ] == "eInvalidToken"
    assert (await refusal(gateway.user_or_service(request(service_token("consents")))))[0] == "eInvalidToken"
    # Users' tokens keep the platform's audience and work as before.
    user = {"Authorization": token(), "X-Client-Key": "tenant-key"}
    assert (await consents.user_or_service(request(user))).tenant_id == TENANT
    assert (await refusal(consents.user(request({**user, "Authorization": token(aud="consents")}))))[
        0
    ] == "eInvalidToken"


async def test_a_service_token_needs_the_scope_of_what_it_does(guard: CallerGuard) -> None:
    reader = service_token(scope="consents.read")

    assert (await guard.user_or_service(request(reader, "GET"))).scopes == {"consents.read"}
    for method in ("POST", "PUT", "DELETE"):
        with pytest.raises(PermissionDenied, match=r"consents\.write"):
            await guard.user_or_service(request(reader, method))
    with pytest.raises(PermissionDenied, match=r"consents\.read"):
        await guard.service(request(service_token(scope=None)))
    with pytest.raises(PermissionDenied, match=r"consents\.admin"):
        await guard.user_or_service(request(service_token(), "GET"), scope="consents.admin")
    assert (await guard.user_or_service(request(service_token(), "POST"))).service
