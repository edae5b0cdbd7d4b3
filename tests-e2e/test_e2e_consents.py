"""The consents service through the real gateway, as `make run` starts it: the API root, the
consent type names, requesting a consent for the caller's own party, reading it back and
listing it, a bad filter in seed 001's ``_error`` body, and the gateway's 401 without a token."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest

from e2e_stack import DEMO_KEY, admin_token

KEY = {"X-Client-Key": DEMO_KEY}
HAL = "application/hal+json"


@pytest.fixture(scope="module")
def auth(stack: Any) -> dict[str, str]:
    with httpx.Client(base_url=stack.gateway, timeout=30) as gateway:
        tokens = admin_token(gateway)
    return {**KEY, "Authorization": f"Bearer {tokens['access_token']}"}


@pytest.fixture(scope="module")
def party_id(stack: Any, auth: dict[str, str]) -> str:
    with httpx.Client(base_url=stack.gateway, timeout=30) as gateway:
        me = gateway.get("/users/me", headers=auth)
    assert me.status_code == 200, me.text
    party: str = me.json()["data"]["party_id"]
    assert party
    return party


def hal(response: httpx.Response) -> dict[str, Any]:
    assert response.headers["content-type"].startswith(HAL), response.headers["content-type"]
    body: dict[str, Any] = response.json()
    return body


def consent_request(user_id: str) -> dict[str, Any]:
    """A consent for a fresh document: nothing earlier in the session can match it."""
    return {
        "type": "privacyPolicy",
        "userId": user_id,
        "document": {
            "uri": f"https://cdn.example.com/policies/privacy-{uuid.uuid4()}.pdf",
            "contentType": "application/pdf",
            "revisedAt": "2024-05-01T09:30:00.000Z",
            "revisionId": "2024-05",
        },
    }


def test_api_root_links_the_resources(gateway: httpx.Client, auth: dict[str, str]) -> None:
    response = gateway.get("/consents/", headers=auth)
    assert response.status_code == 200, response.text
    body = hal(response)
    assert body["_id"] == "consents"
    assert body["apiVersion"]
    links = body["_links"]
    assert links["self"]["href"] == "/consents/"
    assert links["apiture:consents"]["href"] == "/consents/consents"
    assert links["apiture:consentTypeNames"]["href"] == "/consents/consentTypeNames"
    assert links["apiture:apiDoc"]["href"] == "/consents/apiDoc"


def test_consent_type_names_carry_an_etag(gateway: httpx.Client, auth: dict[str, str]) -> None:
    response = gateway.get("/consents/consentTypeNames", headers=auth)
    assert response.status_code == 200, response.text
    etag = response.headers["etag"]
    assert re.fullmatch(r'"[^"]+"', etag), etag  # a strong tag
    body = hal(response)
    assert {"termsAndConditions", "privacyPolicy", "electronicConsent"} <= body["names"].keys()
    assert body["_links"]["self"]["href"] == "/consents/consentTypeNames"
    again = gateway.get("/consents/consentTypeNames", headers={**auth, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["etag"] == etag
    changed = gateway.get("/consents/consentTypeNames", headers={**auth, "If-None-Match": '"other"'})
    assert changed.status_code == 200
    assert hal(changed)["names"] == body["names"]


def test_request_read_and_list_a_consent_for_the_own_party(
    gateway: httpx.Client, auth: dict[str, str], party_id: str
) -> None:
    request = consent_request(party_id)
    created = gateway.post("/consents/consents", headers=auth, json=request)
    assert created.status_code == 201, created.text
    consent = hal(created)
    consent_id = consent["_id"]
    location = created.headers["location"]
    assert location == f"/consents/consents/{consent_id}"
    assert consent["_links"]["self"]["href"] == location
    assert consent["state"] == "pending"
    assert consent["userId"] == party_id
    assert consent["type"] == "privacyPolicy"
    assert consent["document"]["uri"] == request["document"]["uri"]
    assert consent["document"]["revisionId"] == "2024-05"
    etag = created.headers["etag"]

    # The same request again finds the live consent: 200 with that one, nothing new.
    repeated = gateway.post("/consents/consents", headers=auth, json=request)
    assert repeated.status_code == 200, repeated.text
    assert hal(repeated)["_id"] == consent_id

    fetched = gateway.get(location, headers=auth)
    assert fetched.status_code == 200, fetched.text
    assert fetched.headers["etag"] == etag
    body = hal(fetched)
    assert body["_id"] == consent_id
    assert body["document"] == consent["document"]
    (history,) = body["_embedded"]["history"]
    assert history["cause"] == "request"
    assert history["toState"] == "pending"

    not_modified = gateway.get(location, headers={**auth, "If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.headers["etag"] == etag
    assert not_modified.content == b""

    listed = gateway.get(
        "/consents/consents",
        headers=auth,
        params={"filter": f'eq(document.uri,"{request["document"]["uri"]}")'},
    )
    assert listed.status_code == 200, listed.text
    page = hal(listed)
    assert page["count"] == 1
    (item,) = page["_embedded"]["items"]
    assert item["_id"] == consent_id
    assert item["_links"]["self"]["href"] == location

    everything = hal(gateway.get("/consents/consents", headers=auth, params={"userId": party_id}))
    assert consent_id in {i["_id"] for i in everything["_embedded"]["items"]}


def test_an_unknown_consent_is_404_in_the_error_body(gateway: httpx.Client, auth: dict[str, str]) -> None:
    response = gateway.get(f"/consents/consents/{uuid.uuid4()}", headers=auth)
    assert response.status_code == 404, response.text
    assert hal(response)["_error"]["statusCode"] == 404


@pytest.mark.parametrize("bad", ["eq(state", "eq(nosuchfield,x)", "lt(type,a)", "eq(state,sleeping)"])
def test_a_bad_filter_is_400_with_the_error_body(
    gateway: httpx.Client, auth: dict[str, str], bad: str
) -> None:
    response = gateway.get("/consents/consents", headers=auth, params={"filter": bad})
    assert response.status_code == 400, response.text
    body = hal(response)
    assert set(body) == {"_profile", "_error"}
    error = body["_error"]
    assert error["statusCode"] == 400
    assert error["type"] == "invalidFilter"
    assert error["message"]
    assert error["_id"]
    assert error["occurredAt"].endswith("Z")
    assert error["attributes"]["filter"] == bad
    assert isinstance(error["attributes"]["position"], int)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/consents/consentTypeNames"),
        ("GET", "/consents/consents"),
        ("POST", "/consents/consents"),
    ],
)
def test_without_a_token_the_gateway_answers_401(gateway: httpx.Client, method: str, path: str) -> None:
    response = gateway.request(method, path, headers=KEY, json={} if method == "POST" else None)
    assert response.status_code == 401
    # The gateway refuses it itself (the request never reaches consents), in the consents API's
    # own error shape: seed 001's HAL ``_error``.
    assert response.headers["content-type"] == "application/hal+json"
    assert response.json()["_error"]["type"] == "invalidToken"
    assert response.json()["_error"]["statusCode"] == 401


def test_give_then_revoke_through_the_gateway(
    gateway: httpx.Client, auth: dict[str, str], party_id: str
) -> None:
    created = gateway.post("/consents/consents", headers=auth, json=consent_request(party_id))
    assert created.status_code == 201, created.text
    consent = hal(created)
    stale_tag = created.headers["etag"]

    given = gateway.post(
        "/consents/givenConsents",
        headers={**auth, "If-Match": stale_tag},
        params={"consent": consent["_id"], "scope": "instance"},
    )
    assert given.status_code == 200, given.text
    assert hal(given)["state"] == "given"

    # The tag from before the give is stale now: 412, and nothing changes.
    refused = gateway.post(
        "/consents/revokedConsents",
        headers={**auth, "If-Match": stale_tag},
        params={"consent": consent["_id"]},
    )
    assert refused.status_code == 412
    assert refused.json()["_error"]["statusCode"] == 412

    revoked = gateway.post(
        "/consents/revokedConsents",
        headers={**auth, "If-Match": given.headers["etag"]},
        params={"consent": consent["_id"]},
    )
    assert revoked.status_code == 200, revoked.text
    assert hal(revoked)["state"] == "revoked"
    again = gateway.post("/consents/givenConsents", headers=auth, params={"consent": consent["_id"]})
    assert again.status_code == 409  # revoked is final (see services/consents/README.md)


@pytest.mark.parametrize("path", ["/consents/", "/consents/apiDoc"])
def test_the_api_root_and_its_document_need_only_the_client_key(gateway: httpx.Client, path: str) -> None:
    assert gateway.get(path, headers=KEY).status_code == 200
    assert gateway.get(path).status_code == 401
