"""Every identity operation that exists, through the gateway as a client app calls it: the
demo system admin makes one real call with a valid body (documented status and envelope) and
one that fails (documented status and code). Then: a user who is not an admin is refused an
admin-only write, and another tenant cannot see this tenant's party.

The full mail flows (password reset, guest login) are in ``test_e2e_password_reset.py``;
login, refresh and logout in ``test_e2e_login.py``; client keys in ``test_e2e_clients.py``."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from e2e_stack import DEMO_KEY, Stack, admin_token, log_in
from proximity.db.engine import with_database
from proximity.devstack.smtp_sink import messages_to, text_of

KEY = {"X-Client-Key": DEMO_KEY}
RESET_TOKEN = re.compile(r"[?&]token=([A-Za-z0-9_-]+)")


# --- what the answers must look like -------------------------------------------------------


def one(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    """``{"data": {...}, "warnings": []}`` with ``status``; the data."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"data", "warnings"}, body
    assert isinstance(body["data"], dict)
    assert body["warnings"] == []
    data: dict[str, Any] = body["data"]
    return data


def catalogue(response: httpx.Response) -> list[dict[str, Any]]:
    """Everything at once: ``{"data": [...], "warnings": []}``, no pagination."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"data", "warnings"}, body
    assert isinstance(body["data"], list)
    assert "x-total-count" not in response.headers
    items: list[dict[str, Any]] = body["data"]
    return items


def page(response: httpx.Response) -> tuple[list[dict[str, Any]], int]:
    """A list: data, pagination, sort and warnings, with ``X-Total-Count`` and ``Link``."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"data", "pagination", "sort", "warnings"}, body
    # Lists bounded for deep pages (parties) also say whether the total is exact and where
    # the next page's cursor is.
    assert {"page", "per_page", "total"} <= set(body["pagination"])
    assert set(body["pagination"]) <= {"page", "per_page", "total", "total_exact", "next_cursor"}
    assert all(set(rule) == {"field", "dir"} for rule in body["sort"])
    total: int = body["pagination"]["total"]
    assert response.headers["x-total-count"] == str(total)
    links = dict(link_targets(response.headers["link"]))
    assert {"first", "last"} <= set(links)
    assert all(urlsplit(target).path == response.request.url.path for target in links.values())
    return body["data"], total


def batch(response: httpx.Response) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``PATCH /<collection>``: 200 ``{"data": [...applied], "errors": [{id, code, msg}]}``."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"data", "errors"}, body
    assert all(set(error) == {"id", "code", "msg"} for error in body["errors"])
    return body["data"], body["errors"]


def error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"errors"}, body
    assert body["errors"][0]["code"] == code, body
    assert body["errors"][0]["message"]


def link_targets(header: str) -> Iterator[tuple[str, str]]:
    for target, rel in re.findall(r'<([^>]*)>;\s*rel="([^"]+)"', header):
        yield rel, target


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def http(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.gateway, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def admin(http: httpx.Client) -> dict[str, str]:
    return {**KEY, "Authorization": admin_token(http)["access_token"]}


@pytest.fixture(scope="module")
def user_type_id(http: httpx.Client, admin: dict[str, str]) -> str:
    types = catalogue(http.get("/parties/~/types", headers=admin))
    return next(t["id"] for t in types if t["base_type"] == "user")


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def party_body(**changes: Any) -> dict[str, Any]:
    # The fields that are required: names, and the (possibly empty) addresses and profile.
    return {"first_name": "Ada", "last_name": unique("Lovelace"), "addresses": [], "profile": []} | changes


def new_party(http: httpx.Client, admin: dict[str, str], **changes: Any) -> dict[str, Any]:
    return one(http.post("/parties", headers=admin, json=party_body(**changes)), 201)


def identity_database(stack: Stack) -> str:
    url = with_database(stack.env["DATABASE_URL"], f"{stack.env['DB_PREFIX']}identity")
    return url.render_as_string(hide_password=False)


# --- people --------------------------------------------------------------------------------


def test_parties(http: httpx.Client, admin: dict[str, str], user_type_id: str) -> None:
    body = party_body(
        type_id=user_type_id,
        email=f"{unique('ada')}@example.com",
        phone="+442079460000",
        addresses=[
            {"name": "Office", "country": "gb", "region": "england", "city": "London", "street": "Strand"}
        ],
        profile=[{"key": "title", "val": "engineer"}],
    )
    created = one(http.post("/parties", headers=admin, json=body), 201)
    assert (created["base_type"], created["last_name"]) == ("user", body["last_name"])
    error(
        http.post("/parties", headers=admin, json=party_body(type_id=str(uuid.uuid4()))),
        400,
        "ePartyTypeNotFound",
    )
    error(
        http.post("/parties", headers=admin, json=party_body(profile=[{"key": "colour", "val": "red"}])),
        400,
        "eProfileKeyNotFound",
    )

    listed, total = page(
        http.get("/parties", headers=admin, params={"keywords": body["last_name"], "include[]": "stats"})
    )
    assert (total, listed[0]["id"]) == (1, created["id"])
    assert "stats" in listed[0]
    page(http.get("/parties", headers=admin, params={"per_page": 1, "sort": "-created"}))
    error(http.get("/parties", headers=admin, params={"type_id": "not-a-uuid"}), 400, "eValidationError")

    url = f"/parties/{created['id']}"
    got = one(http.get(url, headers=admin, params={"include[]": "counts"}))
    assert set(got["counts"]) == {"groups.user", "contracts", "assets", "skillsets"}
    assert got["addresses"][0]["city"] == "London"
    error(http.get(f"/parties/{uuid.uuid4()}", headers=admin), 400, "ePartyNotFound")

    replaced = one(http.put(url, headers=admin, json={**body, "first_name": "Augusta"}))
    assert replaced["first_name"] == "Augusta"
    error(http.put(f"/parties/{uuid.uuid4()}", headers=admin, json=body), 400, "ePartyNotFound")

    missing = str(uuid.uuid4())
    applied, failures = batch(
        http.patch(
            "/parties",
            headers=admin,
            json={"data": [{"id": created["id"], "suspended_at": "2000-01-01T00:00:00Z"}, {"id": missing}]},
        )
    )
    assert [row["id"] for row in applied] == [created["id"]]
    assert applied[0]["suspended_at"] is not None
    assert not applied[0]["suspended_at"].startswith("2000")  # the server's clock, not the client's
    assert [(f["id"], f["code"]) for f in failures] == [(missing, "ePartyNotFound")]
    error(http.patch("/parties", headers=admin, json={"data": []}), 400, "eValidationError")

    assert http.delete(url, headers=admin).status_code == 204
    error(http.delete(f"/parties/{uuid.uuid4()}", headers=admin), 400, "ePartyNotFound")
    # Deleted: hidden from lists unless named in ids[].
    assert page(http.get("/parties", headers=admin, params={"keywords": body["last_name"]}))[1] == 0
    named, _ = page(http.get("/parties", headers=admin, params={"ids[]": created["id"]}))
    assert named[0]["deleted_at"] is not None


def test_catalogues_and_who_am_i(http: httpx.Client, admin: dict[str, str]) -> None:
    types = catalogue(http.get("/parties/~/types", headers=admin))
    assert {t["base_type"] for t in types} == {"user", "contact"}
    assert all({"id", "name"} <= set(title) for title in catalogue(http.get("/jobtitles", headers=admin)))
    assert {t["key"] for t in catalogue(http.get("/templates/~/types", headers=admin))} >= {"welcome"}
    me = one(http.get("/users/me", headers=admin))
    assert set(me) == {"party_id", "permissions", "settings"}
    for path in ("/parties/~/types", "/jobtitles", "/templates/~/types", "/users/me"):
        error(http.get(path, headers=KEY), 401, "eInvalidToken")


def test_skillsets_and_party_skillsets(http: httpx.Client, admin: dict[str, str]) -> None:
    name = unique("Welding")
    skillset = one(http.post("/skillsets", headers=admin, json={"name": name, "description": "arc"}), 201)
    error(
        http.post(
            "/skillsets",
            headers=admin,
            json={"name": unique("x"), "description": "", "type_id": str(uuid.uuid4())},
        ),
        400,
        "eSkillSetTypeNotFound",
    )
    listed, total = page(http.get("/skillsets", headers=admin, params={"keywords": name}))
    assert (total, listed[0]["id"]) == (1, skillset["id"])
    url = f"/skillsets/{skillset['id']}"
    assert one(http.get(url, headers=admin))["name"] == name
    error(http.get(f"/skillsets/{uuid.uuid4()}", headers=admin), 400, "eSkillSetNotFound")
    replaced = one(http.put(url, headers=admin, json={"name": name, "description": "tig"}))
    assert replaced["description"] == "tig"
    error(
        http.put(f"/skillsets/{uuid.uuid4()}", headers=admin, json={"name": name, "description": ""}),
        400,
        "eSkillSetNotFound",
    )

    party = new_party(http, admin)
    pair = {"party_id": party["id"], "skillset_id": skillset["id"], "expires_at": "2099-01-01T00:00:00Z"}
    saved = http.put("/parties/~/skillsets", headers=admin, json={"data": [pair]})
    assert saved.status_code == 200, saved.text
    assert set(saved.json()) == {"data", "warnings"}
    pairs = [(row["party_id"], row["skillset_id"]) for row in saved.json()["data"]]
    assert pairs == [(party["id"], skillset["id"])]
    error(
        http.put(
            "/parties/~/skillsets", headers=admin, json={"data": [{**pair, "party_id": str(uuid.uuid4())}]}
        ),
        400,
        "ePartiesNotFound",
    )
    error(
        http.put(
            "/parties/~/skillsets", headers=admin, json={"data": [{**pair, "skillset_id": str(uuid.uuid4())}]}
        ),
        400,
        "eAttemptSaveWithMissingSkillSets",
    )
    held = catalogue(http.get("/parties/~/skillsets", headers=admin, params={"skillset_id": skillset["id"]}))
    assert [row["party_id"] for row in held] == [party["id"]]
    error(http.get("/parties/~/skillsets", headers=admin), 400, "eValidationError")

    assert http.delete(url, headers=admin).status_code == 204
    error(http.delete(url, headers=admin), 400, "eSkillSetNotFound")
    assert catalogue(http.get("/parties/~/skillsets", headers=admin, params={"party_id": party["id"]})) == []


def user_body(email: str, **changes: Any) -> dict[str, Any]:
    return {
        "username": unique("u")[:45],
        "system_admin": False,
        "allow_sso": False,
        "allow_otp": False,
        "identities": [{"type": "email", "value": email}],
        "suspended_at": None,
    } | changes


def test_users_of_parties(http: httpx.Client, admin: dict[str, str], user_type_id: str) -> None:
    party = new_party(http, admin, type_id=user_type_id)
    email = f"{unique('user')}@example.com"
    url = f"/parties/{party['id']}/users"
    created = one(http.put(url, headers=admin, json=user_body(email)))
    assert created["identities"] == [{"type": "email", "value": email}]
    assert created["system_admin"] is False
    error(
        http.put(f"/parties/{uuid.uuid4()}/users", headers=admin, json=user_body(email)),
        400,
        "ePartyNotFound",
    )
    other = new_party(http, admin, type_id=user_type_id)
    error(
        http.put(f"/parties/{other['id']}/users", headers=admin, json=user_body(email)),
        400,
        "eIdentityNotUnique",
    )
    error(
        http.put(
            url, headers=admin, json=user_body(email, identities=[{"type": "phone", "value": "+15550100"}])
        ),
        400,
        "eIdentityNotValid",
    )

    assert one(http.get(url, headers=admin))["identities"] == created["identities"]
    error(http.get(f"/parties/{other['id']}/users", headers=admin), 400, "ePartyNotFound")  # no user yet

    listed, total = page(http.get("/parties/~/users", headers=admin, params={"ids[]": party["id"]}))
    assert (total, listed[0]["id"]) == (1, party["id"])
    error(http.get("/parties/~/users", headers=admin, params={"sort": "+colour"}), 400, "eValidationError")

    missing = str(uuid.uuid4())
    applied, failures = batch(
        http.patch("/parties/~/users", headers=admin, json={"data": [{"id": party["id"]}, {"id": missing}]})
    )
    assert [row["id"] for row in applied] == [party["id"]]
    assert [(f["id"], f["code"]) for f in failures] == [(missing, "ePartyNotFound")]


def test_own_settings_and_favorites(http: httpx.Client, admin: dict[str, str]) -> None:
    party_id = one(http.get("/users/me", headers=admin))["party_id"]
    settings_url = f"/parties/{party_id}/users/settings"
    assert one(http.get(settings_url, headers=admin))["id"] == party_id
    template = str(uuid.uuid4())
    wanted = {"id": party_id, "settings": [{"key": "welcome_template_id", "val": template}]}
    patched = one(http.patch(settings_url, headers=admin, json={"data": wanted}))
    assert patched["settings"] == wanted["settings"]
    unknown_key = {"id": party_id, "settings": [{"key": "colour", "val": "red"}]}
    error(http.patch(settings_url, headers=admin, json={"data": unknown_key}), 400, "eSettingKeyNotFound")
    error(http.get(f"/parties/{uuid.uuid4()}/users/settings", headers=admin), 400, "ePartyNotFound")

    favorites_url = f"/parties/{party_id}/favorites"
    item = {"party_id": party_id, "item_id": str(uuid.uuid4()), "type": "pin", "category": "entity"}
    saved = catalogue(http.patch(favorites_url, headers=admin, json={"data": [item]}))
    assert [(f["item_id"], f["deleted_at"]) for f in saved] == [(item["item_id"], None)]
    listed = catalogue(http.get(favorites_url, headers=admin, params={"type": "pin", "category": "entity"}))
    assert item["item_id"] in {f["item_id"] for f in listed}
    error(http.get(f"/parties/{uuid.uuid4()}/favorites", headers=admin), 400, "ePartyNotFound")
    error(
        http.patch(favorites_url, headers=admin, json={"data": [{**item, "type": "star"}]}),
        400,
        "eValidationError",
    )


# --- config, templates, the tenant -----------------------------------------------------------


def test_config_and_templates(http: httpx.Client, admin: dict[str, str]) -> None:
    config = one(http.get("/config", headers=admin))
    assert set(config) == {"theme", "phrasing", "vocab", "settings", "permissions"}
    rewritten = one(http.put("/config", headers=admin, json={"settings": config["settings"]}))
    assert rewritten["vocab"] == config["vocab"]  # sections left out are kept
    error(http.put("/config", headers=admin, json={"theme": "dark"}), 400, "eValidationError")

    theme = catalogue(http.get("/config/theme", headers=admin))
    entry = {"key": unique("primary"), "value": "#123456", "domain": "localhost"}
    assert entry in catalogue(http.put("/config/theme", headers=admin, json={"data": [*theme, entry]}))
    error(http.put("/config/theme", headers=admin, json={"data": "x"}), 400, "eValidationError")

    type_id = catalogue(http.get("/templates/~/types", headers=admin))[0]["id"]
    name = unique("Welcome")
    template = {"name": name, "type_id": type_id, "status": "draft"}
    assert one(http.post("/templates", headers=admin, json=template), 201)["name"] == name
    error(
        http.post("/templates", headers=admin, json={**template, "type_id": str(uuid.uuid4())}),
        400,
        "eTemplateTypeNotFound",
    )
    listed, total = page(http.get("/templates", headers=admin, params={"keywords": name, "sort_by": "+name"}))
    assert (total, listed[0]["name"]) == (1, name)
    error(http.get("/templates", headers=admin, params={"per_page": "many"}), 400, "eValidationError")


def test_account_and_clients(http: httpx.Client, admin: dict[str, str]) -> None:
    account = one(http.get("/account", headers=admin))
    assert account["type"] == "account"
    # Seed 000's body shape, renaming the tenant to the name it has.
    seed_000 = {"data": {"type": "account", "attributes": {"name": account["name"]}}}
    assert one(http.patch("/account", headers=admin, json=seed_000))["name"] == account["name"]
    error(http.patch("/account", headers=admin, json={"name": ""}), 400, "eValidationError")

    name = unique("client")
    made = http.post("/clients", headers=admin, json={"name": name})
    assert made.headers["cache-control"] == "no-store"
    client = one(made, 201)
    assert {"id", "name", "key", "client_id", "client_secret"} <= set(client)
    listed, total = page(http.get("/clients", headers=admin, params={"keywords": name}))
    assert (total, set(listed[0])) == (1, {"id", "name", "created_at", "revoked_at"})
    error(http.post("/clients", headers=admin, json={}), 400, "eValidationError")
    assert http.delete(f"/clients/{client['id']}", headers=admin).status_code == 204
    error(http.delete(f"/clients/{client['id']}", headers=admin), 400, "eClientNotFound")


def test_public_flows_answer_without_a_token(http: httpx.Client) -> None:
    unknown = f"{unique('nobody')}@example.com"
    wrong = log_in(http, unknown, "not-the-password")
    error(wrong, 401, "eInvalidCredentials")
    asked = http.post("/auth/reset-password", headers=KEY, json={"email": unknown})
    assert (asked.status_code, asked.content) == (202, b"")
    error(http.post("/auth/reset-password", headers=KEY, json={}), 400, "eValidationError")
    error(
        http.put("/auth/reset-password", headers=KEY, json={"token": "x" * 43, "password": "Long-enough-9"}),
        400,
        "eInvalidResetToken",
    )
    started = http.post("/auth2/guests/initiate", headers=KEY, json={"dk": "localhost", "email": unknown})
    assert (started.status_code, started.content) == (202, b"")
    error(http.post("/auth2/guests/initiate", headers=KEY, json={"dk": "localhost"}), 400, "eValidationError")
    error(
        http.post("/auth2/guests/confirm", headers=KEY, json={"token": "x" * 43}), 401, "eInvalidGuestToken"
    )


# --- who may do what -----------------------------------------------------------------------


def mailed_token(stack: Stack, address: str, within: float = 15) -> str:
    deadline = time.monotonic() + within
    while not (found := messages_to(stack.mail, address)):
        assert time.monotonic() < deadline, f"no mail to {address} in {stack.mail}"
        time.sleep(0.1)
    match = RESET_TOKEN.search(text_of(found[0]))
    assert match, "no token in the message"
    return match.group(1)


def test_a_user_who_is_not_an_admin_is_refused_admin_writes(
    http: httpx.Client, admin: dict[str, str], user_type_id: str, stack: Stack
) -> None:
    # Only the API: a party, its user (no password yet), a password set through the reset mail.
    party = new_party(http, admin, type_id=user_type_id)
    email = f"{unique('member')}@example.com"
    one(http.put(f"/parties/{party['id']}/users", headers=admin, json=user_body(email)))
    assert http.post("/auth/reset-password", headers=KEY, json={"email": email}).status_code == 202
    password = f"Member-{uuid.uuid4().hex}"
    token = mailed_token(stack, email)
    reset = http.put("/auth/reset-password", headers=KEY, json={"token": token, "password": password})
    assert reset.status_code == 200, reset.text
    logged_in = log_in(http, email, password)
    assert logged_in.status_code == 200, logged_in.text
    member = {**KEY, "Authorization": logged_in.json()["data"]["access_token"]}

    assert one(http.get("/users/me", headers=member))["party_id"] == party["id"]
    error(http.post("/clients", headers=member, json={"name": unique("mine")}), 403, "ePermissionDenied")
    error(http.put("/config/theme", headers=member, json={"data": []}), 403, "ePermissionDenied")
    error(http.patch("/account", headers=member, json={"name": "Taken over"}), 403, "ePermissionDenied")
    grant = user_body(email, system_admin=True)
    error(http.put(f"/parties/{party['id']}/users", headers=member, json=grant), 403, "ePermissionDenied")


def test_another_tenant_cannot_see_this_tenants_rows(
    http: httpx.Client, admin: dict[str, str], stack: Stack
) -> None:
    party = new_party(http, admin)
    skillset = one(http.post("/skillsets", headers=admin, json={"name": unique("S"), "description": ""}), 201)

    other_key = unique("other-key")
    env = {
        **stack.env,
        "DATABASE_URL": identity_database(stack),
        "DEMO_CLIENT_KEY": other_key,
        "DEMO_TENANT_NAME": unique("Other"),
        "DEMO_DOMAIN_KEY": "",
    }
    subprocess.run([sys.executable, "-m", "identity.seed"], env=env, check=True, capture_output=True)
    other_admin = log_in(http, "admin@example.com", "admin-password", key=other_key)
    assert other_admin.status_code == 200, other_admin.text
    other = {"X-Client-Key": other_key, "Authorization": other_admin.json()["data"]["access_token"]}

    error(http.get(f"/parties/{party['id']}", headers=other), 400, "ePartyNotFound")
    error(http.put(f"/parties/{party['id']}", headers=other, json=party_body()), 400, "ePartyNotFound")
    error(http.delete(f"/parties/{party['id']}", headers=other), 400, "ePartyNotFound")
    error(http.get(f"/skillsets/{skillset['id']}", headers=other), 400, "eSkillSetNotFound")
    assert page(http.get("/parties", headers=other, params={"ids[]": party["id"]}))[1] == 0
    assert one(http.get(f"/parties/{party['id']}", headers=admin))["deleted_at"] is None


# --- known bugs (strict: a fix makes these fail until the marker goes) ------------------------


def test_list_links_point_at_the_gateway(http: httpx.Client, admin: dict[str, str], stack: Stack) -> None:
    response = http.get("/parties", headers=admin, params={"per_page": 1})
    targets = dict(link_targets(response.headers["link"]))
    gateway = urlsplit(stack.gateway).netloc
    assert all(urlsplit(target).netloc == gateway for target in targets.values()), targets


def test_a_deleted_partys_user_cannot_sign_in(
    http: httpx.Client, admin: dict[str, str], user_type_id: str, stack: Stack
) -> None:
    party = new_party(http, admin, type_id=user_type_id)
    email = f"{unique('gone')}@example.com"
    one(http.put(f"/parties/{party['id']}/users", headers=admin, json=user_body(email)))
    assert http.post("/auth/reset-password", headers=KEY, json={"email": email}).status_code == 202
    token = mailed_token(stack, email)
    password = "Deleted-party-9"
    assert (
        http.put("/auth/reset-password", headers=KEY, json={"token": token, "password": password}).status_code
        == 200
    )
    signed_in = log_in(http, email, password)
    assert signed_in.status_code == 200
    access = signed_in.json()["data"]["access_token"]

    assert http.delete(f"/parties/{party['id']}", headers=admin).status_code == 204
    error(log_in(http, email, password), 401, "eInvalidCredentials")
    error(http.get("/users/me", headers={**KEY, "Authorization": access}), 401, "eSessionRevoked")
