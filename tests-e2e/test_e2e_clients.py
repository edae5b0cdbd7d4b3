"""Client keys and credentials through the gateway: created by an admin, used, revoked."""

from __future__ import annotations

import base64
import time

import httpx

from e2e_stack import ADMIN, DEMO_KEY, admin_token

KEY = {"X-Client-Key": DEMO_KEY}


def credentials(client_id: str, secret: str) -> dict[str, str]:
    encoded = [base64.b64encode(part.encode()).decode() for part in (client_id, secret)]
    return {"Proxy-Authorization": f"Basic {encoded[0]}:{encoded[1]}"}


def refused_within(gateway: httpx.Client, headers: dict[str, str], *, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        response = gateway.get("/.well-known/jwks.json", headers=headers)
        if response.status_code == 401:
            return response.json()["errors"][0]["code"] == "eInvalidClientKey"
        time.sleep(0.1)
    return False


def test_a_new_client_works_until_it_is_revoked(gateway: httpx.Client) -> None:
    admin = {**KEY, "Authorization": admin_token(gateway)["access_token"]}
    response = gateway.post("/clients", headers=admin, json={"name": "e2e client"})
    assert response.status_code == 201, response.text
    made = response.json()["data"]
    new_key = {"X-Client-Key": made["key"]}
    by_credentials = credentials(made["client_id"], made["client_secret"])

    assert gateway.get("/.well-known/jwks.json", headers=new_key).status_code == 200
    # Seed 000's form logs in too: the gateway and identity both accept it.
    login = gateway.post("/auth/login", headers=by_credentials, json=ADMIN)
    assert login.status_code == 200, login.text
    me = gateway.get(
        "/users/me", headers={**by_credentials, "Authorization": login.json()["data"]["access_token"]}
    )
    assert me.status_code == 200

    assert gateway.delete(f"/clients/{made['id']}", headers=admin).status_code == 204
    assert refused_within(gateway, new_key, seconds=5)
    assert refused_within(gateway, by_credentials, seconds=5)
    assert gateway.get("/.well-known/jwks.json", headers=KEY).status_code == 200


def test_clients_and_account_are_reachable(gateway: httpx.Client) -> None:
    admin = {**KEY, "Authorization": admin_token(gateway)["access_token"]}
    assert gateway.get("/clients", headers=admin).status_code == 200
    account = gateway.get("/account", headers=admin)
    assert account.status_code == 200
    assert account.json()["data"]["type"] == "account"
    for path in ("/config", "/config/theme", "/templates", "/templates/~/types", "/skillsets"):
        assert gateway.get(path, headers=admin).status_code == 200, path
    held = gateway.get(
        "/parties/~/skillsets", headers=admin, params={"party_id": account.json()["data"]["id"]}
    )
    assert held.status_code == 200
