"""``givenConsents``, ``revokedConsents``, ``rescindedConsents``, ``revisedDocuments`` and
``neededConsents`` over HTTP against PostgreSQL: states, documented errors, outbox events,
history, who may do what, and a give racing a revoke."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from sqlalchemy import text

from .conftest import Consents, Tenant, assert_error, consent_body, recorded_events

CONSENTS = "/consents/consents"
GIVEN = "/consents/givenConsents"
REVOKED = "/consents/revokedConsents"
RESCINDED = "/consents/rescindedConsents"
REVISED = "/consents/revisedDocuments"
NEEDED = "/consents/neededConsents"
CONTEXT = "/products/products/34011fe5-192d-4ffb-be32-e7215e56028a"
REVISED_AT = "2019-07-23T08:26:45.375Z"


async def create(service: Consents, tenant: Tenant, **overrides: Any) -> dict[str, Any]:
    user = overrides.pop("user_id", tenant.alice_id)
    response = await service.http.post(CONSENTS, json=consent_body(user, **overrides), headers=tenant.admin)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    body["etag"] = response.headers["etag"]
    return body


def document(uri: str | None = None, revised_at: str = REVISED_AT) -> dict[str, Any]:
    return {
        "uri": uri or f"/vault/files/{uuid.uuid4()}/content",
        "contentType": "application/pdf",
        "revisionId": "2019:1.02.0",
        "revisedAt": revised_at,
    }


async def fetch(service: Consents, tenant: Tenant, consent_id: str) -> dict[str, Any]:
    response = await service.http.get(f"{CONSENTS}/{consent_id}", headers=tenant.admin)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    body["etag"] = response.headers["etag"]
    return body


async def give(service: Consents, headers: dict[str, str], consent_id: str, **params: str) -> httpx.Response:
    return await service.http.post(GIVEN, params={"consent": consent_id, **params}, headers=headers)


async def revoke(service: Consents, headers: dict[str, str], consent_id: str) -> httpx.Response:
    return await service.http.post(REVOKED, params={"consent": consent_id}, headers=headers)


async def revise(service: Consents, headers: dict[str, str], **body: Any) -> httpx.Response:
    return await service.http.post(REVISED, json=body, headers=headers)


async def twins(service: Consents, tenant: Tenant) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two pending consents of Alice with the same type, document URI and context: the second
    was requested for another document, which then moved to the first one's URI (newUri)."""
    first = await create(service, tenant)
    uri = first["document"]["uri"]
    second = await create(service, tenant, document=document())
    moved = await revise(
        service,
        tenant.admin,
        type="termsAndConditions",
        uri=second["document"]["uri"],
        revisedAt=REVISED_AT,
        newUri=uri,
    )
    assert moved.status_code == 202, moved.text
    assert (await fetch(service, tenant, second["_id"]))["document"]["uri"] == uri
    return first, second


async def history_of(service: Consents, consent_id: str) -> list[tuple[int, str | None, str, str]]:
    async with service.wired.unit_of_work() as uow:
        rows = await uow.session.execute(
            text(
                "SELECT version, from_state, to_state, cause FROM consent_history "
                "WHERE consent_id = :id ORDER BY version"
            ),
            {"id": uuid.UUID(consent_id)},
        )
        return [(r[0], r[1], r[2], r[3]) for r in rows]


# --- givenConsents ----------------------------------------------------------------------------


async def test_give_matching_gives_the_matches_and_embeds_them(service: Consents, tenant: Tenant) -> None:
    first, second = await twins(service, tenant)
    elsewhere = await create(service, tenant, document=first["document"], contextUri="/products/other")
    response = await give(service, tenant.alice, first["_id"])  # scope defaults to matching
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["_id"] == first["_id"]
    assert body["state"] == "given"
    assert body["givenAt"]
    assert response.headers["etag"] == (await fetch(service, tenant, first["_id"]))["etag"]
    assert "apiture:give" not in body["_links"]
    assert body["_links"]["apiture:revoke"]["href"] == f"/consents/revokedConsents?consent={first['_id']}"
    embedded = body["_embedded"]["consents"]
    assert [c["_id"] for c in embedded] == [second["_id"]]
    assert embedded[0]["state"] == "given"
    assert (await fetch(service, tenant, second["_id"]))["state"] == "given"
    assert (await fetch(service, tenant, elsewhere["_id"]))["state"] == "pending"  # another context
    for consent_id in (first["_id"], second["_id"]):
        events = await recorded_events(service, "consents.consent.given", consent_id)
        assert len(events) == 1
        assert events[0]["data"]["consent"]["state"] == "given"
        assert events[0]["data"]["actor"] == {"kind": "user", "id": str(tenant.alice_id)}
    reason = (await fetch(service, tenant, second["_id"]))["_embedded"]["history"][-1]["reason"]
    assert first["_id"] in reason


async def test_give_instance_gives_only_the_named(service: Consents, tenant: Tenant) -> None:
    first, second = await twins(service, tenant)
    response = await give(service, tenant.alice, first["_id"], scope="instance")
    assert response.status_code == 200, response.text
    assert "_embedded" not in response.json()
    assert (await fetch(service, tenant, second["_id"]))["state"] == "pending"
    assert await recorded_events(service, "consents.consent.given", second["_id"]) == []


async def test_give_accepts_the_consent_uri_and_if_match(service: Consents, tenant: Tenant) -> None:
    consent = await create(service, tenant)
    href = f"/consents/consents/{consent['_id']}"
    response = await service.http.post(
        GIVEN, params={"consent": href}, headers={**tenant.alice, "If-Match": consent["etag"]}
    )
    assert response.status_code == 200, response.text
    assert response.headers["etag"] != consent["etag"]
    # Giving again re-affirms (given -> given), but not with the ETag from before.
    stale = await service.http.post(
        GIVEN, params={"consent": href}, headers={**tenant.alice, "If-Match": consent["etag"]}
    )
    assert_error(stale, 412, "preconditionFailed")
    again = await service.http.post(
        GIVEN, params={"consent": href}, headers={**tenant.alice, "If-Match": response.headers["etag"]}
    )
    assert again.status_code == 200


async def test_give_errors(service: Consents, tenant: Tenant) -> None:
    consent = await create(service, tenant)
    assert_error(await service.http.post(GIVEN, headers=tenant.alice), 400, "malformedQueryParameter")
    assert_error(await give(service, tenant.alice, "not-a-consent"), 400, "invalidConsentParameter")
    assert_error(await give(service, tenant.alice, str(uuid.uuid4())), 400, "invalidConsentParameter")
    # Bob cannot reach Alice's consent: the same 400 as an unknown one (no existence leak).
    assert_error(await give(service, tenant.bob, consent["_id"]), 400, "invalidConsentParameter")
    assert_error(await give(service, tenant.alice, consent["_id"], scope="all"), 422)
    assert_error(await service.http.post(GIVEN, params={"consent": consent["_id"]}), 401)
    assert (await fetch(service, tenant, consent["_id"]))["state"] == "pending"
    # An administrator may give it on the user's behalf.
    assert (await give(service, tenant.admin, consent["_id"])).status_code == 200
    assert (await revoke(service, tenant.alice, consent["_id"])).status_code == 200
    assert_error(await give(service, tenant.alice, consent["_id"]), 409, "consentTransitionNotAllowed")
    rescinded = await create(service, tenant)
    assert (
        await service.http.post(RESCINDED, params={"consent": rescinded["_id"]}, headers=tenant.alice)
    ).status_code == 200
    assert_error(await give(service, tenant.alice, rescinded["_id"]), 409, "consentTransitionNotAllowed")


# --- revokedConsents --------------------------------------------------------------------------


async def test_revoke_sets_revoked_keeps_given_at_and_records(service: Consents, tenant: Tenant) -> None:
    consent = await create(service, tenant)
    given = await give(service, tenant.alice, consent["_id"])
    response = await service.http.post(
        REVOKED,
        params={"consent": consent["_id"]},
        headers={**tenant.alice, "If-Match": given.headers["etag"]},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["state"] == "revoked"
    assert body["requestRevokedAt"]
    assert body["givenAt"] == given.json()["givenAt"]
    assert set(body["_links"]) == {"self"}  # revoked is final
    assert response.headers["etag"] == (await fetch(service, tenant, consent["_id"]))["etag"]
    events = await recorded_events(service, "consents.consent.revoked", consent["_id"])
    assert len(events) == 1
    assert events[0]["data"]["consent"]["state"] == "revoked"


async def test_revoke_errors(service: Consents, tenant: Tenant) -> None:
    consent = await create(service, tenant)
    assert_error(await revoke(service, tenant.alice, consent["_id"]), 409, "consentTransitionNotAllowed")
    assert_error(await service.http.post(REVOKED, headers=tenant.alice), 400)
    assert_error(await revoke(service, tenant.alice, "x"), 400, "invalidConsentParameter")
    await give(service, tenant.alice, consent["_id"])
    assert_error(await revoke(service, tenant.bob, consent["_id"]), 400, "invalidConsentParameter")
    stale_tag = await service.http.post(
        REVOKED, params={"consent": consent["_id"]}, headers={**tenant.alice, "If-Match": consent["etag"]}
    )
    assert_error(stale_tag, 412, "preconditionFailed")
    assert (await fetch(service, tenant, consent["_id"]))["state"] == "given"
    assert (await revoke(service, tenant.alice, consent["_id"])).status_code == 200
    assert_error(await revoke(service, tenant.alice, consent["_id"]), 409)


# --- rescindedConsents ------------------------------------------------------------------------


async def test_rescind_rescinds_every_match(service: Consents, tenant: Tenant) -> None:
    pending = await create(service, tenant)
    given = await create(service, tenant, document=document())
    await give(service, tenant.alice, given["_id"])
    revoked = await create(service, tenant, document=document())
    await give(service, tenant.alice, revoked["_id"])
    await revoke(service, tenant.alice, revoked["_id"])
    other_context = await create(service, tenant, contextUri="/products/other")
    other_type = await create(service, tenant, type="privacyPolicy")
    bobs = await create(service, tenant, user_id=tenant.bob_id)
    params = {"type": "termsAndConditions", "context": CONTEXT, "user": str(tenant.alice_id)}
    response = await service.http.post(RESCINDED, params=params, headers=tenant.admin)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["name"] == "consents"
    assert body["count"] == 2
    items = body["_embedded"]["items"]
    assert sorted(i["_id"] for i in items) == sorted([pending["_id"], given["_id"]])
    assert {i["state"] for i in items} == {"rescinded"}
    assert all(i["requestRescindedAt"] for i in items)
    for untouched, state in ((revoked, "revoked"), (other_context, "pending"), (other_type, "pending")):
        assert (await fetch(service, tenant, untouched["_id"]))["state"] == state
    assert (await fetch(service, tenant, bobs["_id"]))["state"] == "pending"
    for consent in (pending, given):
        events = await recorded_events(service, "consents.consent.rescinded", consent["_id"])
        assert len(events) == 1
    # Nothing left to match: an empty collection, still 200.
    again = await service.http.post(RESCINDED, params=params, headers=tenant.admin)
    assert again.status_code == 200
    assert again.json()["_embedded"]["items"] == []
    assert again.json()["count"] == 0


async def test_rescind_with_document_and_by_the_owner(service: Consents, tenant: Tenant) -> None:
    one = await create(service, tenant)
    two = await create(service, tenant, document=document())
    params = {
        "type": "termsAndConditions",
        "context": CONTEXT,
        "user": str(tenant.alice_id),
        "document": one["document"]["uri"],
    }
    response = await service.http.post(RESCINDED, params=params, headers=tenant.alice)
    assert response.status_code == 200, response.text
    assert [i["_id"] for i in response.json()["_embedded"]["items"]] == [one["_id"]]
    assert (await fetch(service, tenant, two["_id"]))["state"] == "pending"
    # Without a context: only consents that have none.
    no_context = await create(service, tenant, type="privacyPolicy", contextUri=None)
    privacy = {"type": "privacyPolicy", "user": str(tenant.alice_id)}
    response = await service.http.post(
        RESCINDED, params=privacy, headers=service.headers(tenant.id, service=True)
    )
    assert [i["_id"] for i in response.json()["_embedded"]["items"]] == [no_context["_id"]]


async def test_rescind_one_by_its_link(service: Consents, tenant: Tenant) -> None:
    consent = await create(service, tenant)
    href = consent["_links"]["apiture:rescind"]["href"]
    stale = await service.http.post(href, headers={**tenant.alice, "If-Match": '"old"'})
    assert_error(stale, 412)
    response = await service.http.post(href, headers={**tenant.alice, "If-Match": consent["etag"]})
    assert response.status_code == 200, response.text
    assert [i["state"] for i in response.json()["_embedded"]["items"]] == ["rescinded"]
    assert response.headers["etag"] == (await fetch(service, tenant, consent["_id"]))["etag"]
    assert_error(await service.http.post(href, headers=tenant.alice), 409, "consentTransitionNotAllowed")


async def test_rescind_errors(service: Consents, tenant: Tenant) -> None:
    consent = await create(service, tenant)
    full = {"type": "termsAndConditions", "context": CONTEXT, "user": str(tenant.alice_id)}
    for missing in ("type", "user"):
        partial = {k: v for k, v in full.items() if k != missing}
        assert_error(await service.http.post(RESCINDED, params=partial, headers=tenant.admin), 400)
    assert_error(await service.http.post(RESCINDED, params={**full, "type": ""}, headers=tenant.admin), 400)
    assert_error(await service.http.post(RESCINDED, params=full, headers=tenant.bob), 403)
    assert (await fetch(service, tenant, consent["_id"]))["state"] == "pending"


# --- revisedDocuments -------------------------------------------------------------------------


async def test_revise_makes_given_consents_stale(service: Consents, tenant: Tenant) -> None:
    given = await create(service, tenant)
    await give(service, tenant.alice, given["_id"])
    bobs = await create(service, tenant, user_id=tenant.bob_id, document=given["document"])
    await give(service, tenant.bob, bobs["_id"])
    other_context = await create(service, tenant, document=given["document"], contextUri="/products/other")
    await give(service, tenant.alice, other_context["_id"])
    uri = given["document"]["uri"]
    revision = {
        "_profile": "https://api.apiture.com/schemas/consents/revisedDocument/v1.0.0/profile.json",
        "type": "termsAndConditions",
        "uri": uri,
        "contextUri": CONTEXT,
        "revisedAt": "2019-10-05T10:30:00.000Z",
        "revisionId": "2019:1.2.0",
    }
    response = await revise(service, tenant.admin, **revision)
    assert response.status_code == 202, response.text
    assert response.json() == revision
    for consent in (given, bobs):
        now = await fetch(service, tenant, consent["_id"])
        assert now["state"] == "stale"
        assert now["document"]["revisionId"] == "2019:1.2.0"
        assert now["document"]["revisedAt"] == "2019-10-05T10:30:00.000Z"
        assert "apiture:give" in now["_links"]
        events = await recorded_events(service, "consents.consent.stale", consent["_id"])
        assert len(events) == 1
        assert events[0]["data"]["consent"]["document"]["revisionId"] == "2019:1.2.0"
    assert (await fetch(service, tenant, other_context["_id"]))["state"] == "given"
    # Already at that revision: not stale again.
    await give(service, tenant.alice, given["_id"])
    assert (await revise(service, tenant.admin, **revision)).status_code == 202
    assert (await fetch(service, tenant, given["_id"]))["state"] == "given"
    needed = await service.http.get(NEEDED, headers=tenant.bob)
    assert [i["_id"] for i in needed.json()["_embedded"]["items"]] == [bobs["_id"]]


async def test_revise_with_new_uri_moves_them(service: Consents, tenant: Tenant) -> None:
    consent = await create(service, tenant)
    await give(service, tenant.alice, consent["_id"])
    new_uri = f"/vault/files/{uuid.uuid4()}/content"
    response = await revise(
        service,
        service.headers(tenant.id, service=True),
        type="termsAndConditions",
        uri=consent["document"]["uri"],
        revisedAt="2020-01-01T00:00:00Z",
        newUri=new_uri,
    )
    assert response.status_code == 202, response.text
    assert response.json()["revisedAt"] == "2020-01-01T00:00:00.000Z"
    now = await fetch(service, tenant, consent["_id"])
    assert now["state"] == "stale"
    assert now["document"]["uri"] == new_uri
    assert "revisionId" not in now["document"]  # the revision named none
    # Giving it again gives the moved consent.
    assert (await give(service, tenant.alice, consent["_id"])).json()["document"]["uri"] == new_uri


async def test_revise_errors(service: Consents, tenant: Tenant) -> None:
    consent = await create(service, tenant)
    await give(service, tenant.alice, consent["_id"])
    body = {
        "type": "termsAndConditions",
        "uri": consent["document"]["uri"],
        "revisedAt": "2020-01-01T00:00:00Z",
    }
    assert_error(await revise(service, tenant.alice, **body), 403)
    assert_error(
        await revise(service, tenant.admin, **{**body, "type": "noSuchType"}), 400, "unknownConsentType"
    )
    error = assert_error(await revise(service, tenant.admin, uri="/x"), 400)
    assert len(error["errors"]) == 2  # type and revisedAt
    assert_error(await revise(service, tenant.admin, **{**body, "revisedAt": "2020-01-01T00:00:00"}), 400)
    assert (await fetch(service, tenant, consent["_id"]))["state"] == "given"


# --- neededConsents ---------------------------------------------------------------------------


async def test_needed_consents_for_self_and_for_another(service: Consents, tenant: Tenant) -> None:
    pending = await create(service, tenant)
    stale = await create(service, tenant, document=document())
    await give(service, tenant.alice, stale["_id"])
    await revise(
        service,
        tenant.admin,
        type="termsAndConditions",
        uri=stale["document"]["uri"],
        revisedAt="2021-01-01T00:00:00Z",
    )
    given = await create(service, tenant, document=document())
    await give(service, tenant.alice, given["_id"])
    revoked = await create(service, tenant, document=document())
    await give(service, tenant.alice, revoked["_id"])
    await revoke(service, tenant.alice, revoked["_id"])
    rescinded = await create(service, tenant, document=document())
    await service.http.post(RESCINDED, params={"consent": rescinded["_id"]}, headers=tenant.admin)
    bobs = await create(service, tenant, user_id=tenant.bob_id)

    mine = await service.http.get(NEEDED, headers=tenant.alice)
    assert mine.status_code == 200, mine.text
    body = mine.json()
    assert body["name"] == "consents"
    assert body["count"] == 2
    assert sorted(i["_id"] for i in body["_embedded"]["items"]) == sorted([pending["_id"], stale["_id"]])
    assert {i["state"] for i in body["_embedded"]["items"]} == {"pending", "stale"}
    assert body["_links"]["self"]["href"].startswith("/consents/neededConsents?")

    as_admin = await service.http.get(NEEDED, params={"userId": str(tenant.alice_id)}, headers=tenant.admin)
    assert sorted(i["_id"] for i in as_admin.json()["_embedded"]["items"]) == sorted(
        [pending["_id"], stale["_id"]]
    )
    bob = await service.http.get(NEEDED, headers=tenant.bob)
    assert [i["_id"] for i in bob.json()["_embedded"]["items"]] == [bobs["_id"]]
    own = await service.http.get(NEEDED, params={"userId": str(tenant.bob_id)}, headers=tenant.bob)
    assert own.json()["count"] == 1
    unknown = await service.http.get(NEEDED, params={"userId": "nobody"}, headers=tenant.admin)
    assert unknown.status_code == 200
    assert unknown.json()["_embedded"]["items"] == []
    page = await service.http.get(NEEDED, params={"limit": "1"}, headers=tenant.alice)
    assert len(page.json()["_embedded"]["items"]) == 1
    assert "next" in page.json()["_links"]


async def test_needed_consents_errors(service: Consents, tenant: Tenant) -> None:
    other = await service.http.get(NEEDED, params={"userId": str(tenant.alice_id)}, headers=tenant.bob)
    assert_error(other, 403)
    assert_error(await service.http.get(NEEDED, headers=service.headers(tenant.id, service=True)), 400)
    assert_error(await service.http.get(NEEDED, params={"limit": "x"}, headers=tenant.alice), 400)
    assert_error(await service.http.get(NEEDED, params={"limit": "0"}, headers=tenant.alice), 422)
    assert_error(await service.http.get(NEEDED), 401)


# --- concurrency and history ------------------------------------------------------------------


async def test_concurrent_give_and_revoke_cannot_both_win(service: Consents, tenant: Tenant) -> None:
    for _ in range(5):
        consent = await create(service, tenant, document=document())
        given = await give(service, tenant.alice, consent["_id"])
        etag = given.headers["etag"]
        headers = {**tenant.alice, "If-Match": etag}
        results = await asyncio.gather(
            service.http.post(GIVEN, params={"consent": consent["_id"]}, headers=headers),
            service.http.post(REVOKED, params={"consent": consent["_id"]}, headers=headers),
        )
        statuses = sorted(r.status_code for r in results)
        assert statuses[0] == 200, [r.text for r in results]
        assert statuses[1] in (409, 412), [r.text for r in results]
        winner = next(r for r in results if r.status_code == 200).json()
        assert (await fetch(service, tenant, consent["_id"]))["state"] == winner["state"]
        history = await history_of(service, consent["_id"])
        assert [v for v, *_ in history] == [1, 2, 3]  # exactly one transition after the first give


async def test_concurrent_revokes_one_wins(service: Consents, tenant: Tenant) -> None:
    consent = await create(service, tenant)
    await give(service, tenant.alice, consent["_id"])
    results = await asyncio.gather(*(revoke(service, tenant.alice, consent["_id"]) for _ in range(4)))
    assert sorted(r.status_code for r in results) == [200, 409, 409, 409]
    assert len(await recorded_events(service, "consents.consent.revoked", consent["_id"])) == 1


async def test_every_transition_is_appended_to_the_history(service: Consents, tenant: Tenant) -> None:
    consent = await create(service, tenant)
    await give(service, tenant.alice, consent["_id"])
    await revise(
        service,
        tenant.admin,
        type="termsAndConditions",
        uri=consent["document"]["uri"],
        revisedAt="2022-02-02T00:00:00Z",
    )
    await give(service, tenant.alice, consent["_id"])
    await revoke(service, tenant.admin, consent["_id"])
    assert await history_of(service, consent["_id"]) == [
        (1, None, "pending", "request"),
        (2, "pending", "given", "give"),
        (3, "given", "stale", "revise"),
        (4, "stale", "given", "give"),
        (5, "given", "revoked", "revoke"),
    ]
    history = (await fetch(service, tenant, consent["_id"]))["_embedded"]["history"]
    assert [h["actor"]["kind"] for h in history] == [
        "administrator",
        "user",
        "administrator",
        "user",
        "administrator",
    ]
    assert history[2]["reason"].startswith("document ")
