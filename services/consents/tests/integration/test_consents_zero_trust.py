"""consents called directly, bypassing the gateway, refuses what the gateway refuses: a token
whose session identity ended (learnt from identity's ``identity.session.revoked`` on NATS), a
token with another tenant's client key, a missing, unknown or revoked key. Services' own
tokens need no key. Errors keep seed 001's ``_error`` shape."""

from __future__ import annotations

import asyncio
import hashlib
import uuid

import httpx
from nats.js import JetStreamContext

from consents.config import ConsentsSettings
from proximity.events.envelope import Event
from proximity.events.streams import declare_stream

from .conftest import ClientKeys, Consents, Signer, Tenant, assert_error, running

CONSENTS = "/consents/consents"


async def publish(js: JetStreamContext, event: Event) -> None:
    """As identity does: onto its stream, which it declares (consents, a consumer, never does)."""
    await declare_stream(js, "identity")
    await js.publish(event.subject, event.to_json(), headers={"Nats-Msg-Id": str(event.id)})


def session_revoked(tenant_id: uuid.UUID, session_id: uuid.UUID) -> Event:
    return Event(
        type="identity.session.revoked",
        tenant_id=tenant_id,
        aggregate_id=str(session_id),
        data={"session_id": str(session_id), "user_id": str(uuid.uuid4()), "reason": "logout"},
    )


async def status_becomes(service: Consents, headers: dict[str, str], status: int) -> httpx.Response:
    """Polls until the event has arrived. The bound only keeps a broken run from hanging."""
    async with asyncio.timeout(60):
        while True:
            response = await service.http.get(CONSENTS, headers=headers)
            if response.status_code == status:
                return response
            await asyncio.sleep(0.05)


async def test_a_session_identity_ended_is_refused(service: Consents, tenant: Tenant) -> None:
    session_id = uuid.uuid4()
    ended = service.headers(tenant.id, party_id=tenant.alice_id, session_id=session_id)
    assert (await service.http.get(CONSENTS, headers=ended)).status_code == 200

    await publish(service.wired.runtime.js, session_revoked(tenant.id, session_id))

    error = assert_error(await status_becomes(service, ended, 401), 401, "sessionRevoked")
    assert error["message"] == "The session has ended; sign in again."
    # Alice's other sessions, and everyone else's, go on.
    assert (await service.http.get(CONSENTS, headers=tenant.alice)).status_code == 200
    assert (await service.http.get(CONSENTS, headers=tenant.bob)).status_code == 200


async def test_a_consents_started_after_the_logout_still_refuses_the_token(
    settings: ConsentsSettings, signer: Signer, client_keys: ClientKeys, service: Consents, tenant: Tenant
) -> None:
    session_id = uuid.uuid4()
    await publish(service.wired.runtime.js, session_revoked(tenant.id, session_id))
    async with running(settings, signer, client_keys) as restarted:
        ended = restarted.headers(tenant.id, party_id=tenant.alice_id, session_id=session_id)
        assert_error(await status_becomes(restarted, ended, 401), 401, "sessionRevoked")
        assert (await restarted.http.get(CONSENTS, headers=tenant.alice)).status_code == 200


async def test_a_token_with_another_tenants_key_is_an_invalid_token(
    service: Consents, tenant: Tenant
) -> None:
    other = uuid.uuid4()
    foreign = {**tenant.alice, "X-Client-Key": service.client_keys.key_of(other)}
    error = assert_error(await service.http.get(CONSENTS, headers=foreign), 401, "invalidToken")
    assert error["message"] == "The access token does not belong to this client's tenant."


async def test_a_missing_or_unknown_key_is_an_invalid_client_key(service: Consents, tenant: Tenant) -> None:
    token = {"Authorization": tenant.alice["Authorization"]}
    for key in ({}, {"X-Client-Key": "no-such-key"}, {"X-Client-Key": "Basic !!"}):
        error = assert_error(
            await service.http.get(CONSENTS, headers={**token, **key}), 401, "invalidClientKey"
        )
        assert error["message"] == "The client key is missing or unknown.", key


async def test_a_key_identity_revoked_stops_opening_the_tenant(service: Consents) -> None:
    tenant_id = uuid.uuid4()
    alice = service.headers(tenant_id)
    assert (await service.http.get(CONSENTS, headers=alice)).status_code == 200  # now cached
    forgotten = service.client_keys.forget(alice["X-Client-Key"])
    assert forgotten is not None
    revoked = Event(
        type="identity.client.revoked",
        tenant_id=tenant_id,
        aggregate_id=str(forgotten[1]),
        data={
            "client_id": str(forgotten[1]),
            "key_hash": hashlib.sha256(alice["X-Client-Key"].encode()).hexdigest(),
        },
    )
    await publish(service.wired.runtime.js, revoked)
    assert_error(await status_becomes(service, alice, 401), 401, "invalidClientKey")


async def test_a_service_token_needs_no_client_key(service: Consents, tenant: Tenant) -> None:
    caller = service.headers(tenant.id, service=True)
    assert "X-Client-Key" not in caller
    assert (await service.http.get(CONSENTS, headers=caller)).status_code == 200


async def test_a_service_token_for_another_service_is_refused(service: Consents, tenant: Tenant) -> None:
    for_identity = service.headers(tenant.id, service=True, audience="identity", scope="identity.read")
    for_everyone = service.headers(tenant.id, service=True, audience="proximity")

    for caller in (for_identity, for_everyone):
        assert_error(await service.http.get(CONSENTS, headers=caller), 401, "invalidToken")


async def test_a_service_token_does_only_what_its_scope_grants(service: Consents, tenant: Tenant) -> None:
    reader = service.headers(tenant.id, service=True, scope="consents.read")
    body = {"userId": str(tenant.alice_id), "type": "privacy", "contextUri": "/products/products/1"}

    assert (await service.http.get(CONSENTS, headers=reader)).status_code == 200
    error = assert_error(
        await service.http.post(CONSENTS, json=body, headers=reader), 403, "permissionDenied"
    )
    assert "consents.write" in error["message"]
    assert_error(
        await service.http.get(CONSENTS, headers=service.headers(tenant.id, service=True, scope="")),
        403,
        "permissionDenied",
    )
