"""The people routes' real answers hold to their API document: every operation is called
against the app (real PostgreSQL and NATS), as a system administrator and as a user with
permissions, and each answer's status must be declared, its body must match the declared
schema (JSON Schema 2020-12, refs resolved against the document's components) and, for an
error, its code must be one the operation lists."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator

from identity.repositories.catalogue_tables import SkillSetCategory, SkillSetType
from identity.routes import (
    favorites,
    parties,
    party_skillsets,
    party_types,
    party_users,
    skillsets,
    user_settings,
    users,
)
from proximity.openapi.document import openapi_document
from tests.conftest import Account, Identity, holder_of, signed_in
from tests.integration.catalogues import another_party
from tests.integration.party_users_support import member, user_body
from tests.integration.people import party_body

MODULES = (parties, party_types, party_users, party_skillsets, skillsets, favorites, user_settings, users)


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return openapi_document(
        [route for module in MODULES for route in module.routes], title="identity (people)", version="1"
    )


class Conformance:
    """Checks answers against the document and remembers which operations and statuses it saw."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.seen: set[tuple[str, str, int]] = set()

    def __call__(self, method: str, path: str, response: httpx.Response) -> Any:
        operation = self.document["paths"][path][method.lower()]
        status = str(response.status_code)
        assert status in operation["responses"], f"{method} {path}: undeclared {status}: {response.text}"
        declared = operation["responses"][status]
        self.seen.add((method, path, response.status_code))
        if "content" not in declared:
            assert response.content == b"", f"{method} {path}: {status} should be empty"
            return None
        media_type = response.headers["content-type"].split(";")[0]
        assert media_type in declared["content"], f"{method} {path}: {status} as {media_type}"
        for name in declared.get("headers", {}):
            assert name in response.headers, f"{method} {path}: {status} without {name}"
        schema = {**declared["content"][media_type]["schema"], "components": self.document["components"]}
        body = response.json()
        errors = sorted(Draft202012Validator(schema).iter_errors(body), key=lambda e: list(e.path))
        assert not errors, f"{method} {path} {status}: " + "; ".join(
            f"{list(e.path)}: {e.message}" for e in errors[:5]
        )
        return body


@pytest.fixture
def conforms(document: dict[str, Any]) -> Conformance:
    return Conformance(document)


async def _reference_ids(identity: Identity, account: Account) -> tuple[str, str]:
    async with identity.wired.unit_of_work() as uow:
        kind = SkillSetType(tenant_id=account.tenant_id, name=f"Safety {uuid.uuid4().hex[:6]}")
        category = SkillSetCategory(tenant_id=account.tenant_id, name=f"Outdoor {uuid.uuid4().hex[:6]}")
        uow.session.add_all([kind, category])
        await uow.commit()
    return str(kind.id), str(category.id)


async def test_every_people_operation_answers_as_documented(
    identity: Identity, account: Account, conforms: Conformance
) -> None:
    http = identity.http
    admin = await signed_in(identity, account)
    viewer = holder_of(
        identity,
        account,
        "parties.view",
        "parties.update",
        "users.view",
        "skillsets.view",
        "skillsets.update",
    )

    types = conforms("GET", "/parties/~/types", await http.get("/parties/~/types", headers=admin))
    titles = conforms("GET", "/jobtitles", await http.get("/jobtitles", headers=admin))
    type_id = next(t["id"] for t in types["data"] if t["base_type"] == "user")
    title_id = titles["data"][0]["id"]

    # Parties: full and bare bodies, lists with and without stats, as admin and as a viewer.
    made = conforms(
        "POST",
        "/parties",
        await http.post(
            "/parties",
            headers=admin,
            json=party_body(type_id=type_id, job_title_id=title_id, phone="+14035551234"),
        ),
    )["data"]
    bare = party_body(email=None, avatar_url=None, addresses=[{"name": "Somewhere"}], profile=[])
    conforms("POST", "/parties", await http.post("/parties", headers=admin, json=bare))
    party_id = made["id"]
    for params in ({}, {"include[]": "stats"}, {"type_id": type_id, "sort": "-total_skillsets"}):
        for headers in (admin, viewer):
            conforms("GET", "/parties", await http.get("/parties", headers=headers, params=params))
    for params in ({}, {"include[]": "counts"}):
        for headers in (admin, viewer):
            found = conforms(
                "GET", "/parties/{id}", await http.get(f"/parties/{party_id}", headers=headers, params=params)
            )
            assert ("counts" in found["data"]) == bool(params)
    replaced = await http.put(f"/parties/{party_id}", headers=viewer, json=party_body(last_name="Renamed"))
    assert conforms("PUT", "/parties/{id}", replaced)["data"]["__permissions__"] == [
        "parties.update",
        "parties.view",
    ]
    rows = [
        {"id": party_id, "suspended_at": "2023-01-01T12:35:00Z"},
        {"id": str(uuid.uuid4()), "suspended_at": None},
        {"id": "not-a-uuid"},
        {"id": 7},
        "not-an-object",
    ]
    outcome = conforms("PATCH", "/parties", await http.patch("/parties", headers=admin, json={"data": rows}))
    assert len(outcome["data"]) == 1
    assert len(outcome["errors"]) == 4
    denied = await http.patch(
        "/parties", headers=viewer, json={"data": [{"id": party_id, "deleted_at": None}]}
    )
    assert conforms("PATCH", "/parties", denied)["errors"][0]["code"] == "ePermissionDenied"

    # Skillsets and who holds them.
    kind_id, category_id = await _reference_ids(identity, account)
    skill = {"name": "Fire Extinguisher", "description": "", "type_id": kind_id, "category_id": category_id}
    created = conforms("POST", "/skillsets", await http.post("/skillsets", headers=admin, json=skill))["data"]
    skillset_id = created["id"]
    conforms(
        "POST",
        "/skillsets",
        await http.post("/skillsets", headers=admin, json={"name": "Plain", "description": "x"}),
    )
    for headers in (admin, viewer):
        conforms("GET", "/skillsets", await http.get("/skillsets", headers=headers))
        conforms("GET", "/skillsets/{id}", await http.get(f"/skillsets/{skillset_id}", headers=headers))
    suspended = await http.put(
        f"/skillsets/{skillset_id}", headers=viewer, json=skill | {"suspended_at": "2023-01-01T12:45:00Z"}
    )
    assert conforms("PUT", "/skillsets/{id}", suspended)["data"]["suspended_at"] is not None
    pair = {
        "party_id": party_id,
        "skillset_id": skillset_id,
        "effective_at": "2023-01-01T12:35:00Z",
        "expires_at": None,
        "doc_url": None,
        "deleted_at": None,
    }
    held = await http.put("/parties/~/skillsets", headers=admin, json={"data": [pair]})
    conforms("PUT", "/parties/~/skillsets", held)
    removed = await http.put(
        "/parties/~/skillsets", headers=admin, json={"data": [pair | {"deleted_at": "2023-03-03T12:35:00Z"}]}
    )
    assert conforms("PUT", "/parties/~/skillsets", removed)["data"][0]["deleted_at"] is not None
    await http.put("/parties/~/skillsets", headers=admin, json={"data": [pair]})
    for params in ({"party_id": party_id}, {"skillset_id": skillset_id}, {"party_id": str(uuid.uuid4())}):
        conforms(
            "GET",
            "/parties/~/skillsets",
            await http.get("/parties/~/skillsets", headers=viewer, params=params),
        )
    conforms(
        "GET",
        "/parties",
        await http.get("/parties", headers=admin, params={"include[]": "stats", "skillset_id": skillset_id}),
    )

    # Party users: created by PUT, read, listed, suspended in a batch.
    user = await http.put(f"/parties/{party_id}/users", headers=admin, json=user_body(username=None))
    conforms("PUT", "/parties/{id}/users", user)
    for headers in (admin, viewer):
        conforms("GET", "/parties/{id}/users", await http.get(f"/parties/{party_id}/users", headers=headers))
        conforms(
            "GET",
            "/parties/~/users",
            await http.get("/parties/~/users", headers=headers, params={"sort": "-last_signin"}),
        )
    batch_rows = [
        {"id": party_id, "suspended_at": "2023-01-01T12:35:00Z"},
        {"id": str(account.party_id)},
        {"id": str(uuid.uuid4()), "suspended_at": None},
        {"id": {"not": "a string"}},
        "not-an-object",
    ]
    applied = conforms(
        "PATCH",
        "/parties/~/users",
        await http.patch("/parties/~/users", headers=admin, json={"data": batch_rows}),
    )
    assert [e["id"] for e in applied["errors"]][-2:] == [None, None]
    assert "suspended_at" not in applied["data"][1]

    # The caller's own favorites, settings and login configuration.
    own = str(account.party_id)
    favorite = {"party_id": own, "item_id": str(uuid.uuid4()), "category": "heatmap", "type": "pin"}
    patched = await http.patch(
        f"/parties/{own}/favorites",
        headers=admin,
        json={
            "data": [
                favorite,
                favorite | {"item_id": str(uuid.uuid4()), "deleted_at": "2023-03-03T12:35:00Z"},
            ]
        },
    )
    conforms("PATCH", "/parties/{id}/favorites", patched)
    for params in ({}, {"type": "pin"}, {"category": "entity"}):
        conforms(
            "GET",
            "/parties/{id}/favorites",
            await http.get(f"/parties/{own}/favorites", headers=admin, params=params),
        )
    conforms(
        "GET", "/parties/{id}/users/settings", await http.get(f"/parties/{own}/users/settings", headers=admin)
    )
    settings = {
        "id": own,
        "settings": [{"key": "welcome_template_id", "val": str(uuid.uuid4())}],
        "application_state": {"some_state": [1, "two", None]},
    }
    conforms(
        "PATCH",
        "/parties/{id}/users/settings",
        await http.patch(f"/parties/{own}/users/settings", headers=admin, json={"data": settings}),
    )
    conforms(
        "PATCH",
        "/parties/{id}/users/settings",
        await http.patch(f"/parties/{own}/users/settings", headers=admin, json={"id": own, "settings": []}),
    )
    me = conforms("GET", "/users/me", await http.get("/users/me", headers=admin))
    assert me["data"]["settings"] == []

    # Deletes answer 204 with nothing.
    conforms("DELETE", "/skillsets/{id}", await http.delete(f"/skillsets/{skillset_id}", headers=admin))
    conforms("DELETE", "/parties/{id}", await http.delete(f"/parties/{party_id}", headers=admin))
    gone = conforms("GET", "/parties", await http.get("/parties", headers=admin, params={"ids[]": party_id}))
    assert gone["data"][0]["deleted_at"] is not None
    named = conforms(
        "GET", "/skillsets", await http.get("/skillsets", headers=admin, params={"ids[]": skillset_id})
    )
    assert named["data"][0]["deleted_at"] is not None

    every = {(method.upper(), path) for path, item in conforms.document["paths"].items() for method in item}
    assert {(method, path) for method, path, status in conforms.seen if status < 300} == every


async def test_errors_are_declared_with_their_codes(
    identity: Identity, account: Account, conforms: Conformance
) -> None:
    http = identity.http
    admin = await signed_in(identity, account)
    nobody = holder_of(identity, account)
    colleague = await another_party(identity, account)
    unknown = str(uuid.uuid4())
    calls: list[tuple[str, str, str, dict[str, Any]]] = [
        # (method, documented path, real path, request arguments)
        ("GET", "/parties", "/parties", {"params": {"sort": "height"}}),
        ("GET", "/parties", "/parties", {"params": {"type_id": "nope"}}),
        ("GET", "/parties", "/parties", {"headers": nobody}),
        ("GET", "/parties/{id}", f"/parties/{unknown}", {}),
        ("GET", "/parties/{id}", "/parties/not-a-uuid", {}),
        ("GET", "/parties/{id}", f"/parties/{colleague}", {"params": {"include[]": "stats"}}),
        ("POST", "/parties", "/parties", {"json": party_body(type_id=unknown)}),
        ("POST", "/parties", "/parties", {"json": party_body(job_title_id=unknown)}),
        ("POST", "/parties", "/parties", {"json": party_body(profile=[{"key": "shoe", "val": "9"}])}),
        ("POST", "/parties", "/parties", {"json": party_body(phone="+1")}),
        ("POST", "/parties", "/parties", {"content": b"{", "headers": {"content-type": "application/json"}}),
        ("POST", "/parties", "/parties", {"content": b"{}", "headers": {"content-type": "text/plain"}}),
        ("PUT", "/parties/{id}", f"/parties/{unknown}", {"json": party_body()}),
        ("PATCH", "/parties", "/parties", {"json": {"data": []}}),
        ("DELETE", "/parties/{id}", f"/parties/{unknown}", {}),
        ("DELETE", "/parties/{id}", f"/parties/{colleague}", {"headers": nobody}),
        ("GET", "/parties/~/users", "/parties/~/users", {"params": {"per_page": "0"}}),
        ("PATCH", "/parties/~/users", "/parties/~/users", {"json": {"data": []}}),
        ("GET", "/parties/{id}/users", f"/parties/{unknown}/users", {}),
        ("PUT", "/parties/{id}/users", f"/parties/{unknown}/users", {"json": user_body()}),
        (
            "PUT",
            "/parties/{id}/users",
            f"/parties/{colleague}/users",
            {"json": user_body(identities=[{"type": "phone", "value": "1"}])},
        ),
        (
            "PUT",
            "/parties/{id}/users",
            f"/parties/{colleague}/users",
            {"json": user_body(identities=[{"type": "email", "value": account.email}])},
        ),
        ("GET", "/parties/~/skillsets", "/parties/~/skillsets", {}),
        (
            "PUT",
            "/parties/~/skillsets",
            "/parties/~/skillsets",
            {"json": {"data": [{"party_id": unknown, "skillset_id": unknown}]}},
        ),
        (
            "PUT",
            "/parties/~/skillsets",
            "/parties/~/skillsets",
            {"json": {"data": [{"party_id": str(colleague), "skillset_id": unknown}]}},
        ),
        ("GET", "/skillsets", "/skillsets", {"params": {"ids[]": "x"}}),
        ("GET", "/skillsets/{id}", f"/skillsets/{unknown}", {}),
        ("POST", "/skillsets", "/skillsets", {"json": {"name": "a", "description": "", "type_id": unknown}}),
        (
            "POST",
            "/skillsets",
            "/skillsets",
            {"json": {"name": "a", "description": "", "category_id": unknown}},
        ),
        ("PUT", "/skillsets/{id}", f"/skillsets/{unknown}", {"json": {"name": "a", "description": ""}}),
        ("DELETE", "/skillsets/{id}", f"/skillsets/{unknown}", {}),
        ("GET", "/parties/{id}/favorites", f"/parties/{colleague}/favorites", {}),
        ("GET", "/parties/{id}/favorites", f"/parties/{unknown}/favorites", {}),
        (
            "GET",
            "/parties/{id}/favorites",
            f"/parties/{account.party_id}/favorites",
            {"params": {"type": "x"}},
        ),
        (
            "PATCH",
            "/parties/{id}/favorites",
            f"/parties/{account.party_id}/favorites",
            {
                "json": {
                    "data": [
                        {"party_id": str(colleague), "item_id": unknown, "category": "entity", "type": "pin"}
                    ]
                }
            },
        ),
        ("GET", "/parties/{id}/users/settings", f"/parties/{colleague}/users/settings", {}),
        (
            "PATCH",
            "/parties/{id}/users/settings",
            f"/parties/{account.party_id}/users/settings",
            {"json": {"id": str(account.party_id), "settings": [{"key": "colour", "val": "red"}]}},
        ),
        (
            "PATCH",
            "/parties/{id}/users/settings",
            f"/parties/{account.party_id}/users/settings",
            {"json": {"id": unknown, "settings": []}},
        ),
        ("GET", "/users/me", "/users/me", {"headers": nobody}),  # a token whose session never was
        ("GET", "/users/me", "/users/me", {"headers": {"X-Client-Key": account.client_key}}),
        (
            "GET",
            "/jobtitles",
            "/jobtitles",
            {"headers": {"X-Client-Key": account.client_key, "Authorization": "x"}},
        ),
    ]
    for method, documented_path, real_path, arguments in calls:
        arguments = {**arguments, "headers": arguments.get("headers", admin)}
        response = await http.request(method, real_path, **arguments)
        assert response.status_code >= 400, f"{method} {real_path}: {response.status_code}"
        body = conforms(method, documented_path, response)
        assert body["errors"][0]["code"] in _codes(
            conforms.document, method, documented_path, response.status_code
        )


def _codes(document: dict[str, Any], method: str, path: str, status: int) -> list[str]:
    answer = document["paths"][path][method.lower()]["responses"][str(status)]
    schema = answer["content"]["application/json"]["schema"]
    codes: list[str] = schema["properties"]["errors"]["items"]["properties"]["code"]["enum"]
    return codes


async def test_the_collection_is_no_party_and_empty_filters_are_none(
    identity: Identity, account: Account, conforms: Conformance
) -> None:
    admin = await signed_in(identity, account)
    put = await identity.http.put("/parties/~/users", headers=admin, json=user_body())
    assert put.status_code == 405
    assert put.headers["allow"] == "GET, HEAD, PATCH"
    for path, params in (
        ("/parties", {"type_id": "", "group_id": "", "skillset_id": ""}),
        ("/parties/{id}/favorites", {"type": "", "category": ""}),
    ):
        real = path.replace("{id}", str(account.party_id))
        response = await identity.http.get(real, headers=admin, params=params)
        assert response.status_code == 200, response.text
        conforms("GET", path, response)


async def test_a_member_sees_permissions_on_users(
    identity: Identity, account: Account, conforms: Conformance
) -> None:
    someone = await member(identity, account)
    headers = holder_of(identity, account, "users.view")
    listed = conforms("GET", "/parties/~/users", await identity.http.get("/parties/~/users", headers=headers))
    assert all(row["__permissions__"] == ["users.view"] for row in listed["data"])
    one = await identity.http.get(f"/parties/{someone.party_id}/users", headers=headers)
    assert conforms("GET", "/parties/{id}/users", one)["data"]["identities"]
