"""``/account`` and ``/clients``: the tenant, its client keys and credentials, revocation."""

from __future__ import annotations

import base64
import hashlib
import uuid

from sqlmodel import select

from identity.repositories.catalogue_tables import ClientSecret
from identity.repositories.tables import Client
from tests.conftest import Account, Identity, holder_of, new_account, signed_in
from tests.integration.catalogues import code_of, events


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def basic(client_id: str, secret: str) -> str:
    """Seed 000's form: each part base64-encoded on its own."""
    return (
        f"Basic {base64.b64encode(client_id.encode()).decode()}:{base64.b64encode(secret.encode()).decode()}"
    )


async def test_account_read_and_rename(identity: Identity, account: Account) -> None:
    headers = await signed_in(identity, account)
    got = await identity.http.get("/account", headers=headers)
    assert got.status_code == 200
    assert got.json()["data"]["id"] == str(account.tenant_id)
    assert got.json()["data"]["type"] == "account"
    renamed = await identity.http.patch("/account", headers=headers, json={"name": "New Account Name"})
    assert renamed.status_code == 200
    assert renamed.json() == {"data": renamed.json()["data"], "warnings": []}
    assert renamed.json()["data"]["name"] == "New Account Name"
    seed_000 = {
        "data": {"id": str(account.tenant_id), "type": "account", "attributes": {"name": "Via JSON:API"}}
    }
    assert (await identity.http.patch("/account", headers=headers, json=seed_000)).json()["data"][
        "name"
    ] == "Via JSON:API"
    assert (await identity.http.get("/account", headers=headers)).json()["data"]["name"] == "Via JSON:API"
    updates = await events(identity, "identity.tenant.updated", str(account.tenant_id))
    assert [e["data"]["name"] for e in updates] == ["New Account Name", "Via JSON:API"]

    for wrong in (
        {},
        {"name": ""},
        {"name": "x" * 151},
        {"data": {"attributes": {}}},
        {"name": "a", "data": seed_000["data"]},
    ):
        response = await identity.http.patch("/account", headers=headers, json=wrong)
        assert response.status_code == 400, wrong
        assert code_of(response) == "eValidationError"
    user = holder_of(identity, account, "account.update")
    assert (await identity.http.get("/account", headers=user)).status_code == 200
    refused = await identity.http.patch("/account", headers=user, json={"name": "Mine now"})
    assert refused.status_code == 403
    assert code_of(refused) == "ePermissionDenied"


async def test_new_client_key_is_shown_once_and_stored_hashed(identity: Identity, account: Account) -> None:
    headers = await signed_in(identity, account)
    response = await identity.http.post("/clients", headers=headers, json={"name": "Mobile app"})
    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    made = response.json()["data"]
    assert made["client_id"] == made["id"]
    async with identity.wired.unit_of_work() as uow:
        stored = await uow.session.get(Client, uuid.UUID(made["id"]))
        secret = (
            await uow.session.execute(
                select(ClientSecret).where(ClientSecret.client_id == uuid.UUID(made["id"]))
            )
        ).scalar_one()
    assert stored is not None
    assert stored.key_hash == sha256(made["key"])
    assert secret.secret_hash == sha256(made["client_secret"])

    listed = await identity.http.get("/clients", headers=headers)
    assert listed.status_code == 200
    mine = [c for c in listed.json()["data"] if c["id"] == made["id"]]
    assert mine == [
        {"id": made["id"], "name": "Mobile app", "created_at": made["created_at"], "revoked_at": None}
    ]
    assert made["key"] not in listed.text
    assert made["client_secret"] not in listed.text

    # The new key, and the new credentials, open the tenant.
    login = {"email": account.email, "password": account.password}
    assert (
        await identity.http.post("/auth/login", headers={"X-Client-Key": made["key"]}, json=login)
    ).status_code == 200
    by_credentials = {"X-Client-Key": basic(made["client_id"], made["client_secret"])}
    assert (await identity.http.post("/auth/login", headers=by_credentials, json=login)).status_code == 200
    wrong = {"X-Client-Key": basic(made["client_id"], "not-the-secret")}
    refused = await identity.http.post("/auth/login", headers=wrong, json=login)
    assert refused.status_code == 401
    assert code_of(refused) == "eInvalidClientKey"


async def test_internal_credentials_check(identity: Identity, account: Account) -> None:
    made = (
        await identity.http.post("/clients", headers=await signed_in(identity, account), json={"name": "x"})
    ).json()["data"]
    check = {"client_id": made["client_id"], "client_secret": made["client_secret"]}
    found = await identity.http.post("/internal/client-credentials", json=check)
    assert found.status_code == 200
    assert found.json()["data"] == {"tenant_id": str(account.tenant_id), "client_id": made["id"]}
    for wrong in (
        {**check, "client_secret": "nope"},
        {**check, "client_id": str(uuid.uuid4())},
        {**check, "client_id": "x"},
    ):
        response = await identity.http.post("/internal/client-credentials", json=wrong)
        assert response.status_code == 404
        assert code_of(response) == "eInvalidClientKey"
    assert (
        await identity.http.post("/internal/client-credentials", json={"client_id": "x"})
    ).status_code == 400


async def test_revoking_a_client_refuses_its_key_and_publishes(identity: Identity, account: Account) -> None:
    headers = await signed_in(identity, account)
    made = (await identity.http.post("/clients", headers=headers, json={"name": "Old"})).json()["data"]
    assert (await identity.http.delete(f"/clients/{made['id']}", headers=headers)).status_code == 204

    revoked = await events(identity, "identity.client.revoked", made["id"])
    assert [e["data"] for e in revoked] == [{"client_id": made["id"], "key_hash": sha256(made["key"])}]
    login = {"email": account.email, "password": account.password}
    for key in (made["key"], basic(made["client_id"], made["client_secret"])):
        response = await identity.http.post("/auth/login", headers={"X-Client-Key": key}, json=login)
        assert response.status_code == 401
        assert code_of(response) == "eInvalidClientKey"
    lookup = await identity.http.get(f"/internal/client-keys/{sha256(made['key'])}")
    assert lookup.status_code == 404
    # Hidden from the list unless named, like a deleted row; revoking twice finds nothing.
    assert made["id"] not in (await identity.http.get("/clients", headers=headers)).text
    named = await identity.http.get("/clients", headers=headers, params={"ids[]": made["id"]})
    assert named.json()["data"][0]["revoked_at"] is not None
    again = await identity.http.delete(f"/clients/{made['id']}", headers=headers)
    assert again.status_code == 400
    assert code_of(again) == "eClientNotFound"


async def test_clients_are_per_tenant_and_admin_only(identity: Identity, account: Account) -> None:
    headers = await signed_in(identity, account)
    other = await new_account(identity.wired, system_admin=True)
    theirs = (
        await identity.http.post("/clients", headers=await signed_in(identity, other), json={"name": "T"})
    ).json()["data"]
    for client_id in (theirs["id"], str(uuid.uuid4()), "not-a-uuid"):
        response = await identity.http.delete(f"/clients/{client_id}", headers=headers)
        assert response.status_code == 400
        assert code_of(response) == "eClientNotFound"
    assert (
        theirs["id"]
        not in (await identity.http.get("/clients", headers=headers, params={"ids[]": theirs["id"]})).text
    )
    still = await identity.http.post(
        "/auth/login",
        headers={"X-Client-Key": theirs["key"]},
        json={"email": other.email, "password": other.password},
    )
    assert still.status_code == 200

    user = holder_of(identity, account, "client.view", "client.create")
    for method, path, body in (
        ("GET", "/clients", None),
        ("POST", "/clients", {"name": "x"}),
        ("DELETE", f"/clients/{uuid.uuid4()}", None),
    ):
        response = await identity.http.request(method, path, headers=user, json=body)
        assert response.status_code == 403, path
        assert code_of(response) == "ePermissionDenied"
    for wrong in ({}, {"name": ""}, {"name": "x" * 151}):
        response = await identity.http.post("/clients", headers=headers, json=wrong)
        assert code_of(response) == "eValidationError"
