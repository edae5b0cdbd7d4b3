"""``/parties/{id}/users/settings`` and ``/parties/{id}/favorites`` (seed 004): the current
user's own, for any logged-in user; another party is refused, another tenant's is unknown."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.conftest import Account, Identity, new_account
from tests.integration.party_users_support import bare_party, events_about, headers_of, member

TEMPLATE = "deadc0de-732b-4b7a-a990-c911ed4a56ad"


def code(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["errors"][0]["code"]


def settings_body(party_id: Any, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(party_id),
        "settings": [{"key": "welcome_template_id", "val": TEMPLATE}],
        "application_state": {"some_state": 123},
    }
    data.update(changes)
    return {"data": data}


async def test_a_user_reads_and_writes_its_own_settings(identity: Identity, account: Account) -> None:
    user = await member(identity, account)  # no permissions at all: its own settings still work
    headers = await headers_of(identity, user)
    url = f"/parties/{user.party_id}/users/settings"
    empty = await identity.http.get(url, headers=headers)
    assert empty.json() == {
        "data": {"id": str(user.party_id), "settings": [], "application_state": None},
        "warnings": [],
    }

    patched = await identity.http.patch(url, headers=headers, json=settings_body(user.party_id))

    expected = {
        "id": str(user.party_id),
        "settings": [{"key": "welcome_template_id", "val": TEMPLATE}],
        "application_state": {"some_state": 123},
    }
    assert patched.status_code == 200, patched.text
    assert patched.json()["data"] == expected
    assert (await identity.http.get(url, headers=headers)).json()["data"] == expected
    me = await identity.http.get("/users/me", headers=headers)
    assert me.json()["data"]["settings"] == [{"key": "welcome_template_id", "val": TEMPLATE}]
    assert len(await events_about(identity, "identity.user_settings.updated", user.user_id)) == 1

    # Without application_state it is kept; an empty list clears the settings. A bare object works too.
    cleared = await identity.http.patch(url, headers=headers, json={"id": str(user.party_id), "settings": []})
    assert cleared.json()["data"] == {**expected, "settings": []}


async def test_settings_keys_and_values_are_checked(identity: Identity, account: Account) -> None:
    headers = await headers_of(identity, account)
    url = f"/parties/{account.party_id}/users/settings"
    unknown_key = settings_body(account.party_id, settings=[{"key": "colour", "val": "red"}])
    assert code(await identity.http.patch(url, headers=headers, json=unknown_key)) == (
        400,
        "eSettingKeyNotFound",
    )
    bad_values: list[dict[str, Any]] = [
        settings_body(account.party_id, settings=[{"key": "welcome_template_id", "val": "not-a-uuid"}]),
        settings_body(account.party_id, settings=[{"key": "welcome_template_id", "val": 5}]),
        settings_body(account.party_id, settings=[{"key": "welcome_template_id", "val": "x" * 501}]),
        settings_body(account.party_id, settings=[{"key": "welcome_template_id", "val": TEMPLATE}] * 2),
        settings_body(account.party_id, settings=None),
        settings_body(uuid.uuid4()),  # the body's id must be the URL's
        {"data": "nope"},
    ]
    for body in bad_values:
        assert code(await identity.http.patch(url, headers=headers, json=body)) == (
            400,
            "eValidationError",
        ), body


async def test_settings_of_another_party_are_refused_even_to_an_admin(
    identity: Identity, account: Account
) -> None:
    headers = await headers_of(identity, account)
    colleague = await member(identity, account)
    foreign = await new_account(identity.wired)
    url = "/parties/{}/users/settings"
    for verb in ("GET", "PATCH"):
        body = settings_body(colleague.party_id) if verb == "PATCH" else None
        other = await identity.http.request(verb, url.format(colleague.party_id), headers=headers, json=body)
        assert code(other) == (403, "ePermissionDenied")
        for missing in (foreign.party_id, uuid.uuid4(), "nope"):
            response = await identity.http.request(verb, url.format(missing), headers=headers, json=body)
            assert code(response) == (400, "ePartyNotFound")
    assert (await identity.http.get(url.format(account.party_id))).status_code == 401


def favorite(party_id: Any, item_id: Any, **changes: Any) -> dict[str, Any]:
    return {
        "party_id": str(party_id),
        "item_id": str(item_id),
        "category": "heatmap",
        "type": "pin",
        **changes,
    }


async def test_a_user_adds_filters_and_removes_its_favorites(identity: Identity, account: Account) -> None:
    user = await member(identity, account)
    headers = await headers_of(identity, user)
    url = f"/parties/{user.party_id}/favorites"
    pin, fav = uuid.uuid4(), uuid.uuid4()
    rows = [favorite(user.party_id, pin), favorite(user.party_id, fav, category="entity", type="favorite")]

    added = await identity.http.patch(url, headers=headers, json={"data": rows})
    again = await identity.http.patch(url, headers=headers, json={"data": rows})  # idempotent

    assert added.status_code == 200, added.text
    assert added.json()["data"] == [{**row, "deleted_at": None} for row in rows]
    assert again.status_code == 200
    listed = (await identity.http.get(url, headers=headers)).json()
    assert sorted(listed["data"], key=lambda f: f["category"]) == rows[1:] + rows[:1]
    assert listed["warnings"] == []
    pins = await identity.http.get(url, headers=headers, params={"type": "pin"})
    entities = await identity.http.get(url, headers=headers, params={"category": "entity"})
    assert pins.json()["data"] == rows[:1]
    assert entities.json()["data"] == rows[1:]
    assert code(await identity.http.get(url, headers=headers, params={"type": "star"})) == (
        400,
        "eValidationError",
    )

    removed = await identity.http.patch(
        url,
        headers=headers,
        json={"data": [favorite(user.party_id, pin, deleted_at="2023-03-03T12:35:00.000Z")]},
    )
    assert removed.json()["data"][0]["deleted_at"] is not None  # shown in the answer ...
    assert (await identity.http.get(url, headers=headers)).json()["data"] == rows[1:]  # ... then gone
    assert len(await events_about(identity, "identity.favorites.updated", user.party_id)) == 3


async def test_favorites_bodies_are_checked(identity: Identity, account: Account) -> None:
    headers = await headers_of(identity, account)
    url = f"/parties/{account.party_id}/favorites"
    mine = account.party_id
    bad_bodies: list[dict[str, Any]] = [
        {"data": [favorite(mine, uuid.uuid4()) for _ in range(51)]},  # at most 50 per request
        {"data": [favorite(mine, uuid.uuid4(), category="asset")]},
        {"data": [favorite(mine, uuid.uuid4(), type="like")]},
        {"data": [favorite(mine, "not-a-uuid")]},
        {"data": [favorite(uuid.uuid4(), uuid.uuid4())]},  # every party_id must be the URL's
        {"data": None},
    ]
    for body in bad_bodies:
        assert code(await identity.http.patch(url, headers=headers, json=body)) == (400, "eValidationError")
    fifty = {"data": [favorite(mine, uuid.uuid4()) for _ in range(50)]}
    assert (await identity.http.patch(url, headers=headers, json=fifty)).status_code == 200
    assert len((await identity.http.get(url, headers=headers)).json()["data"]) == 50


async def test_favorites_of_other_parties_are_refused(identity: Identity, account: Account) -> None:
    headers = await headers_of(identity, account)
    colleague = await bare_party(identity, account.tenant_id)
    foreign = await new_account(identity.wired)
    body = {"data": [favorite(colleague, uuid.uuid4())]}
    assert code(await identity.http.get(f"/parties/{colleague}/favorites", headers=headers)) == (
        403,
        "ePermissionDenied",
    )
    patched = await identity.http.patch(f"/parties/{colleague}/favorites", headers=headers, json=body)
    assert code(patched) == (403, "ePermissionDenied")
    for missing in (foreign.party_id, uuid.uuid4(), "~"):
        response = await identity.http.get(f"/parties/{missing}/favorites", headers=headers)
        assert code(response) == (400, "ePartyNotFound")
        body = {"data": [favorite(missing, uuid.uuid4())]} if missing != "~" else {"data": []}
        patched = await identity.http.patch(f"/parties/{missing}/favorites", headers=headers, json=body)
        assert code(patched) == (400, "ePartyNotFound")
