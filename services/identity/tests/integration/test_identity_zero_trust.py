"""identity called directly, bypassing the gateway, refuses what the gateway refuses: a token
after its session ended, a token with another tenant's client key, a missing or unknown key.
It answers from its own tables, so each refusal holds from the very next request."""

from __future__ import annotations

import base64

import httpx

from identity.config import IdentitySettings
from tests.conftest import Account, Identity, new_account, served, signed_in


def error_of(response: httpx.Response) -> tuple[int, str, str]:
    error = response.json()["errors"][0]
    return response.status_code, error["code"], error["message"]


def basic(client_id: str, secret: str) -> str:
    encoded = [base64.b64encode(part.encode()).decode() for part in (client_id, secret)]
    return f"Basic {encoded[0]}:{encoded[1]}"


async def test_a_token_is_refused_from_the_moment_its_session_ends(
    identity: Identity, account: Account
) -> None:
    headers = await signed_in(identity, account)
    assert (await identity.http.get("/account", headers=headers)).status_code == 200
    assert (await identity.http.post("/auth/logout", headers=headers)).status_code == 204

    # /account reads no session itself: the refusal is the caller check's.
    for method, path in (("GET", "/account"), ("GET", "/clients"), ("POST", "/auth/logout")):
        response = await identity.http.request(method, path, headers=headers)
        assert error_of(response) == (401, "eSessionRevoked", "The session has ended; sign in again."), path
    # The tenant's other sessions are untouched.
    assert (
        await identity.http.get("/account", headers=await signed_in(identity, account))
    ).status_code == 200


async def test_a_token_with_another_tenants_key_is_an_invalid_token(
    identity: Identity, account: Account
) -> None:
    headers = await signed_in(identity, account)
    other = await new_account(identity.wired)
    foreign = {**headers, **other.key}
    for path in ("/account", "/users/me"):
        response = await identity.http.get(path, headers=foreign)
        assert error_of(response) == (
            401,
            "eInvalidToken",
            "The access token does not belong to this client's tenant.",
        ), path


async def test_a_missing_unknown_or_revoked_key_is_an_invalid_client_key(
    identity: Identity, account: Account
) -> None:
    headers = await signed_in(identity, account)
    token = {"Authorization": headers["Authorization"]}
    made = await identity.http.post("/clients", headers=headers, json={"name": "Soon revoked"})
    assert made.status_code == 201, made.text
    spare = made.json()["data"]
    assert (
        await identity.http.get("/account", headers={**token, "X-Client-Key": spare["key"]})
    ).status_code == 200
    revoked = await identity.http.delete(f"/clients/{spare['id']}", headers=headers)
    assert revoked.status_code == 204, revoked.text

    for key in (
        {},
        {"X-Client-Key": "no-such-key"},
        {"X-Client-Key": spare["key"]},
        {"X-Client-Key": "Basic !!"},
    ):
        response = await identity.http.get("/account", headers={**token, **key})
        assert error_of(response) == (401, "eInvalidClientKey", "The client key is missing or unknown."), key


async def test_seed_000_credentials_name_the_client_like_a_key(identity: Identity, account: Account) -> None:
    headers = await signed_in(identity, account)
    made = (await identity.http.post("/clients", headers=headers, json={"name": "Credentials"})).json()[
        "data"
    ]
    credentials = basic(made["client_id"], made["client_secret"])
    token = {"Authorization": headers["Authorization"]}
    # As the gateway forwards them, and as a client sends them to identity directly.
    for spelling in ({"X-Client-Key": credentials}, {"Proxy-Authorization": credentials}):
        assert (await identity.http.get("/account", headers={**token, **spelling})).status_code == 200
    wrong = {"Proxy-Authorization": basic(made["client_id"], "not-the-secret")}
    assert error_of(await identity.http.get("/account", headers={**token, **wrong}))[1] == "eInvalidClientKey"


async def test_public_routes_need_only_the_key(identity: Identity, account: Account) -> None:
    login = await identity.http.post(
        "/auth/login", headers=account.key, json={"email": account.email, "password": account.password}
    )
    assert login.status_code == 200
    refreshed = await identity.http.post(
        "/auth/refresh", headers=account.key, json={"refresh_token": login.json()["data"]["refresh_token"]}
    )
    assert refreshed.status_code == 200
    assert (await identity.http.get("/.well-known/jwks.json")).status_code == 200


async def test_over_real_http_after_a_logout(
    settings: IdentitySettings, identity: Identity, account: Account
) -> None:
    async with served(settings) as url, httpx.AsyncClient(base_url=url) as http:
        login = await http.post(
            "/auth/login", headers=account.key, json={"email": account.email, "password": account.password}
        )
        headers = {**account.key, "Authorization": login.json()["data"]["access_token"]}
        assert (await http.get("/account", headers=headers)).status_code == 200
        assert (await http.get("/account", headers={"Authorization": headers["Authorization"]})).json()[
            "errors"
        ][0]["code"] == "eInvalidClientKey"
        assert (await http.post("/auth/logout", headers=headers)).status_code == 204
        assert error_of(await http.get("/account", headers=headers))[1] == "eSessionRevoked"
