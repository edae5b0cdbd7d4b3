"""Parties one at a time: create, read, replace, delete; field rules; tenancy; events."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.conftest import Account, Identity, holder_of, new_account
from tests.integration.people import admin, catalogue_ids, create, party_body, party_events


async def test_create_then_read_the_whole_party(identity: Identity, account: Account) -> None:
    headers = await admin(identity, account)
    types, titles = await catalogue_ids(identity, headers)
    created = await create(
        identity, headers, type_id=types["user"], job_title_id=titles[0], phone="+14035551234"
    )
    assert created["base_type"] == "user"
    assert created["phone"] == "+14035551234"
    assert created["addresses"] == party_body()["addresses"]
    assert created["profile"] == party_body()["profile"]
    assert "__permissions__" not in created  # a system admin bypasses the checks
    assert created["deleted_at"] is None

    read = await identity.http.get(f"/parties/{created['id']}", headers=headers)
    assert read.status_code == 200
    assert read.json()["data"] == created


async def test_without_a_type_the_base_type_is_the_one_given_or_contact(
    identity: Identity, account: Account
) -> None:
    headers = await admin(identity, account)
    assert (await create(identity, headers))["base_type"] == "contact"
    assert (await create(identity, headers, base_type="user"))["base_type"] == "user"
    # The type's base type wins over the one given.
    types, _ = await catalogue_ids(identity, headers)
    assert (await create(identity, headers, type_id=types["contact"], base_type="user"))[
        "base_type"
    ] == "contact"


async def test_catalogues_list_the_tenants_defaults_unpaginated(identity: Identity, account: Account) -> None:
    headers = await admin(identity, account)
    types = await identity.http.get("/parties/~/types", headers=headers)
    assert types.status_code == 200
    assert {t["base_type"] for t in types.json()["data"]} == {"user", "contact"}
    assert "pagination" not in types.json()
    titles = (await identity.http.get("/jobtitles", headers=headers)).json()
    assert {t["name"] for t in titles["data"]} >= {"Manager", "Trainee"}
    assert all(set(t) == {"id", "name", "created_at", "archived_at"} for t in titles["data"])
    # Any signed-in user may read them, and each tenant has its own.
    other = await new_account(identity.wired)
    theirs = await identity.http.get("/parties/~/types", headers=await admin(identity, other))
    assert theirs.status_code == 200
    assert not {t["id"] for t in theirs.json()["data"]} & {t["id"] for t in types.json()["data"]}


def _error(response: Any) -> tuple[int, str]:
    return response.status_code, response.json()["errors"][0]["code"]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"type_id": str(uuid.uuid4())}, "ePartyTypeNotFound"),
        ({"job_title_id": str(uuid.uuid4())}, "eJobTitleNotFound"),
        ({"profile": [{"key": "welcome_template", "val": "x"}]}, "eProfileKeyNotFound"),
        ({"profile": [{"key": "title", "val": "x" * 151}]}, "eValidationError"),
        ({"first_name": "x" * 151}, "eValidationError"),
        ({"last_name": ""}, "eValidationError"),
        ({"first_name": None}, "eValidationError"),
        ({"phone": "403-555-1234"}, "eValidationError"),
        ({"phone": "+1 403 555 1234"}, "eValidationError"),
        ({"phone": "+15555555555"}, "eValidationError"),
        ({"email": "not-an-email"}, "eValidationError"),
        ({"email": "a@b@c.com"}, "eValidationError"),
        ({"avatar_url": "javascript:alert(1)"}, "eValidationError"),
        ({"type_id": "not-a-uuid"}, "eValidationError"),
        ({"addresses": None}, "eValidationError"),
        ({"addresses": [{"country": "gb", "city": "newark"}]}, "eValidationError"),
        ({"addresses": [{"street": "station road"}]}, "eValidationError"),
        ({"addresses": [{"lat": "91", "long": "0"}]}, "eValidationError"),
        ({"addresses": [{"country": "gb", "planet": "earth"}]}, "eValidationError"),
    ],
)
async def test_invalid_fields_are_refused_with_the_documented_code(
    identity: Identity, account: Account, changes: dict[str, Any], code: str
) -> None:
    headers = await admin(identity, account)
    refused = await identity.http.post("/parties", headers=headers, json=party_body(**changes))
    assert _error(refused) == (400, code)
    existing = await create(identity, headers)
    replaced = await identity.http.put(
        f"/parties/{existing['id']}", headers=headers, json=party_body(**changes)
    )
    assert _error(replaced) == (400, code)


async def test_a_missing_profile_list_is_a_validation_error(identity: Identity, account: Account) -> None:
    headers = await admin(identity, account)
    body = party_body()
    del body["profile"]
    assert _error(await identity.http.post("/parties", headers=headers, json=body)) == (
        400,
        "eValidationError",
    )


async def test_another_tenants_type_and_job_title_are_not_found(identity: Identity, account: Account) -> None:
    other = await new_account(identity.wired)
    their_types, their_titles = await catalogue_ids(identity, await admin(identity, other))
    headers = await admin(identity, account)
    wrong_type = await identity.http.post(
        "/parties", headers=headers, json=party_body(type_id=their_types["user"])
    )
    assert _error(wrong_type) == (400, "ePartyTypeNotFound")
    wrong_title = await identity.http.post(
        "/parties", headers=headers, json=party_body(job_title_id=their_titles[0])
    )
    assert _error(wrong_title) == (400, "eJobTitleNotFound")


async def test_replace_takes_the_whole_object_and_bumps_the_version(
    identity: Identity, account: Account
) -> None:
    headers = await admin(identity, account)
    created = await create(identity, headers)
    body = party_body(first_name="Renamed", email=None, addresses=[], profile=[], id=str(uuid.uuid4()))
    replaced = await identity.http.put(f"/parties/{created['id']}", headers=headers, json=body)
    assert replaced.status_code == 200
    data = replaced.json()["data"]
    assert data["id"] == created["id"]  # an id in the body is ignored
    assert (data["first_name"], data["email"], data["addresses"], data["profile"]) == (
        "Renamed",
        None,
        [],
        [],
    )
    assert data["updated_at"] is not None

    # The same object again changes nothing: no new version, no event.
    assert (
        await identity.http.put(f"/parties/{created['id']}", headers=headers, json=body)
    ).status_code == 200
    events = await party_events(identity, created["id"])
    assert [(e["type"], e["version"]) for e in events] == [
        ("identity.party.created", 1),
        ("identity.party.updated", 2),
    ]
    assert events[1]["data"]["first_name"] == "Renamed"
    assert events[1]["data"]["addresses"] == []


async def test_delete_is_soft_and_idempotent(identity: Identity, account: Account) -> None:
    headers = await admin(identity, account)
    created = await create(identity, headers)
    deleted = await identity.http.delete(f"/parties/{created['id']}", headers=headers)
    assert deleted.status_code == 204
    assert deleted.content == b""
    # Named explicitly, a deleted party is still shown (seed 004).
    read = (await identity.http.get(f"/parties/{created['id']}", headers=headers)).json()["data"]
    assert read["deleted_at"] is not None
    assert (await identity.http.delete(f"/parties/{created['id']}", headers=headers)).status_code == 204
    events = await party_events(identity, created["id"])
    assert [(e["type"], e["version"]) for e in events] == [
        ("identity.party.created", 1),
        ("identity.party.deleted", 2),
    ]
    assert events[1]["data"]["deleted_at"] is not None
    assert events[1]["tenant_id"] == str(account.tenant_id)


@pytest.mark.parametrize("party_id", [str(uuid.uuid4()), "not-a-uuid", "~"])
async def test_unknown_parties_are_party_not_found(
    identity: Identity, account: Account, party_id: str
) -> None:
    headers = await admin(identity, account)
    assert _error(await identity.http.get(f"/parties/{party_id}", headers=headers)) == (400, "ePartyNotFound")
    put = await identity.http.put(f"/parties/{party_id}", headers=headers, json=party_body())
    assert _error(put) == (400, "ePartyNotFound")
    assert _error(await identity.http.delete(f"/parties/{party_id}", headers=headers)) == (
        400,
        "ePartyNotFound",
    )


async def test_another_tenants_party_cannot_be_read_or_changed(identity: Identity, account: Account) -> None:
    other = await new_account(identity.wired, system_admin=True)
    theirs = await create(identity, await admin(identity, other), first_name="Secret")
    headers = await admin(identity, account)
    url = f"/parties/{theirs['id']}"
    assert _error(await identity.http.get(url, headers=headers)) == (400, "ePartyNotFound")
    assert _error(await identity.http.put(url, headers=headers, json=party_body())) == (400, "ePartyNotFound")
    assert _error(await identity.http.delete(url, headers=headers)) == (400, "ePartyNotFound")
    listed = await identity.http.get("/parties", headers=headers, params={"ids[]": theirs["id"]})
    assert listed.json()["data"] == []
    untouched = (await identity.http.get(url, headers=await admin(identity, other))).json()["data"]
    assert (untouched["first_name"], untouched["deleted_at"]) == ("Secret", None)


async def test_counts_are_included_on_request(identity: Identity, account: Account) -> None:
    headers = await admin(identity, account)
    created = await create(identity, headers)
    plain = (await identity.http.get(f"/parties/{created['id']}", headers=headers)).json()["data"]
    assert "counts" not in plain
    counted = await identity.http.get(
        f"/parties/{created['id']}", headers=headers, params={"include[]": "counts"}
    )
    assert counted.json()["data"]["counts"] == {"groups.user": 0, "contracts": 0, "assets": 0, "skillsets": 0}
    unknown = await identity.http.get(
        f"/parties/{created['id']}", headers=headers, params={"include[]": "nope"}
    )
    assert _error(unknown) == (400, "eValidationError")


async def test_users_without_permissions_are_refused(identity: Identity, account: Account) -> None:
    headers = await admin(identity, account)
    created = await create(identity, headers)
    user = await new_account(identity.wired)  # not a system admin, so no permissions yet
    plain = await admin(identity, user)
    for method, url, body in [
        ("GET", "/parties", None),
        ("POST", "/parties", party_body()),
        ("PATCH", "/parties", {"data": [{"id": created["id"]}]}),
        ("GET", f"/parties/{user.party_id}", None),
        ("PUT", f"/parties/{user.party_id}", party_body()),
        ("DELETE", f"/parties/{user.party_id}", None),
    ]:
        response = await identity.http.request(method, url, headers=plain, json=body)
        assert _error(response) == (403, "ePermissionDenied"), (method, url)
    assert (
        await identity.http.get("/parties", headers={"X-Client-Key": account.client_key})
    ).status_code == 401


async def test_a_holder_of_permissions_sees_them_on_each_party(identity: Identity, account: Account) -> None:
    created = await create(identity, await admin(identity, account))
    viewer = holder_of(identity, account, "parties.view", "parties.update", "assets.view")
    listed = await identity.http.get("/parties", headers=viewer, params={"ids[]": created["id"]})
    assert listed.status_code == 200
    assert listed.json()["data"][0]["__permissions__"] == ["parties.update", "parties.view"]
    refused = await identity.http.delete(f"/parties/{created['id']}", headers=viewer)
    assert _error(refused) == (403, "ePermissionDenied")
