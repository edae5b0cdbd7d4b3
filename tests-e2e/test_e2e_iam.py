"""Groups, features and datazones decide what a user may do, through the real gateway with every
service a real process (seed 004's picture): a user in a user group, features in a feature group, a
territory over a geo datazone that contains asset A but not asset B, and an operational group
inheriting the three. The user lists only A, may update A while the feature allows it, gets a 403
on B, sees the right ``__permissions__``, and a change to a group takes effect within seconds at
every service and, after logging in again, in the access token."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from e2e_stack import DEMO_KEY, Stack, log_in
from linked_objects import PATIENCE, Tenant, within, word
from sent_mail import mail_to, token_in

KEY = {"X-Client-Key": DEMO_KEY}
TAKES_EFFECT_WITHIN = 5.0
# A square around Newark-on-Trent; A lies inside it, B about 100 km away.
TERRITORY = "POLYGON((-0.85 53.05, -0.75 53.05, -0.75 53.12, -0.85 53.12, -0.85 53.05))"
INSIDE = {"lat": 53.08, "long": -0.8, "radius": 0}
OUTSIDE = {"lat": 52.2, "long": 0.12, "radius": 0}


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Iterator[Tenant]:
    with httpx.Client(base_url=stack.gateway, timeout=30) as http:
        yield Tenant(http)


def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    found: dict[str, Any] = response.json()["data"]
    return found


def code(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["errors"][0]["code"]


def new_user(stack: Stack, tenant: Tenant) -> tuple[str, str, str]:
    """A party of type user with a login of its own (set through the mailed reset link, as a new
    user would): its party id, email and password."""
    http, admin = tenant.http, tenant.auth
    types = http.get("/parties/~/types", headers=admin).json()["data"]
    user_type = next(t["id"] for t in types if t["base_type"] == "user")
    party = created(
        http.post(
            "/parties",
            headers=admin,
            json={
                "first_name": "Terry",
                "last_name": word(),
                "type_id": user_type,
                "addresses": [],
                "profile": [],
            },
        )
    )
    email, password = f"{word()}@example.com", f"Scoped-{uuid.uuid4().hex}"
    account = {
        "username": word(),
        "system_admin": False,
        "allow_sso": False,
        "allow_otp": False,
        "identities": [{"type": "email", "value": email}],
        "suspended_at": None,
    }
    made = http.put(f"/parties/{party['id']}/users", headers=admin, json=account)
    assert made.status_code == 200, made.text
    assert http.post("/auth/reset-password", headers=KEY, json={"email": email}).status_code == 202
    _, token = token_in(mail_to(stack, email))
    done = http.put("/auth/reset-password", headers=KEY, json={"token": token, "password": password})
    assert done.status_code == 200, done.text
    return party["id"], email, password


def signed_in(http: httpx.Client, email: str, password: str) -> tuple[dict[str, str], dict[str, Any]]:
    """The user's headers and the claims of the access token identity signed."""
    answer = log_in(http, email, password)
    assert answer.status_code == 200, answer.text
    token = answer.json()["data"]["access_token"]
    payload = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return {**KEY, "Authorization": f"Bearer {token}"}, claims


def feature_ids(tenant: Tenant, *tags: str) -> dict[str, str]:
    """The tenant's system features for ``tags``, provisioned when the tenant was created."""
    found: dict[str, str] = {}
    page = 0
    while len(found) < len(tags):
        listed = tenant.get("/features", page=page, per_page=100)
        assert listed.status_code == 200, listed.text
        rows = listed.json()["data"]
        assert rows, f"no features for {set(tags) - set(found)}"
        found |= {row["permission"]: row["id"] for row in rows if row["permission"] in tags}
        page += 1
    return found


def group(tenant: Tenant, kind: str, *, items: list[str] = [], inherit_ids: list[str] = []) -> str:  # noqa: B006
    body = {
        "name": f"{word()} {kind}",
        "description": "",
        "type": kind,
        "owner_ids": [],
        "inherit_ids": inherit_ids,
        "items": items,
        "meta": None,
        "suspended_at": None,
    }
    made, _ = within(
        PATIENCE,  # iam learns the party from identity's events
        lambda: tenant.http.post("/groups", headers=tenant.auth, json=body),
        lambda r: r.status_code != 400 or r.json()["errors"][0]["code"] != "eAttemptSaveWithMissingItems",
    )
    return str(created(made)["id"])


def territory_over(tenant: Tenant, wkt: str) -> str:
    zone = created(
        tenant.http.post(
            "/datazones",
            headers=tenant.auth,
            json={
                "name": f"{word()} zone",
                "description": "",
                "type": "geo",
                "is_dynamic": True,
                "addresses": [],
                "owner_ids": [],
                "industry_ids": [],
                "entity_ids": [],
                "contract_ids": [],
                "suspended_at": None,
            },
        )
    )
    shapes = {"data": [{"id": None, "name": "square", "long": None, "lat": None, "radius": None, "wkt": wkt}]}
    put = tenant.http.put(f"/datazones/{zone['id']}/geozones", headers=tenant.auth, json=shapes)
    assert put.status_code == 200, put.text
    assert [shape["wkt"] is not None for shape in put.json()["data"]] == [True]
    return str(zone["id"])


def asset_at(tenant: Tenant, name: str, geo: dict[str, Any]) -> str:
    body = {"name": name, "description": "", "type_id": tenant.site_type, "geo": geo}
    return str(created(tenant.http.post("/assets", headers=tenant.auth, json=body))["id"])


def test_groups_decide_what_a_user_may_do_and_where(stack: Stack, tenant: Tenant) -> None:
    http = tenant.http
    inside, outside = asset_at(tenant, f"{word()} A", INSIDE), asset_at(tenant, f"{word()} B", OUTSIDE)
    party, email, password = new_user(stack, tenant)
    features = feature_ids(tenant, "assets.view", "assets.update")
    users = group(tenant, "user", items=[party])
    abilities = group(tenant, "feature", items=list(features.values()))
    territory = group(tenant, "territory", items=[territory_over(tenant, TERRITORY)])
    operational = group(tenant, "operational", inherit_ids=[users, abilities, territory])
    user, _ = signed_in(http, email, password)
    both = {"ids[]": [inside, outside]}

    listed, took = within(
        TAKES_EFFECT_WITHIN + PATIENCE,  # the first grant waits for iam to learn the new party
        lambda: http.get("/assets", headers=user, params=both),
        lambda r: r.status_code == 200 and [a["id"] for a in r.json()["data"]] == [inside],
    )
    print(f"\nthe user's grants reached assets after {took * 1000:.0f} ms")
    one = http.get(f"/assets/{inside}", headers=user)
    assert one.status_code == 200, one.text
    assert one.json()["data"]["__permissions__"] == ["assets.update", "assets.view"]
    assert listed.json()["data"][0]["__permissions__"] == ["assets.update", "assets.view"]

    rename = {"name": f"{word()} A", "description": "", "type_id": tenant.site_type, "geo": INSIDE}
    assert http.put(f"/assets/{inside}", headers=user, json=rename).status_code == 200
    assert code(http.put(f"/assets/{outside}", headers=user, json=rename))[0] == 403
    assert code(http.get(f"/assets/{outside}", headers=user))[0] == 403
    assert code(http.delete(f"/assets/{inside}", headers=user))[0] == 403  # no assets.delete

    # The feature group loses assets.update: within seconds, A is read-only for the user.
    pulled = http.post(
        "/groups/~/actions/assign_item",
        headers=tenant.auth,
        json={"item_id": features["assets.update"], "push": [], "pull": [abilities]},
    )
    assert pulled.status_code == 204, pulled.text
    _, took = within(
        TAKES_EFFECT_WITHIN,
        lambda: http.get(f"/assets/{inside}", headers=user),
        lambda r: r.status_code == 200 and r.json()["data"]["__permissions__"] == ["assets.view"],
    )
    print(f"a feature taken from a group took effect at assets after {took * 1000:.0f} ms")
    assert code(http.put(f"/assets/{inside}", headers=user, json=rename))[0] == 403

    within(
        TAKES_EFFECT_WITHIN,
        lambda: http.get("/users/me", headers=user),
        lambda r: (
            r.status_code == 200
            and r.json()["data"]["permissions"]
            == [{"op_group_id": operational, "permissions": ["assets.view"]}]
        ),
    )
    assert http.post("/auth/logout", headers=user).status_code in (200, 204)
    within(TAKES_EFFECT_WITHIN, lambda: http.get("/assets", headers=user), lambda r: r.status_code == 401)
    user, claims = signed_in(http, email, password)
    assert claims["perms"] == ["assets.view"]

    # The territory group is suspended: the operational group then reaches no datazone at all.
    suspended = http.patch(
        "/groups",
        headers=tenant.auth,
        json={"data": [{"id": territory, "suspended_at": "2026-01-01T00:00:00Z"}]},
    )
    assert suspended.status_code == 200, suspended.text
    assert suspended.json()["errors"] == []
    _, took = within(
        TAKES_EFFECT_WITHIN,
        lambda: http.get("/assets", headers=user, params=both),
        lambda r: r.status_code == 200 and r.json()["data"] == [],
    )
    print(f"a suspended territory narrowed the user to nothing after {took * 1000:.0f} ms")
    assert code(http.get(f"/assets/{inside}", headers=user))[0] == 403
