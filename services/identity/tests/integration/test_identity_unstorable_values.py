"""Well-formed requests holding what PostgreSQL cannot store (NUL, lone surrogates, integers
beyond 64 bits, date-times outside UTC years 1-9999, bytes that are not UTF-8) are 400
``eValidationError`` naming the field, never 500s, on identity's real routes and database."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import orjson
import pytest

from tests.conftest import Account, Identity, signed_in
from tests.integration.people import create, party_body

NUL = "must not contain the NUL character"
SURROGATE = "must not contain a lone surrogate"
INT64_RANGE = "must be an integer between -9223372036854775808 and 9223372036854775807"


def refused(response: httpx.Response, field: str, problem: str | None = None) -> None:
    """Seed 004's envelope: one ``eValidationError`` whose ``fields`` name ``field``."""
    assert response.status_code == 400, response.text
    body = response.json()
    assert set(body) == {"errors"}
    (error,) = body["errors"]
    assert error["code"] == "eValidationError"
    assert isinstance(error["message"], str)
    assert field in error["fields"], error
    if problem is not None:
        assert error["fields"][field] == problem


async def send(
    identity: Identity, method: str, url: str, headers: dict[str, str], raw: bytes
) -> httpx.Response:
    """``raw`` as the body, byte for byte: ``\\ud800`` escapes and integers beyond 64 bits that
    no JSON encoder of ours would write."""
    return await identity.http.request(
        method, url, headers={**headers, "Content-Type": "application/json"}, content=raw
    )


def with_raw(body: dict[str, Any], field: str, literal: str) -> bytes:
    """``body`` as JSON with ``field`` set to the JSON text ``literal``."""
    marker = f"__raw_{uuid.uuid4().hex}__"
    return orjson.dumps({**body, field: marker}).replace(f'"{marker}"'.encode(), literal.encode())


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"first_name": "Ada\u0000"}, "first_name"),
        ({"addresses": [{"country": "gb", "city": "new\u0000ark"}]}, "addresses.0.city"),
        ({"profile": [{"key": "title", "val": "\u0000"}]}, "profile.0.val"),
    ],
)
async def test_nul_in_a_party_is_refused_by_path(
    identity: Identity, account: Account, changes: dict[str, Any], field: str
) -> None:
    headers = await signed_in(identity, account)

    response = await identity.http.post("/parties", headers=headers, json=party_body(**changes))

    refused(response, field, NUL)


async def test_a_lone_surrogate_in_a_party_is_refused_by_path(identity: Identity, account: Account) -> None:
    headers = await signed_in(identity, account)

    response = await send(
        identity, "POST", "/parties", headers, with_raw(party_body(), "last_name", '"Love\\ud800lace"')
    )

    refused(response, "last_name", SURROGATE)


async def test_a_2_to_the_70_integer_in_a_body_is_refused_by_path(
    identity: Identity, account: Account
) -> None:
    headers = await signed_in(identity, account)
    url = f"/parties/{account.party_id}/users/settings"
    state = f'{{"counter": {2**70}}}'

    response = await send(
        identity,
        "PATCH",
        url,
        headers,
        with_raw({"id": str(account.party_id), "settings": []}, "application_state", state),
    )

    refused(response, "application_state.counter", INT64_RANGE)
    assert (await identity.http.get(url, headers=headers)).json()["data"]["application_state"] is None


async def test_nesting_deeper_than_any_answer_can_render_is_refused(
    identity: Identity, account: Account
) -> None:
    headers = await signed_in(identity, account)
    url = f"/parties/{account.party_id}/users/settings"
    deep = "[" * 300 + "]" * 300  # stored, this would come back as a 500 on every read

    response = await send(
        identity, "PATCH", url, headers, with_raw({"id": str(account.party_id)}, "application_state", deep)
    )

    refused(response, "application_state." + ".".join(["0"] * 64))
    assert (await identity.http.get(url, headers=headers)).status_code == 200


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"])
async def test_a_date_time_outside_utc_years_1_to_9999_is_refused_and_never_stored(
    identity: Identity, account: Account, moment: str
) -> None:
    headers = await signed_in(identity, account)
    skillset = await identity.http.post(
        "/skillsets", headers=headers, json={"name": f"Rope {uuid.uuid4().hex[:6]}", "description": ""}
    )
    row = {
        "party_id": str(account.party_id),
        "skillset_id": skillset.json()["data"]["id"],
        "expires_at": moment,
    }

    response = await identity.http.put("/parties/~/skillsets", headers=headers, json={"data": [row]})

    refused(response, "data.0.expires_at", "must fall between years 1 and 9999 in UTC")
    held = await identity.http.get(f"/parties/~/skillsets?party_id={account.party_id}", headers=headers)
    assert held.status_code == 200, held.text


LIST_QUERIES = [
    (f"page={2**70}", "page"),
    ("page=" + "9" * 5000, "page"),
    ("page=%D9%A1", "page"),  # an Arabic-Indic digit, which int() would take
    ("per_page=" + str(2**64), "per_page"),
    ("keywords=a%00b", "keywords"),
    ("keywords=%FF", "keywords"),
    ("sort=name%00", "sort"),
]


@pytest.mark.parametrize(
    "collection", ["/parties", "/skillsets", "/parties/~/users", "/clients", "/templates"]
)
async def test_list_parameters_that_cannot_be_stored_are_refused_by_name(
    identity: Identity, account: Account, collection: str
) -> None:
    headers = await signed_in(identity, account)

    for query, field in LIST_QUERIES:
        refused(await identity.http.get(f"{collection}?{query}", headers=headers), field)


async def test_the_largest_page_is_an_empty_page_not_an_overflow(
    identity: Identity, account: Account
) -> None:
    headers = await signed_in(identity, account)
    await create(identity, headers)
    last = (2**63 - 1) // 100 - 1

    response = await identity.http.get(f"/skillsets?page={last}&per_page=100", headers=headers)

    assert response.status_code == 200, response.text
    assert response.json()["data"] == []
    # A keyset list bounds its pages far below: deeper is reached through the cursor.
    deep = await identity.http.get(f"/parties?page={last}&per_page=100", headers=headers)
    assert deep.status_code == 400, deep.text
    assert deep.json()["errors"][0]["fields"] == {"page": "too_deep"}


async def test_path_and_query_text_that_cannot_be_stored_is_refused_by_name(
    identity: Identity, account: Account
) -> None:
    headers = await signed_in(identity, account)

    for target, field in [
        ("/parties/a%00b", "id"),
        ("/parties/%FF", "id"),
        ("/parties/a%00b/users/settings", "id"),
        ("/skillsets/%00", "id"),
        ("/templates?type=%00", "type"),
    ]:
        refused(await identity.http.get(target, headers=headers), field)
