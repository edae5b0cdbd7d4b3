"""``GET/PUT /consents/consentTypeNames``: defaults, ETag/If-Match, admin only, in-use removal."""

from __future__ import annotations

from typing import Any

from .conftest import Consents, Tenant, assert_error, consent_body

PATH = "/consents/consentTypeNames"


def _names(*names: str) -> dict[str, Any]:
    return {"names": {name: [{"label": name.title(), "description": f"About {name}."}] for name in names}}


async def test_defaults_are_the_seed_set_with_an_etag(service: Consents, tenant: Tenant) -> None:
    response = await service.http.get(PATH, headers=tenant.alice)
    assert response.status_code == 200
    assert response.headers["etag"].startswith('"')
    names = response.json()["names"]
    assert set(names) == {"termsAndConditions", "privacyPolicy", "electronicConsent"}
    assert names["privacyPolicy"][0]["label"] == "Privacy Policy"


async def test_put_replaces_the_set_and_changes_the_etag(service: Consents, tenant: Tenant) -> None:
    before = await service.http.get(PATH, headers=tenant.admin)
    etag = before.headers["etag"]
    response = await service.http.put(
        PATH, json=_names("privacyPolicy", "marketing"), headers={**tenant.admin, "If-Match": etag}
    )
    assert response.status_code == 200, response.text
    assert set(response.json()["names"]) == {"privacyPolicy", "marketing"}
    assert response.headers["etag"] != etag
    after = await service.http.get(PATH, headers=tenant.alice)
    assert set(after.json()["names"]) == {"privacyPolicy", "marketing"}
    assert after.headers["etag"] == response.headers["etag"]
    # The old tag is stale now.
    stale = await service.http.put(
        PATH, json=_names("privacyPolicy"), headers={**tenant.admin, "If-Match": etag}
    )
    assert_error(stale, 412, "preconditionFailed")


async def test_put_is_for_administrators(service: Consents, tenant: Tenant) -> None:
    assert_error(await service.http.put(PATH, json=_names("x"), headers=tenant.alice), 403)
    holder = service.headers(tenant.id, permissions=("consents.admin",))
    assert (await service.http.put(PATH, json=_names("x"), headers=holder)).status_code == 200


async def test_removing_a_type_in_use_is_a_409(service: Consents, tenant: Tenant) -> None:
    created = await service.http.post(
        "/consents/consents", json=consent_body(tenant.alice_id), headers=tenant.admin
    )
    assert created.status_code == 201
    error = assert_error(
        await service.http.put(PATH, json=_names("privacyPolicy"), headers=tenant.admin),
        409,
        "consentTypeInUse",
    )
    assert error["attributes"]["types"] == ["termsAndConditions"]


async def test_malformed_sets_are_400(service: Consents, tenant: Tenant) -> None:
    assert_error(await service.http.put(PATH, json={"names": {}}, headers=tenant.admin), 400)
    assert_error(await service.http.put(PATH, json={"names": {"x": "label"}}, headers=tenant.admin), 400)
    invalid = {"names": {"1bad": [{"label": ""}], "ok": [{"label": "A"}, {"label": "B"}]}}
    error = assert_error(await service.http.put(PATH, json=invalid, headers=tenant.admin), 400)
    assert error["type"] == "invalidConsentTypeNames"
    assert len(error["errors"]) == 3
    response = await service.http.put(
        PATH, content=b"{", headers={**tenant.admin, "Content-Type": "application/json"}
    )
    assert_error(response, 400)
    response = await service.http.put(
        PATH, content=b"names", headers={**tenant.admin, "Content-Type": "text/plain"}
    )
    assert_error(response, 415)


async def test_each_tenant_has_its_own_set(service: Consents, tenant: Tenant) -> None:
    from .conftest import new_tenant

    other = new_tenant(service)
    await service.http.put(PATH, json=_names("onlyHere"), headers=tenant.admin)
    theirs = await service.http.get(PATH, headers=other.alice)
    assert "onlyHere" not in theirs.json()["names"]
