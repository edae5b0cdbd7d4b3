"""``/parties/~/users`` and ``/parties/{id}/users`` (seed 004) over HTTP against the real
database: upsert, identities unique per tenant, who may change system admin, lists, batch."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

from sqlmodel import select

from identity.repositories.tables import Party, User
from tests.conftest import Account, Identity, log_in, new_account
from tests.integration.party_users_support import (
    bare_party,
    events_about,
    headers_of,
    member,
    signed_headers,
    user_body,
)


def code(response: object) -> tuple[int, str]:
    body = response.json()  # type: ignore[attr-defined]
    return response.status_code, body["errors"][0]["code"]  # type: ignore[attr-defined]


async def test_put_creates_the_user_of_a_party_and_get_returns_it(
    identity: Identity, account: Account
) -> None:
    headers = await headers_of(identity, account)
    party_id = await bare_party(identity, account.tenant_id, "Grace")
    body = user_body(
        identities=[{"type": "email", "value": "Grace@Example.com"}], id="ignored", last_signin=None
    )

    put = await identity.http.put(f"/parties/{party_id}/users", headers=headers, json=body)

    assert put.status_code == 200, put.text
    data = put.json()["data"]
    assert data["id"] == str(party_id)
    assert (data["first_name"], data["last_name"], data["username"]) == ("Grace", "Person", "test-username")
    assert (data["system_admin"], data["allow_sso"], data["allow_otp"]) == (False, True, False)
    assert data["identities"] == [{"type": "email", "value": "grace@example.com"}]
    assert data["last_signin"] is None
    assert data["suspended_at"] is None
    assert "__permissions__" not in data  # a system admin bypasses the check
    got = await identity.http.get(f"/parties/{party_id}/users", headers=headers)
    assert got.status_code == 200
    assert got.json()["data"] == data
    created = await events_about(identity, "identity.user.created", (await user_of(identity, party_id)).id)
    assert len(created) == 1
    assert created[0]["data"]["party_id"] == str(party_id)


async def user_of(identity: Identity, party_id: uuid.UUID) -> User:
    async with identity.wired.unit_of_work() as uow:
        return (await uow.session.execute(select(User).where(User.party_id == party_id))).scalar_one()


async def test_put_replaces_the_user_and_publishes_user_updated(identity: Identity, account: Account) -> None:
    headers = await headers_of(identity, account)
    party_id = await bare_party(identity, account.tenant_id)
    assert (
        await identity.http.put(f"/parties/{party_id}/users", headers=headers, json=user_body())
    ).status_code == 200
    second = user_body(username=None, allow_sso=False, allow_otp=True, identities=[])

    put = await identity.http.put(f"/parties/{party_id}/users", headers=headers, json=second)

    data = put.json()["data"]
    assert (data["username"], data["allow_sso"], data["allow_otp"], data["identities"]) == (
        None,
        False,
        True,
        [],
    )
    user = await user_of(identity, party_id)
    assert user.version == 2
    updated = await events_about(identity, "identity.user.updated", user.id)
    assert updated[-1]["data"]["allow_otp"] is True
    assert updated[-1]["version"] == 2


async def test_an_identity_of_another_user_of_the_tenant_is_not_unique(
    identity: Identity, account: Account
) -> None:
    headers = await headers_of(identity, account)
    taken = account.email.upper()  # identities compare case-insensitively
    party_id = await bare_party(identity, account.tenant_id)

    response = await identity.http.put(
        f"/parties/{party_id}/users",
        headers=headers,
        json=user_body(identities=[{"type": "email", "value": taken}]),
    )

    assert code(response) == (400, "eIdentityNotUnique")
    assert (await identity.http.get(f"/parties/{party_id}/users", headers=headers)).status_code == 400


async def test_the_same_identity_is_allowed_in_another_tenant(identity: Identity, account: Account) -> None:
    other = await new_account(identity.wired, system_admin=True)
    party_id = await bare_party(identity, other.tenant_id)
    body = user_body(identities=[{"type": "email", "value": account.email}])

    response = await identity.http.put(
        f"/parties/{party_id}/users", headers=await headers_of(identity, other), json=body
    )

    assert response.status_code == 200, response.text


async def test_a_user_keeps_its_own_identity_on_update(identity: Identity, account: Account) -> None:
    headers = await headers_of(identity, account)
    body = user_body(system_admin=True, identities=[{"type": "email", "value": account.email}])
    response = await identity.http.put(f"/parties/{account.party_id}/users", headers=headers, json=body)
    assert response.status_code == 200, response.text
    assert (await log_in(identity.http, account)).status_code == 200


async def test_invalid_identities_are_refused(identity: Identity, account: Account) -> None:
    headers = await headers_of(identity, account)
    party_id = await bare_party(identity, account.tenant_id)
    for identity_item in (
        {"type": "phone", "value": "+441234567890"},
        {"type": "email", "value": "not-an-email"},
    ):
        response = await identity.http.put(
            f"/parties/{party_id}/users", headers=headers, json=user_body(identities=[identity_item])
        )
        assert code(response) == (400, "eIdentityNotValid")


async def test_the_identity_field_may_be_named_identity(identity: Identity, account: Account) -> None:
    party_id = await bare_party(identity, account.tenant_id)
    body = user_body(identities=[{"type": "email", "identity": "named@example.com"}])
    response = await identity.http.put(
        f"/parties/{party_id}/users", headers=await headers_of(identity, account), json=body
    )
    assert response.json()["data"]["identities"] == [{"type": "email", "value": "named@example.com"}]


async def test_invalid_fields_are_validation_errors(identity: Identity, account: Account) -> None:
    headers = await headers_of(identity, account)
    party_id = await bare_party(identity, account.tenant_id)
    bad_bodies = [
        user_body(username="x" * 46),
        {k: v for k, v in user_body().items() if k != "system_admin"},
        user_body(allow_sso="yes"),
        user_body(identities=None),
        user_body(suspended_at="yesterday"),
    ]
    for body in bad_bodies:
        response = await identity.http.put(f"/parties/{party_id}/users", headers=headers, json=body)
        assert code(response) == (400, "eValidationError"), body
    not_json = await identity.http.put(
        f"/parties/{party_id}/users", headers={**headers, "Content-Type": "application/json"}, content=b"{"
    )
    assert not_json.status_code == 400


async def test_unknown_and_foreign_parties_are_not_found(identity: Identity, account: Account) -> None:
    headers = await headers_of(identity, account)
    other = await new_account(identity.wired)
    userless = await bare_party(identity, account.tenant_id)
    for party in (uuid.uuid4(), "not-a-uuid", other.party_id):
        assert code(await identity.http.get(f"/parties/{party}/users", headers=headers)) == (
            400,
            "ePartyNotFound",
        )
        put = await identity.http.put(f"/parties/{party}/users", headers=headers, json=user_body())
        assert code(put) == (400, "ePartyNotFound")
    assert code(await identity.http.get(f"/parties/{userless}/users", headers=headers)) == (
        400,
        "ePartyNotFound",
    )


async def test_only_a_system_admin_may_grant_or_remove_system_admin(
    identity: Identity, account: Account
) -> None:
    updater = signed_headers(identity, account, "users.update", "users.view")
    party_id = await bare_party(identity, account.tenant_id)

    grant = await identity.http.put(
        f"/parties/{party_id}/users", headers=updater, json=user_body(system_admin=True)
    )
    plain = await identity.http.put(f"/parties/{party_id}/users", headers=updater, json=user_body())
    remove = await identity.http.put(
        f"/parties/{account.party_id}/users", headers=updater, json=user_body(system_admin=False)
    )
    keep = await identity.http.put(
        f"/parties/{account.party_id}/users",
        headers=updater,
        json=user_body(system_admin=True, identities=[{"type": "email", "value": account.email}]),
    )

    assert code(grant) == (403, "ePermissionDenied")
    assert plain.status_code == 200
    assert plain.json()["data"]["system_admin"] is False
    assert plain.json()["data"]["__permissions__"] == ["users.view", "users.update"]
    assert code(remove) == (403, "ePermissionDenied")
    assert keep.status_code == 200
    assert keep.json()["data"]["system_admin"] is True
    admin = await headers_of(identity, account)
    granted = await identity.http.put(
        f"/parties/{party_id}/users", headers=admin, json=user_body(system_admin=True)
    )
    assert granted.json()["data"]["system_admin"] is True


async def test_users_without_permissions_are_refused(identity: Identity, account: Account) -> None:
    nobody = await headers_of(identity, await member(identity, account))
    party_id = await bare_party(identity, account.tenant_id)
    responses = [
        await identity.http.get("/parties/~/users", headers=nobody),
        await identity.http.get(f"/parties/{account.party_id}/users", headers=nobody),
        await identity.http.put(f"/parties/{party_id}/users", headers=nobody, json=user_body()),
        await identity.http.patch("/parties/~/users", headers=nobody, json={"data": [{"id": str(party_id)}]}),
    ]
    assert [code(r) for r in responses] == [(403, "ePermissionDenied")] * 4
    assert (await identity.http.get("/parties/~/users")).status_code == 401


async def test_list_filters_sorts_pages_and_stays_in_its_tenant(identity: Identity, account: Account) -> None:
    headers = await headers_of(identity, account)
    zed = await member(identity, account, first_name="Zed")
    bob = await member(identity, account, first_name="Bob")
    gone = await member(identity, account, first_name="Gone")
    await new_account(identity.wired)  # another tenant's user never shows
    async with identity.wired.unit_of_work() as uow:
        party = await uow.session.get(Party, gone.party_id)
        assert party is not None
        party.deleted_at = datetime.now(UTC)
        await uow.commit()

    everyone = await identity.http.get("/parties/~/users", headers=headers)
    assert everyone.status_code == 200
    body = everyone.json()
    assert [u["first_name"] for u in body["data"]] == ["Ada", "Bob", "Zed"]
    assert body["pagination"] == {"page": 0, "per_page": 20, "total": 3}
    assert body["sort"] == [{"field": "name", "dir": "asc"}]
    assert everyone.headers["X-Total-Count"] == "3"
    assert body["data"][0]["last_signin"] is not None  # the admin logged in above
    assert set(body["data"][0]) == {
        "id", "first_name", "last_name", "email", "username", "system_admin",
        "allow_sso", "allow_otp", "last_signin", "suspended_at",
    }  # fmt: skip

    desc = await identity.http.get("/parties/~/users?sort=-name&per_page=1&page=1", headers=headers)
    assert [u["first_name"] for u in desc.json()["data"]] == ["Bob"]
    found = await identity.http.get("/parties/~/users", headers=headers, params={"keywords": zed.email[:12]})
    assert [u["id"] for u in found.json()["data"]] == [str(zed.party_id)]
    named = await identity.http.get(
        "/parties/~/users",
        headers=headers,
        params=[("ids[]", str(gone.party_id)), ("ids[]", str(bob.party_id))],
    )
    assert {u["first_name"] for u in named.json()["data"]} == {"Gone", "Bob"}  # deleted shows when named
    for sort in ("first_name", "-last_name", "email", "-last_signin", "created", "updated"):
        assert (await identity.http.get(f"/parties/~/users?sort={sort}", headers=headers)).status_code == 200
    assert code(await identity.http.get("/parties/~/users?sort=height", headers=headers)) == (
        400,
        "eValidationError",
    )
    assert code(await identity.http.get("/parties/~/users?page=-1", headers=headers)) == (
        400,
        "eValidationError",
    )


async def test_batch_suspends_and_reactivates_with_per_row_errors(
    identity: Identity, account: Account
) -> None:
    headers = await headers_of(identity, account)
    target = await member(identity, account)
    target_headers = await headers_of(identity, target)
    foreign = await new_account(identity.wired)
    unknown = uuid.uuid4()

    response = await identity.http.patch(
        "/parties/~/users",
        headers=headers,
        json={
            "data": [
                {"id": str(target.party_id), "suspended_at": "2023-01-01T12:35:00.000Z"},
                {"id": str(account.party_id)},
                {"id": str(unknown), "suspended_at": None},
                {"id": str(foreign.party_id), "suspended_at": None},
                {"id": "not-a-uuid"},
                "not-an-object",
            ]
        },
    )

    assert response.status_code == 200
    body = response.json()
    applied = {row["id"]: row for row in body["data"]}
    assert set(applied) == {str(target.party_id), str(account.party_id)}
    suspended_at = datetime.fromisoformat(applied[str(target.party_id)]["suspended_at"])
    assert suspended_at.year > 2023  # the server's clock, not the client's
    assert [(e["id"], e["code"]) for e in body["errors"]] == [
        (str(unknown), "ePartyNotFound"),
        (str(foreign.party_id), "ePartyNotFound"),
        ("not-a-uuid", "eValidationError"),
        (None, "eValidationError"),
    ]
    # Suspended: its session ended, and it cannot log in again.
    assert code(await identity.http.get("/users/me", headers=target_headers)) == (401, "eSessionRevoked")
    assert (await log_in(identity.http, target)).status_code == 401

    again = await identity.http.patch(
        "/parties/~/users",
        headers=headers,
        json={"data": [{"id": str(target.party_id), "suspended_at": None}]},
    )
    assert again.json() == {"data": [{"id": str(target.party_id), "suspended_at": None}], "errors": []}
    assert (await log_in(identity.http, target)).status_code == 200


async def test_batch_of_more_than_100_rows_is_refused(identity: Identity, account: Account) -> None:
    rows = [{"id": str(uuid.uuid4())} for _ in range(101)]
    response = await identity.http.patch(
        "/parties/~/users", headers=await headers_of(identity, account), json={"data": rows}
    )
    assert code(response) == (400, "eValidationError")


async def test_put_with_suspended_at_suspends_with_the_servers_time(
    identity: Identity, account: Account
) -> None:
    headers = await headers_of(identity, account)
    party_id = await bare_party(identity, account.tenant_id)
    response = await identity.http.put(
        f"/parties/{party_id}/users", headers=headers, json=user_body(suspended_at="2020-01-01T00:00:00Z")
    )
    assert datetime.fromisoformat(response.json()["data"]["suspended_at"]).year > 2020


async def test_concurrent_puts_create_one_user(identity: Identity, account: Account) -> None:
    headers = await headers_of(identity, account)
    party_id = await bare_party(identity, account.tenant_id)
    body = user_body()
    responses = await asyncio.gather(
        *(identity.http.put(f"/parties/{party_id}/users", headers=headers, json=body) for _ in range(5))
    )
    assert [r.status_code for r in responses] == [200] * 5
    user = await user_of(identity, party_id)  # scalar_one: exactly one
    assert len(await events_about(identity, "identity.user.created", user.id)) == 1
    assert user.version == 5
