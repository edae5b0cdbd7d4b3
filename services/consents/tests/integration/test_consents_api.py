"""The API root, apiDoc (the generated OpenAPI document), and seed 001 ``_error`` bodies for
authentication and routing errors."""

from __future__ import annotations

import uuid

from .conftest import Consents, Tenant, assert_error


async def test_root_links_the_top_level_resources(service: Consents, tenant: Tenant) -> None:
    for path in ("/consents/", "/consents"):
        response = await service.http.get(path, headers=tenant.alice)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/hal+json")
        body = response.json()
        assert body["_profile"].endswith("/root/v1.0.0/profile.json")
        assert body["apiVersion"] == "0.2.4"
        links = body["_links"]
        assert links["apiture:consents"]["href"] == "/consents/consents"
        assert links["apiture:consentTypeNames"]["href"] == "/consents/consentTypeNames"
        assert links["apiture:neededConsents"]["href"] == "/consents/neededConsents"


async def test_api_doc_is_the_generated_document_with_seed_001_operations(service: Consents) -> None:
    response = await service.http.get("/consents/apiDoc")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.content == (await service.http.get("/openapi.json")).content
    document = response.json()
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] == "Consents"
    assert document["info"]["version"] == "0.2.4"
    public = {
        op["operationId"]
        for path in document["paths"].values()
        for op in path.values()
        if not op.get("x-internal")
    }
    assert public == {
        "getApi",
        "getApiWithoutSlash",
        "getApiDoc",
        "getConsents",
        "createConsent",
        "getConsent",
        "getNeededConsents",
        "reviseDocument",
        "giveConsent",
        "revokeConsent",
        "rescindConsents",
        "getConsentTypeNames",
        "updateConsentTypeNames",
    }
    give = document["paths"]["/consents/givenConsents"]["post"]["responses"]
    assert set(give["409"]["content"]) == {"application/hal+json"}


async def test_no_or_bad_token_is_a_401_error_response(service: Consents, tenant: Tenant) -> None:
    assert_error(await service.http.get("/consents/consents"), 401, "invalidToken")
    forged = {"Authorization": "Bearer not-a-token"}
    assert_error(await service.http.get("/consents/consents", headers=forged), 401)


async def test_unknown_route_and_wrong_verb(service: Consents, tenant: Tenant) -> None:
    assert_error(await service.http.get("/consents/nothing-here", headers=tenant.alice), 404, "notFound")
    response = await service.http.delete(f"/consents/consents/{uuid.uuid4()}", headers=tenant.alice)
    assert_error(response, 405, "methodNotAllowed")
