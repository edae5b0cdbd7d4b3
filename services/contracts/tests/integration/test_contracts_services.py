"""Services over HTTP against real PostgreSQL (seed 004 "Services"): the type and category
catalogues every tenant is given, create / get / replace / delete with the documented codes,
tenancy (another tenant's ids are not found), the events each change records, and
``missing_services`` as contracts' own writes call it."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from contracts_harness import Contracts, Tenant, assert_error, provisioned_tenant, recorded_events

from contracts.domain.service_catalogues import catalogue_id
from contracts.repositories.services import missing_services


def type_id(tenant: Tenant, key: str) -> str:
    return str(catalogue_id(tenant.id, "service-type", key))


def category_id(tenant: Tenant, key: str) -> str:
    return str(catalogue_id(tenant.id, "service-category", key))


def service_body(name: str = "Catering", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "description": f"{name} description",
        "email": "service@example.com",
        "phone": "+17789891122",
        "type_id": None,
        "category_id": None,
        "suspended_at": None,
    }
    body.update(overrides)
    return body


async def create_service(
    service: Contracts, tenant: Tenant, name: str = "Catering", **overrides: Any
) -> dict[str, Any]:
    response = await service.http.post(
        "/services", headers=tenant.admin, json=service_body(name, **overrides)
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()["data"]
    return created


async def test_every_tenant_is_given_its_own_type_and_category_catalogues(
    service: Contracts, tenant: Tenant
) -> None:
    types = await service.http.get("/services/~/types", headers=tenant.member)
    assert types.status_code == 200, types.text
    assert "pagination" not in types.json()
    by_name = {item["name"]: item for item in types.json()["data"]}
    assert list(by_name) == sorted(by_name)
    assert set(by_name) == {"Catering", "Cleaning", "Inspection", "Maintenance", "Security"}
    assert by_name["Cleaning"]["id"] == type_id(tenant, "cleaning")
    assert set(by_name["Cleaning"]) == {"id", "name", "created_at"}
    categories = await service.http.get("/services/~/categories", headers=tenant.member)
    assert categories.status_code == 200, categories.text
    names = [item["name"] for item in categories.json()["data"]]
    assert names == ["Facilities", "Hospitality", "Safety and Compliance", "Technical"]

    other = await provisioned_tenant(service)
    theirs = (await service.http.get("/services/~/types", headers=other.member)).json()["data"]
    assert {item["id"] for item in theirs}.isdisjoint(by_name[name]["id"] for name in by_name)
    # Provisioning again (a redelivered identity.tenant.created) adds nothing.
    from contracts.services.tenant_provisioning import provision_tenant

    async with service.wired.unit_of_work() as uow:
        await provision_tenant(uow.session, tenant.id)
        await uow.commit()
    again = (await service.http.get("/services/~/types", headers=tenant.member)).json()["data"]
    assert len(again) == len(by_name)


async def test_catalogues_and_services_need_their_permissions(service: Contracts, tenant: Tenant) -> None:
    nobody = service.headers(tenant.id, permissions=("contracts.view",))
    viewer = service.headers(tenant.id, permissions=("services.view",))
    for path in ("/services/~/types", "/services/~/categories", "/services"):
        assert_error(await service.http.get(path, headers=nobody), "ePermissionDenied", 403)
    assert (await service.http.get("/services", headers=viewer)).status_code == 200
    made = await create_service(service, tenant)
    denied = await service.http.post("/services", headers=viewer, json=service_body())
    assert_error(denied, "ePermissionDenied", 403)
    denied = await service.http.put(f"/services/{made['id']}", headers=viewer, json=service_body())
    assert_error(denied, "ePermissionDenied", 403)
    assert_error(
        await service.http.delete(f"/services/{made['id']}", headers=viewer), "ePermissionDenied", 403
    )
    anonymous = await service.http.get("/services")
    assert anonymous.status_code == 401, anonymous.text


async def test_create_get_replace_delete_and_their_events(service: Contracts, tenant: Tenant) -> None:
    body = service_body(
        "Floor Cleaning",
        type_id=type_id(tenant, "cleaning"),
        category_id=category_id(tenant, "facilities"),
        suspended_at="2023-01-01T12:45:00.000Z",
    )
    made = await service.http.post("/services", headers=tenant.member, json=body)
    assert made.status_code == 201, made.text
    created = made.json()["data"]
    assert {k: created[k] for k in ("name", "description", "email", "phone", "type_id", "category_id")} == {
        "name": "Floor Cleaning",
        "description": "Floor Cleaning description",
        "email": "service@example.com",
        "phone": "+17789891122",
        "type_id": type_id(tenant, "cleaning"),
        "category_id": category_id(tenant, "facilities"),
    }
    # A non-null suspended_at is overridden with the server's time.
    assert created["suspended_at"] is not None
    assert not created["suspended_at"].startswith("2023")
    assert created["deleted_at"] is None
    assert created["__permissions__"] == [
        "services.create",
        "services.delete",
        "services.update",
        "services.view",
    ]

    got = await service.http.get(f"/services/{created['id']}", headers=tenant.admin)
    assert got.status_code == 200, got.text
    assert "__permissions__" not in got.json()["data"]  # a system administrator bypasses them
    assert {k: v for k, v in got.json()["data"].items()} == {
        k: v for k, v in created.items() if k != "__permissions__"
    }

    replaced = await service.http.put(
        f"/services/{created['id']}",
        headers=tenant.admin,
        json={**service_body("Deep Cleaning"), "id": str(uuid.uuid4()), "email": None, "phone": None},
    )
    assert replaced.status_code == 200, replaced.text
    shown = replaced.json()["data"]
    assert shown["id"] == created["id"]  # the id comes from the URL only
    assert (shown["name"], shown["email"], shown["phone"], shown["type_id"], shown["suspended_at"]) == (
        "Deep Cleaning",
        None,
        None,
        None,
        None,
    )
    assert shown["updated_at"] is not None
    same = await service.http.put(
        f"/services/{created['id']}",
        headers=tenant.admin,
        json=service_body("Deep Cleaning", email=None, phone=None),
    )
    assert same.status_code == 200, same.text

    assert (await service.http.delete(f"/services/{created['id']}", headers=tenant.admin)).status_code == 204
    assert (await service.http.delete(f"/services/{created['id']}", headers=tenant.admin)).status_code == 204
    gone = await service.http.get(f"/services/{created['id']}", headers=tenant.admin)
    assert gone.status_code == 200
    assert gone.json()["data"]["deleted_at"] is not None
    assert_error(
        await service.http.put(f"/services/{created['id']}", headers=tenant.admin, json=service_body()),
        "eServiceNotFound",
    )

    events = await recorded_events(service, created["id"])
    # The PUT that changed nothing and the second delete recorded nothing.
    assert [(e["type"], e["version"]) for e in events] == [
        ("contracts.service.created", 1),
        ("contracts.service.updated", 2),
        ("contracts.service.deleted", 3),
    ]
    assert all(e["tenant_id"] == str(tenant.id) and e["aggregate_id"] == created["id"] for e in events)
    assert events[0]["data"] == {
        "contract": 1,
        "id": created["id"],
        "name": "Floor Cleaning",
        "type": "cleaning",
        "type_id": type_id(tenant, "cleaning"),
        "category_id": category_id(tenant, "facilities"),
        "suspended_at": events[0]["data"]["suspended_at"],
        "deleted_at": None,
    }
    assert events[0]["data"]["suspended_at"] is not None
    assert events[1]["data"]["type"] is None
    assert events[1]["data"]["suspended_at"] is None
    assert events[2]["data"]["deleted_at"] is not None


async def test_unknown_and_foreign_catalogue_ids_are_refused(service: Contracts, tenant: Tenant) -> None:
    other = await provisioned_tenant(service)
    made = await create_service(service, tenant)
    cases = [
        ({"type_id": str(uuid.uuid4())}, "eServiceTypeNotFound"),
        ({"type_id": type_id(other, "cleaning")}, "eServiceTypeNotFound"),
        ({"category_id": str(uuid.uuid4())}, "eServiceCategoryNotFound"),
        ({"category_id": category_id(other, "facilities")}, "eServiceCategoryNotFound"),
        # A type's id given as a category is not a category.
        ({"category_id": type_id(tenant, "cleaning")}, "eServiceCategoryNotFound"),
    ]
    for overrides, code in cases:
        body = service_body("Refused", **overrides)
        assert_error(await service.http.post("/services", headers=tenant.admin, json=body), code)
        assert_error(await service.http.put(f"/services/{made['id']}", headers=tenant.admin, json=body), code)
    listed = await service.http.get("/services", headers=tenant.admin)
    assert [item["name"] for item in listed.json()["data"]] == ["Catering"]
    assert [e["type"] for e in await recorded_events(service, made["id"])] == ["contracts.service.created"]


async def test_invalid_bodies_are_validation_errors(service: Contracts, tenant: Tenant) -> None:
    bodies = [
        {k: v for k, v in service_body().items() if k != "name"},
        {k: v for k, v in service_body().items() if k != "description"},
        service_body(name=""),
        service_body(name="x" * 151),
        service_body(description="x" * 5001),
        service_body(description=None),
        service_body(email="not an email"),
        service_body(email="someone@nowhere"),
        service_body(phone="7789891122"),
        service_body(phone="+0123"),
        service_body(type_id="not-a-uuid"),
        service_body(suspended_at="yesterday"),
    ]
    for body in bodies:
        response = await service.http.post("/services", headers=tenant.admin, json=body)
        assert_error(response, "eValidationError")
    not_json = await service.http.post(
        "/services", headers={**tenant.admin, "Content-Type": "application/json"}, content=b"{"
    )
    assert not_json.status_code == 400, not_json.text
    assert (await service.http.get("/services", headers=tenant.admin)).json()["data"] == []
    longest = await service.http.post(
        "/services", headers=tenant.admin, json=service_body("x" * 150, description="y" * 5000)
    )
    assert longest.status_code == 201, longest.text


async def test_another_tenants_service_is_not_found(service: Contracts, tenant: Tenant) -> None:
    other = await provisioned_tenant(service)
    theirs = await create_service(service, other, "Theirs")
    target = f"/services/{theirs['id']}"
    assert_error(await service.http.get(target, headers=tenant.admin), "eServiceNotFound")
    assert_error(
        await service.http.put(target, headers=tenant.admin, json=service_body()), "eServiceNotFound"
    )
    assert_error(await service.http.delete(target, headers=tenant.admin), "eServiceNotFound")
    for malformed in ("not-a-uuid", str(uuid.uuid4())):
        assert_error(
            await service.http.get(f"/services/{malformed}", headers=tenant.admin), "eServiceNotFound"
        )
    named = await service.http.get("/services", headers=tenant.admin, params={"ids[]": theirs["id"]})
    assert named.json()["data"] == []
    still = await service.http.get(target, headers=other.admin)
    assert still.status_code == 200
    assert still.json()["data"]["deleted_at"] is None


async def test_missing_services_names_what_cannot_be_linked(service: Contracts, tenant: Tenant) -> None:
    other = await provisioned_tenant(service)
    live = await create_service(service, tenant, "Live")
    suspended = await create_service(service, tenant, "Suspended", suspended_at="2024-01-01T00:00:00Z")
    deleted = await create_service(service, tenant, "Deleted")
    await service.http.delete(f"/services/{deleted['id']}", headers=tenant.admin)
    theirs = await create_service(service, other, "Theirs")
    unknown = uuid.uuid4()
    asked = {uuid.UUID(s["id"]) for s in (live, suspended, deleted, theirs)} | {unknown}
    async with service.wired.reading() as session:
        missing = await missing_services(session, tenant.id, asked)
        assert await missing_services(session, tenant.id, set()) == set()
    assert missing == {uuid.UUID(deleted["id"]), uuid.UUID(theirs["id"]), unknown}


def names(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["data"]]


async def test_list_filters_and_sorts(service: Contracts, tenant: Tenant) -> None:
    await create_service(
        service,
        tenant,
        "Window Cleaning",
        description="b windows",
        type_id=type_id(tenant, "cleaning"),
        category_id=category_id(tenant, "technical"),
    )
    await create_service(
        service,
        tenant,
        "catering",
        description="A lunches",
        type_id=type_id(tenant, "catering"),
        category_id=category_id(tenant, "hospitality"),
    )
    await create_service(service, tenant, "Boiler Maintenance", description="c boilers")
    gone = await create_service(service, tenant, "Carpet Cleaning", type_id=type_id(tenant, "cleaning"))
    await service.http.delete(f"/services/{gone['id']}", headers=tenant.admin)
    get = service.http.get
    h = tenant.member

    listed = await get("/services", headers=h)
    assert names(listed) == ["Boiler Maintenance", "catering", "Window Cleaning"]
    assert listed.headers["X-Total-Count"] == "3"
    body = listed.json()
    assert body["sort"] == [{"field": "name", "dir": "asc"}]
    assert body["pagination"]["page"] == 0
    assert body["pagination"]["per_page"] == 20
    assert names(await get("/services", headers=h, params={"sort": "-name"})) == [
        "Window Cleaning",
        "catering",
        "Boiler Maintenance",
    ]
    assert names(await get("/services", headers=h, params={"sort": "description"})) == [
        "catering",
        "Window Cleaning",
        "Boiler Maintenance",
    ]
    # By the type's / category's name; a service without one comes last.
    assert names(await get("/services", headers=h, params={"sort": "type"})) == [
        "catering",
        "Window Cleaning",
        "Boiler Maintenance",
    ]
    assert names(await get("/services", headers=h, params={"sort": "-category"})) == [
        "Boiler Maintenance",
        "Window Cleaning",
        "catering",
    ]
    assert names(await get("/services", headers=h, params={"sort": "-created"})) == [
        "Boiler Maintenance",
        "catering",
        "Window Cleaning",
    ]
    assert names(await get("/services", headers=h, params={"sort": "updated"})) == [
        "Window Cleaning",
        "catering",
        "Boiler Maintenance",
    ]
    assert names(await get("/services", headers=h, params={"keywords": "clean"})) == ["Window Cleaning"]
    assert names(await get("/services", headers=h, params={"keywords": "win clea"})) == ["Window Cleaning"]
    assert names(await get("/services", headers=h, params={"keywords": "leaning"})) == []
    by_type = {"type_id": type_id(tenant, "cleaning")}
    assert names(await get("/services", headers=h, params=by_type)) == ["Window Cleaning"]
    assert names(await get("/services", headers=h, params={"type_id": ""})) == names(listed)
    # A deleted service is listed only when named.
    named = await get("/services", headers=h, params={"ids[]": gone["id"]})
    assert names(named) == ["Carpet Cleaning"]
    assert named.json()["data"][0]["deleted_at"] is not None

    for params in ({"sort": "colour"}, {"type_id": "nope"}, {"ids[]": "nope"}, {"per_page": "0"}):
        assert_error(await get("/services", headers=h, params=params), "eValidationError")


async def test_pages_links_and_the_cursor(service: Contracts, tenant: Tenant) -> None:
    for n in range(5):
        await create_service(service, tenant, f"Service {n}")
    first = await service.http.get("/services", headers=tenant.admin, params={"per_page": "2"})
    assert names(first) == ["Service 0", "Service 1"]
    assert first.headers["X-Total-Count"] == "5"
    assert 'rel="next"' in first.headers["Link"]
    pagination = first.json()["pagination"]
    assert pagination["total"] == 5
    assert pagination["next_cursor"]
    second = await service.http.get(
        "/services", headers=tenant.admin, params={"per_page": "2", "cursor": pagination["next_cursor"]}
    )
    assert names(second) == ["Service 2", "Service 3"]
    third = await service.http.get("/services", headers=tenant.admin, params={"per_page": "2", "page": "2"})
    assert names(third) == ["Service 4"]
    assert third.json()["pagination"]["next_cursor"] is None
    # A cursor made for another sort is refused, not misread.
    other_sort = await service.http.get(
        "/services",
        headers=tenant.admin,
        params={"per_page": "2", "sort": "-name", "cursor": pagination["next_cursor"]},
    )
    assert_error(other_sort, "eValidationError")
    too_deep = await service.http.get(
        "/services", headers=tenant.admin, params={"per_page": "100", "page": "11"}
    )
    assert_error(too_deep, "eValidationError")


async def test_the_document_shows_every_service_operation_with_its_codes(service: Contracts) -> None:
    response = await service.http.get("/openapi.json")
    assert response.status_code == 200, response.text
    paths = response.json()["paths"]
    every = {"eValidationError", "eServiceNotFound", "eServiceTypeNotFound", "eServiceCategoryNotFound"}

    def codes(path: str, method: str) -> set[str]:
        answers = paths[path][method]["responses"]
        found = set()
        for answer in answers.values():
            schema = str(answer.get("content", {}))
            found |= {code for code in every if code in schema}
        return found

    assert set(paths["/services"]) == {"get", "post", "patch"}
    assert set(paths["/services/{id}"]) == {"get", "put", "delete"}
    assert set(paths["/services/~/types"]) == {"get"}
    assert set(paths["/services/~/categories"]) == {"get"}
    assert codes("/services", "post") == {
        "eValidationError",
        "eServiceTypeNotFound",
        "eServiceCategoryNotFound",
    }
    assert codes("/services/{id}", "put") == every
    assert "eServiceNotFound" in codes("/services/{id}", "get")
    assert "eServiceNotFound" in codes("/services/{id}", "delete")
    sorts = {p["name"]: p for p in paths["/services"]["get"]["parameters"]}
    assert {"ids[]", "keywords", "type_id", "sort", "page", "per_page", "cursor"} <= set(sorts)
