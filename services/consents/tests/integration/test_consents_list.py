"""``GET /consents/consents``: alternatives, filter, q, sortBy, pages and HAL links, errors,
and ordinary users seeing only their own consents."""

from __future__ import annotations

from typing import Any

from .conftest import Consents, Tenant, assert_error, consent_body, new_tenant

CONSENTS = "/consents/consents"


async def _seed(service: Consents, tenant: Tenant) -> list[dict[str, Any]]:
    made = []
    for user, kind, context in [
        (tenant.alice_id, "termsAndConditions", "/products/a"),
        (tenant.alice_id, "privacyPolicy", None),
        (tenant.alice_id, "electronicConsent", "/products/b"),
        (tenant.bob_id, "termsAndConditions", "/products/a"),
        (tenant.bob_id, "privacyPolicy", None),
    ]:
        body = consent_body(user, type=kind, contextUri=context)
        if context is None:
            del body["contextUri"]
        response = await service.http.post(CONSENTS, json=body, headers=tenant.admin)
        assert response.status_code == 201, response.text
        made.append(response.json())
    return made


async def _ids(service: Consents, headers: dict[str, str], query: str = "") -> list[str]:
    response = await service.http.get(f"{CONSENTS}{query}", headers=headers)
    assert response.status_code == 200, response.text
    return [item["_id"] for item in response.json()["_embedded"]["items"]]


async def test_collection_shape_and_pages(service: Consents, tenant: Tenant) -> None:
    made = await _seed(service, tenant)
    response = await service.http.get(f"{CONSENTS}?start=2&limit=2&sortBy=type", headers=tenant.admin)
    body = response.json()
    assert body["_profile"].endswith("/consents/v1.0.0/profile.json")
    assert (body["start"], body["limit"], body["count"], body["name"]) == (2, 2, 5, "consents")
    links = body["_links"]
    assert links["self"]["href"] == "/consents/consents?sortBy=type&start=2&limit=2"
    assert links["first"]["href"] == "/consents/consents?sortBy=type&start=0&limit=2"
    assert links["prev"]["href"] == "/consents/consents?sortBy=type&start=0&limit=2"
    assert links["next"]["href"] == "/consents/consents?sortBy=type&start=4&limit=2"
    assert links["collection"]["href"] == "/consents/consents"
    items = body["_embedded"]["items"]
    assert [i["type"] for i in items] == ["privacyPolicy", "termsAndConditions"]
    summary = items[0]
    assert summary["_profile"].endswith("/summaryConsent/v1.0.0/profile.json")
    assert set(summary["_links"]) == {"self"}
    assert {"_id", "document", "type", "userId", "state"} <= set(summary)
    last = (await service.http.get(f"{CONSENTS}?start=4&limit=2", headers=tenant.admin)).json()
    assert "next" not in last["_links"]
    assert len(last["_embedded"]["items"]) == 1
    assert len(made) == 5


async def test_alternatives_filter_q_and_sort(service: Consents, tenant: Tenant) -> None:
    made = await _seed(service, tenant)
    by_id = {c["_id"]: c for c in made}
    types = await _ids(service, tenant.admin, "?type=privacyPolicy|electronicConsent")
    assert sorted(by_id[i]["type"] for i in types) == ["electronicConsent", "privacyPolicy", "privacyPolicy"]
    users = await _ids(service, tenant.admin, f"?userId={tenant.bob_id}&contextUri=/products/a")
    assert [by_id[i]["userId"] for i in users] == [str(tenant.bob_id)]
    assert await _ids(service, tenant.admin, "?state=given|stale") == []
    assert len(await _ids(service, tenant.admin, "?state=pending")) == 5
    filtered = await _ids(
        service, tenant.admin, f"?filter=and(eq(type,privacyPolicy),eq(userId,{tenant.alice_id}))"
    )
    assert [by_id[i]["type"] for i in filtered] == ["privacyPolicy"]
    negated = await _ids(service, tenant.admin, "?filter=not(eq(contextUri,/products/a))")
    assert len(negated) == 3  # a missing contextUri equals nothing, so its negation holds
    assert len(await _ids(service, tenant.admin, "?q=PRODUCTS/B")) == 1
    descending = await _ids(service, tenant.admin, "?sortBy=-type,userId")
    assert [by_id[i]["type"] for i in descending][:2] == ["termsAndConditions", "termsAndConditions"]


async def test_bad_queries(service: Consents, tenant: Tenant) -> None:
    get = service.http.get
    assert_error(await get(f"{CONSENTS}?filter=eq(state,given", headers=tenant.admin), 400, "invalidFilter")
    assert_error(await get(f"{CONSENTS}?filter=eq(nope,x)", headers=tenant.admin), 400, "invalidFilter")
    assert_error(await get(f"{CONSENTS}?start=abc", headers=tenant.admin), 400, "malformedQueryParameter")
    assert_error(await get(f"{CONSENTS}?type=a||b", headers=tenant.admin), 400, "malformedQueryParameter")
    assert_error(await get(f"{CONSENTS}?limit=0", headers=tenant.admin), 422, "invalidQueryParameterValue")
    assert_error(await get(f"{CONSENTS}?state=bogus", headers=tenant.admin), 422)
    assert_error(await get(f"{CONSENTS}?sortBy=nothing", headers=tenant.admin), 422)


async def test_ordinary_users_see_only_their_own(service: Consents, tenant: Tenant) -> None:
    made = await _seed(service, tenant)
    alices = {c["_id"] for c in made if c["userId"] == str(tenant.alice_id)}
    assert set(await _ids(service, tenant.alice)) == alices
    assert await _ids(service, tenant.alice, f"?userId={tenant.bob_id}") == []
    assert set(await _ids(service, tenant.alice, f"?userId={tenant.bob_id}|{tenant.alice_id}")) == alices
    administrator = service.headers(tenant.id, permissions=("consents.admin",))
    assert len(await _ids(service, administrator)) == 5
    assert await _ids(service, new_tenant(service).admin) == []
