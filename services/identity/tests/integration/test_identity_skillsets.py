"""``/skillsets``: list, get, create, replace, delete, with every documented error."""

from __future__ import annotations

import uuid
from typing import Any

from identity.repositories.catalogue_tables import SkillSetCategory, SkillSetType
from tests.conftest import Account, Identity, holder_of, new_account, signed_in
from tests.integration.catalogues import code_of, events


def body(**changes: Any) -> dict[str, Any]:
    return {"name": f"Fire Extinguisher {uuid.uuid4().hex[:6]}", "description": "Lorem ipsum"} | changes


async def create(identity: Identity, headers: dict[str, str], **changes: Any) -> dict[str, Any]:
    response = await identity.http.post("/skillsets", headers=headers, json=body(**changes))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()["data"]
    return created


async def test_create_get_replace_delete(identity: Identity, account: Account) -> None:
    headers = await signed_in(identity, account)
    created = await create(identity, headers, suspended_at="2001-01-01T00:00:00Z")
    assert created["description"] == "Lorem ipsum"
    # The server's clock decides when a suspension starts, whatever the client sent.
    assert not created["suspended_at"].startswith("2001")
    assert "__permissions__" not in created  # a system admin bypasses permission checks

    got = await identity.http.get(f"/skillsets/{created['id']}", headers=headers)
    assert got.status_code == 200
    assert got.json()["data"]["name"] == created["name"]

    replaced = await identity.http.put(
        f"/skillsets/{created['id']}", headers=headers, json=body(name="Snow Safety", suspended_at=None)
    )
    assert replaced.status_code == 200
    assert replaced.json()["data"]["name"] == "Snow Safety"
    assert replaced.json()["data"]["suspended_at"] is None

    deleted = await identity.http.delete(f"/skillsets/{created['id']}", headers=headers)
    assert deleted.status_code == 204
    again = await identity.http.get(f"/skillsets/{created['id']}", headers=headers)
    assert again.status_code == 400
    assert code_of(again) == "eSkillSetNotFound"
    kinds = [e["type"] for e in await events(identity, "identity.skillset.", created["id"])]
    assert kinds == ["identity.skillset.created", "identity.skillset.updated", "identity.skillset.deleted"]


async def test_list_filters_sorts_pages_and_hides_deleted(identity: Identity, account: Account) -> None:
    headers = await signed_in(identity, account)
    tag = uuid.uuid4().hex[:8]
    made = [await create(identity, headers, name=f"{tag} {letter}") for letter in "abc"]
    await identity.http.delete(f"/skillsets/{made[2]['id']}", headers=headers)

    listed = await identity.http.get("/skillsets", headers=headers, params={"keywords": tag, "sort": "-name"})
    assert listed.status_code == 200
    payload = listed.json()
    assert [s["name"] for s in payload["data"]] == [f"{tag} b", f"{tag} a"]
    assert payload["pagination"] == {"page": 0, "per_page": 20, "total": 2}
    assert payload["sort"] == [{"field": "name", "dir": "desc"}]

    paged = await identity.http.get(
        "/skillsets", headers=headers, params={"keywords": tag, "per_page": 1, "page": 1}
    )
    assert [s["name"] for s in paged.json()["data"]] == [f"{tag} b"]
    assert paged.headers["x-total-count"] == "2"

    named = await identity.http.get("/skillsets", headers=headers, params={"ids[]": [made[2]["id"]]})
    assert [s["id"] for s in named.json()["data"]] == [made[2]["id"]]
    assert named.json()["data"][0]["deleted_at"] is not None

    for sort in ("description", "total_parties", "-total_expired", "created", "-updated"):
        response = await identity.http.get(
            "/skillsets", headers=headers, params={"keywords": tag, "sort": sort}
        )
        assert response.status_code == 200, sort
    bad = await identity.http.get("/skillsets", headers=headers, params={"sort": "colour"})
    assert bad.status_code == 400
    assert code_of(bad) == "eValidationError"


async def test_invalid_bodies_are_validation_errors(identity: Identity, account: Account) -> None:
    headers = await signed_in(identity, account)
    for wrong in (
        {"description": "no name"},
        body(name=""),
        body(name="x" * 151),
        body(description="x" * 5001),
        body(description=None),
        body(suspended_at="yesterday"),
        body(type_id="not-a-uuid"),
    ):
        response = await identity.http.post("/skillsets", headers=headers, json=wrong)
        assert response.status_code == 400, wrong
        assert code_of(response) == "eValidationError"
    assert (
        await identity.http.post("/skillsets", headers=headers, json=body(name="x" * 150))
    ).status_code == 201
    malformed = await identity.http.post(
        "/skillsets", headers={**headers, "Content-Type": "application/json"}, content=b"{"
    )
    assert malformed.status_code == 400
    existing = await create(identity, headers)
    response = await identity.http.put(f"/skillsets/{existing['id']}", headers=headers, json={"name": 1})
    assert code_of(response) == "eValidationError"


async def test_type_and_category_must_exist_in_the_tenant(identity: Identity, account: Account) -> None:
    headers = await signed_in(identity, account)
    other = await new_account(identity.wired, system_admin=True)
    async with identity.wired.unit_of_work() as uow:
        kind = SkillSetType(tenant_id=account.tenant_id, name="Safety")
        category = SkillSetCategory(tenant_id=account.tenant_id, name="Outdoor")
        foreign_kind = SkillSetType(tenant_id=other.tenant_id, name="Theirs")
        foreign_category = SkillSetCategory(tenant_id=other.tenant_id, name="Theirs")
        uow.session.add_all([kind, category, foreign_kind, foreign_category])
        await uow.commit()

    ok = await create(identity, headers, type_id=str(kind.id), category_id=str(category.id))
    assert (ok["type_id"], ok["category_id"]) == (str(kind.id), str(category.id))
    cases = {
        "eSkillSetTypeNotFound": [{"type_id": str(uuid.uuid4())}, {"type_id": str(foreign_kind.id)}],
        "eSkillSetCategoryNotFound": [
            {"category_id": str(uuid.uuid4())},
            {"category_id": str(foreign_category.id)},
        ],
    }
    for code, changes in cases.items():
        for change in changes:
            response = await identity.http.post("/skillsets", headers=headers, json=body(**change))
            assert response.status_code == 400
            assert code_of(response) == code
            response = await identity.http.put(f"/skillsets/{ok['id']}", headers=headers, json=body(**change))
            assert code_of(response) == code


async def test_unknown_malformed_and_foreign_ids_are_not_found(identity: Identity, account: Account) -> None:
    headers = await signed_in(identity, account)
    other = await new_account(identity.wired, system_admin=True)
    theirs = await create(identity, await signed_in(identity, other))
    for skillset_id in (str(uuid.uuid4()), "not-a-uuid", theirs["id"]):
        for method in ("GET", "PUT", "DELETE"):
            response = await identity.http.request(
                method, f"/skillsets/{skillset_id}", headers=headers, json=body() if method == "PUT" else None
            )
            assert response.status_code == 400, (method, skillset_id)
            assert code_of(response) == "eSkillSetNotFound"
    named = await identity.http.get("/skillsets", headers=headers, params={"ids[]": theirs["id"]})
    assert named.json()["data"] == []
    # Still there, unchanged, for its own tenant.
    mine = await identity.http.get(f"/skillsets/{theirs['id']}", headers=await signed_in(identity, other))
    assert mine.json()["data"]["name"] == theirs["name"]


async def test_permissions(identity: Identity, account: Account) -> None:
    existing = await create(identity, await signed_in(identity, account))
    nobody = holder_of(identity, account)
    for method, path in (
        ("GET", "/skillsets"),
        ("GET", f"/skillsets/{existing['id']}"),
        ("POST", "/skillsets"),
        ("PUT", f"/skillsets/{existing['id']}"),
        ("DELETE", f"/skillsets/{existing['id']}"),
    ):
        response = await identity.http.request(
            method, path, headers=nobody, json=body() if method in ("POST", "PUT") else None
        )
        assert response.status_code == 403, (method, path)
        assert code_of(response) == "ePermissionDenied"
    viewer = holder_of(identity, account, "skillsets.view", "assets.view")
    got = await identity.http.get(f"/skillsets/{existing['id']}", headers=viewer)
    assert got.status_code == 200
    assert got.json()["data"]["__permissions__"] == ["skillsets.view"]
    assert (await identity.http.post("/skillsets", headers=viewer, json=body())).status_code == 403
    assert (await identity.http.get("/skillsets")).status_code == 401
