"""Login by desktop id (seed 002): when no email matches and a desktop id is given, the user
holding that desktop id identity (set through ``PUT /parties/{id}/users``) is the one."""

from __future__ import annotations

import httpx

from tests.conftest import Account, Identity, log_in, new_account, signed_in
from tests.integration.party_users_support import bare_party, member, user_body
from tests.integration.second_factors import code_of


async def set_desktop_id(identity: Identity, account: Account, desktop_id: str) -> httpx.Response:
    headers = await signed_in(identity, account)
    body = user_body(
        system_admin=True,
        identities=[{"type": "email", "value": account.email}, {"type": "desktop_id", "value": desktop_id}],
    )
    return await identity.http.put(f"/parties/{account.party_id}/users", headers=headers, json=body)


async def desktop_login(
    identity: Identity,
    account: Account,
    desktop_id: str,
    *,
    email: str | None = None,
    password: str | None = None,
) -> httpx.Response:
    body: dict[str, str] = {"password": password or account.password, "desktop_id": desktop_id}
    if email is not None:
        body["email"] = email
    return await identity.http.post("/auth/login", headers=account.key, json=body)


async def test_an_admin_sets_a_desktop_id_that_logs_the_user_in(identity: Identity, account: Account) -> None:
    put = await set_desktop_id(identity, account, " DESKTOP-Ada-01 ")
    assert put.status_code == 200, put.text
    assert {"type": "desktop_id", "value": "DESKTOP-Ada-01"} in put.json()["data"]["identities"]

    by_id = await desktop_login(identity, account, "DESKTOP-Ada-01")
    assert by_id.status_code == 200, by_id.text
    assert "access_token" in by_id.json()["data"]
    unknown_email = await desktop_login(identity, account, "DESKTOP-Ada-01", email="nobody@example.com")
    assert unknown_email.status_code == 200


async def test_wrong_desktop_ids_and_passwords_get_the_same_answer(
    identity: Identity, account: Account
) -> None:
    await set_desktop_id(identity, account, "desk-2")
    reference = await log_in(identity.http, account, "wrong-password")
    for response in [
        await desktop_login(identity, account, "desk-unknown"),
        await desktop_login(identity, account, "desk-2", password="wrong-password"),
        await desktop_login(identity, account, "DESK-2"),  # ids are compared exactly
    ]:
        assert response.status_code == 401
        assert response.json() == reference.json()


async def test_an_email_match_comes_before_the_desktop_id(identity: Identity, account: Account) -> None:
    await set_desktop_id(identity, account, "desk-3")
    other = await member(identity, account)
    # The email names the other user, so the desktop id is not looked at: that user's password counts.
    mine = await desktop_login(identity, account, "desk-3", email=other.email)
    assert code_of(mine) == (401, "eInvalidCredentials")
    theirs = await desktop_login(identity, account, "desk-3", email=other.email, password=other.password)
    assert theirs.status_code == 200


async def test_desktop_ids_are_per_tenant_and_unique_in_one(identity: Identity, account: Account) -> None:
    await set_desktop_id(identity, account, "desk-4")
    other = await new_account(identity.wired, system_admin=True)
    assert code_of(await desktop_login(identity, other, "desk-4")) == (401, "eInvalidCredentials")
    # The same id in another tenant is another identity.
    assert (await set_desktop_id(identity, other, "desk-4")).status_code == 200
    assert (await desktop_login(identity, other, "desk-4")).status_code == 200

    headers = await signed_in(identity, account)
    party_id = await bare_party(identity, account.tenant_id)
    taken = await identity.http.put(
        f"/parties/{party_id}/users",
        headers=headers,
        json=user_body(identities=[{"type": "desktop_id", "value": "desk-4"}]),
    )
    assert code_of(taken) == (400, "eIdentityNotUnique")


async def test_bad_desktop_ids_and_login_bodies_are_validation_errors(
    identity: Identity, account: Account
) -> None:
    headers = await signed_in(identity, account)
    for bad in ["   ", "x" * 201, "tab\there"]:
        body = user_body(identities=[{"type": "desktop_id", "value": bad}])
        response = await identity.http.put(f"/parties/{account.party_id}/users", headers=headers, json=body)
        assert code_of(response) == (400, "eIdentityNotValid")
    for login in [{"password": "x"}, {"email": "", "password": "x"}, {"desktop_id": "", "password": "x"}]:
        response = await identity.http.post("/auth/login", headers=account.key, json=login)
        assert code_of(response) == (400, "eValidationError")
