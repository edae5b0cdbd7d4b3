"""Well-formed requests holding what PostgreSQL cannot store (NUL, lone surrogates, integers
beyond 64 bits, date-times outside UTC years 1-9999, bytes that are not UTF-8, a value too
large for its index) are 400s in seed 001's ``_error`` shape naming the field, never 500s."""

from __future__ import annotations

import random
import uuid
from typing import Any

import httpx
import orjson

from .conftest import Consents, Tenant, assert_error, consent_body

CONSENTS = "/consents/consents"
REVISED = "/consents/revisedDocuments"
NEEDED = "/consents/neededConsents"
RESCINDED = "/consents/rescindedConsents"


def refused(response: httpx.Response, field: str, error_type: str = "validationError") -> dict[str, Any]:
    error = assert_error(response, 400, error_type)
    assert error["attributes"].get("field", error["attributes"].get("parameter")) == field, error
    return error


async def post_raw(service: Consents, tenant: Tenant, url: str, raw: bytes) -> httpx.Response:
    return await service.http.post(
        url, content=raw, headers={**tenant.admin, "Content-Type": "application/json"}
    )


def with_raw(body: dict[str, Any], literal: str) -> bytes:
    """``body`` as JSON with the string ``"@raw"`` replaced by the JSON text ``literal``."""
    return orjson.dumps(body).replace(b'"@raw"', literal.encode())


async def test_nul_in_a_consent_is_refused_by_path(service: Consents, tenant: Tenant) -> None:
    body = consent_body(tenant.alice_id)
    body["document"]["uri"] = "/vault/files/\u0000/content"

    response = await service.http.post(CONSENTS, json=body, headers=tenant.admin)

    error = refused(response, "document.uri")
    assert "NUL" in error["message"]


async def test_a_lone_surrogate_in_a_consent_is_refused_by_path(service: Consents, tenant: Tenant) -> None:
    response = await post_raw(
        service, tenant, CONSENTS, with_raw(consent_body(tenant.alice_id, userId="@raw"), '"al\\udc00ice"')
    )

    error = refused(response, "userId")
    assert "surrogate" in error["message"]


async def test_a_2_to_the_70_integer_in_a_body_is_refused_by_path(service: Consents, tenant: Tenant) -> None:
    # ``_links`` is accepted and ignored, but the body is checked as a whole.
    body = consent_body(tenant.alice_id, _links={"self": {"count": "@raw"}})

    response = await post_raw(service, tenant, CONSENTS, with_raw(body, str(2**70)))

    refused(response, "_links.self.count")


async def test_a_revision_outside_utc_years_1_to_9999_is_refused(service: Consents, tenant: Tenant) -> None:
    revision = {"type": "termsAndConditions", "uri": "/vault/x", "revisedAt": "9999-12-31T23:59:59-23:59"}

    response = await service.http.post(REVISED, json=revision, headers=tenant.admin)

    refused(response, "revisedAt")


async def test_a_document_revised_outside_utc_is_never_stored(service: Consents, tenant: Tenant) -> None:
    body = consent_body(tenant.alice_id)
    body["document"]["revisedAt"] = "0001-01-01T00:00:00+23:59"

    refused(await service.http.post(CONSENTS, json=body, headers=tenant.admin), "document.revisedAt")
    listed = await service.http.get(CONSENTS, headers=tenant.admin)
    assert listed.status_code == 200, listed.text


async def test_pages_beyond_64_bits_are_malformed(service: Consents, tenant: Tenant) -> None:
    for url in (CONSENTS, NEEDED):
        for query in (f"start={2**70}", f"limit=-{2**70}", "start=" + "9" * 5000):
            response = await service.http.get(f"{url}?{query}", headers=tenant.admin)
            error = refused(response, query.split("=")[0], "malformedQueryParameter")
            assert len(str(error["attributes"]["value"])) < 100  # not 5000 digits echoed back


async def test_query_text_that_cannot_be_stored_is_refused_by_name(service: Consents, tenant: Tenant) -> None:
    for target, field in [
        (f"{CONSENTS}?q=a%00b", "q"),
        (f"{CONSENTS}?userId=%00", "userId"),
        (f"{CONSENTS}?type=%FF", "type"),
        (f"{CONSENTS}?filter=eq(type,a%00b)", "filter"),
        (f"{NEEDED}?userId=%00", "userId"),
        (f"{CONSENTS}/a%00b", "consent_id"),
        (f"{CONSENTS}/%FF", "consent_id"),
    ]:
        refused(await service.http.get(target, headers=tenant.admin), field)
    for target, field in [
        (f"{RESCINDED}?type=termsAndConditions&user=%00", "user"),
        (f"{RESCINDED}?type=%00&user=x", "type"),
        (f"/consents/givenConsents?consent={uuid.uuid4()}%00", "consent"),
    ]:
        refused(await service.http.post(target, headers=tenant.admin), field)


async def test_a_uri_too_large_for_its_index_is_a_400_not_a_500(service: Consents, tenant: Tenant) -> None:
    # 2000 characters, as the field allows, but 6000 bytes of CJK that PostgreSQL cannot
    # compress: beyond a btree index row. Nothing checks this before the database does.
    rnd = random.Random(7)
    body = consent_body(tenant.alice_id)
    body["document"]["uri"] = "".join(chr(rnd.randrange(0x4E00, 0x9FFF)) for _ in range(2000))

    response = await service.http.post(CONSENTS, json=body, headers=tenant.admin)

    error = refused(response, "request")
    assert body["document"]["uri"][:20] not in response.text
    assert "too large" in error["message"]
