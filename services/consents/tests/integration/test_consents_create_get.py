"""``POST /consents/consents`` and ``GET /consents/consents/{id}``: HAL shape, ETag, 304,
the existing-request 200, documented errors, events, history and who may see what."""

from __future__ import annotations

import uuid

from .conftest import Consents, Tenant, assert_error, consent_body, new_tenant, recorded_events

CONSENTS = "/consents/consents"


async def test_create_answers_201_with_location_etag_and_hal(service: Consents, tenant: Tenant) -> None:
    body = consent_body(tenant.alice_id)
    response = await service.http.post(CONSENTS, json=body, headers=tenant.alice)
    assert response.status_code == 201, response.text
    consent = response.json()
    consent_id = consent["_id"]
    assert response.headers["location"] == f"/consents/consents/{consent_id}"
    assert response.headers["etag"]
    assert consent["_profile"].endswith("/consent/v1.0.0/profile.json")
    assert consent["state"] == "pending"
    assert consent["document"] == body["document"]
    assert consent["userId"] == str(tenant.alice_id)
    assert consent["contextUri"] == body["contextUri"]
    assert "givenAt" not in consent
    links = consent["_links"]
    assert links["self"]["href"] == f"/consents/consents/{consent_id}"
    assert links["apiture:give"]["href"] == f"/consents/givenConsents?consent={consent_id}"
    assert links["apiture:rescind"]["href"] == f"/consents/rescindedConsents?consent={consent_id}"
    assert "apiture:revoke" not in links  # a pending consent has nothing to revoke
    events = await recorded_events(service, "consents.consent.requested", consent_id)
    assert len(events) == 1
    assert events[0]["tenant_id"] == str(tenant.id)
    assert events[0]["data"]["consent"]["state"] == "pending"


async def test_same_request_again_answers_200_with_the_existing(service: Consents, tenant: Tenant) -> None:
    body = consent_body(tenant.alice_id)
    first = await service.http.post(CONSENTS, json=body, headers=tenant.alice)
    again = await service.http.post(CONSENTS, json=body, headers=tenant.admin)
    assert again.status_code == 200
    assert again.json()["_id"] == first.json()["_id"]
    assert again.headers["location"] == first.headers["location"]
    # Another context is an independent consent (seed: contexts).
    other_context = await service.http.post(
        CONSENTS, json={**body, "contextUri": "/products/products/other"}, headers=tenant.alice
    )
    assert other_context.status_code == 201


async def test_create_errors(service: Consents, tenant: Tenant) -> None:
    unknown = await service.http.post(
        CONSENTS, json=consent_body(tenant.alice_id, type="noSuchType"), headers=tenant.alice
    )
    assert_error(unknown, 400, "unknownConsentType")
    missing = consent_body(tenant.alice_id)
    del missing["document"]["uri"], missing["type"]
    error = assert_error(await service.http.post(CONSENTS, json=missing, headers=tenant.alice), 400)
    assert len(error["errors"]) == 2  # one nested error per invalid field
    for_bob = await service.http.post(CONSENTS, json=consent_body(tenant.bob_id), headers=tenant.alice)
    assert_error(for_bob, 403)


async def test_get_with_etag_304_and_history(service: Consents, tenant: Tenant) -> None:
    created = await service.http.post(CONSENTS, json=consent_body(tenant.alice_id), headers=tenant.alice)
    href = created.headers["location"]
    response = await service.http.get(href, headers=tenant.alice)
    assert response.status_code == 200
    etag = response.headers["etag"]
    assert etag == created.headers["etag"]
    history = response.json()["_embedded"]["history"]
    assert [(h["cause"], h["toState"]) for h in history] == [("request", "pending")]
    assert history[0]["actor"] == {"kind": "user", "id": str(tenant.alice_id)}
    not_modified = await service.http.get(href, headers={**tenant.alice, "If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    changed = await service.http.get(href, headers={**tenant.alice, "If-None-Match": '"other"'})
    assert changed.status_code == 200


async def test_unknown_consent_is_404(service: Consents, tenant: Tenant) -> None:
    assert_error(
        await service.http.get(f"{CONSENTS}/{uuid.uuid4()}", headers=tenant.admin), 404, "consentNotFound"
    )
    assert_error(await service.http.get(f"{CONSENTS}/not-an-id", headers=tenant.admin), 404)


async def test_users_see_only_their_own_and_tenants_are_isolated(service: Consents, tenant: Tenant) -> None:
    created = await service.http.post(CONSENTS, json=consent_body(tenant.alice_id), headers=tenant.alice)
    href = created.headers["location"]
    assert (await service.http.get(href, headers=tenant.admin)).status_code == 200
    assert_error(await service.http.get(href, headers=tenant.bob), 404)
    other = new_tenant(service)
    assert_error(await service.http.get(href, headers=other.admin), 404)
    service_caller = service.headers(tenant.id, service=True)
    assert (await service.http.get(href, headers=service_caller)).status_code == 200
