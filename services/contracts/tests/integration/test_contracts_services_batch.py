"""``PATCH /services`` (seed 004 "BATCH UPDATE" of services): suspend, reactivate, delete and
restore, each row on its own: a failing row (malformed, unknown, another tenant's, deleted and
not restored, deleting without ``services.delete``) leaves nothing of itself and the other rows
still apply."""

from __future__ import annotations

import uuid
from typing import Any

from contracts_harness import Contracts, Tenant, assert_error, provisioned_tenant, recorded_events
from test_contracts_services import create_service


async def patch(service: Contracts, headers: dict[str, str], rows: list[Any]) -> dict[str, Any]:
    response = await service.http.patch("/services", headers=headers, json={"data": rows})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def shown(service: Contracts, tenant: Tenant, service_id: str) -> dict[str, Any]:
    response = await service.http.get(f"/services/{service_id}", headers=tenant.admin)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()["data"]
    return found


async def test_suspend_reactivate_delete_and_restore(service: Contracts, tenant: Tenant) -> None:
    a, b, c = [await create_service(service, tenant, name) for name in ("A", "B", "C")]
    body = await patch(
        service,
        tenant.member,
        [
            {"id": a["id"], "suspended_at": "2023-01-01T12:35:00.000Z"},
            {"id": b["id"], "deleted_at": "2023-01-01T12:35:00.000Z"},
            {
                "id": c["id"],
                "suspended_at": "2023-01-01T12:35:00.000Z",
                "deleted_at": "2023-01-01T12:35:00.000Z",
            },
        ],
    )
    assert body["errors"] == []
    assert [row["id"] for row in body["data"]] == [a["id"], b["id"], c["id"]]
    # The dates are the server's.
    assert not body["data"][0]["suspended_at"].startswith("2023")
    assert not body["data"][1]["deleted_at"].startswith("2023")
    assert (await shown(service, tenant, a["id"]))["suspended_at"] is not None
    assert (await shown(service, tenant, b["id"]))["deleted_at"] is not None
    listed = await service.http.get("/services", headers=tenant.admin)
    assert [item["name"] for item in listed.json()["data"]] == ["A"]

    body = await patch(
        service,
        tenant.member,
        [
            {"id": a["id"], "suspended_at": None},
            {"id": c["id"], "suspended_at": None, "deleted_at": None},
        ],
    )
    assert body["errors"] == []
    restored = await shown(service, tenant, c["id"])
    assert (restored["suspended_at"], restored["deleted_at"]) == (None, None)
    assert (await shown(service, tenant, a["id"]))["suspended_at"] is None

    # A row that changes nothing records nothing.
    assert (await patch(service, tenant.member, [{"id": a["id"], "suspended_at": None}]))["errors"] == []
    assert [(e["type"], e["version"]) for e in await recorded_events(service, a["id"])] == [
        ("contracts.service.created", 1),
        ("contracts.service.updated", 2),
        ("contracts.service.updated", 3),
    ]
    events = await recorded_events(service, c["id"])
    assert [(e["type"], e["version"]) for e in events] == [
        ("contracts.service.created", 1),
        ("contracts.service.deleted", 2),
        ("contracts.service.updated", 3),
    ]
    assert events[1]["data"]["deleted_at"] is not None
    assert events[1]["data"]["suspended_at"] is not None
    assert events[2]["data"]["deleted_at"] is None


async def test_each_row_fails_on_its_own(service: Contracts, tenant: Tenant) -> None:
    other = await provisioned_tenant(service)
    theirs = await create_service(service, other, "Theirs")
    deleted = await create_service(service, tenant, "Deleted")
    await service.http.delete(f"/services/{deleted['id']}", headers=tenant.admin)
    ok = await create_service(service, tenant, "Ok")
    unknown = str(uuid.uuid4())
    body = await patch(
        service,
        tenant.admin,
        [
            {"id": unknown, "suspended_at": "2024-01-01T00:00:00Z"},
            {"id": theirs["id"], "deleted_at": "2024-01-01T00:00:00Z"},
            {"id": "not-a-uuid", "suspended_at": None},
            {"suspended_at": None},
            {"id": ok["id"], "colour": "red"},
            {"id": ok["id"], "suspended_at": "whenever"},
            {"id": deleted["id"], "suspended_at": "2024-01-01T00:00:00Z"},
            "not an object",
            {"id": ok["id"], "suspended_at": "2024-01-01T00:00:00Z"},
        ],
    )
    assert [(e["id"], e["code"]) for e in body["errors"]] == [
        (unknown, "eServiceNotFound"),
        (theirs["id"], "eServiceNotFound"),
        ("not-a-uuid", "eValidationError"),
        (None, "eValidationError"),
        (ok["id"], "eValidationError"),
        (ok["id"], "eValidationError"),
        (deleted["id"], "eServiceNotFound"),
        (None, "eValidationError"),
    ]
    assert all(e["msg"] for e in body["errors"])
    assert [row["id"] for row in body["data"]] == [ok["id"]]
    assert (await shown(service, tenant, ok["id"]))["suspended_at"] is not None
    untouched = (await service.http.get(f"/services/{theirs['id']}", headers=other.admin)).json()["data"]
    assert untouched["deleted_at"] is None
    gone = await shown(service, tenant, deleted["id"])
    assert gone["suspended_at"] is None
    assert [e["type"] for e in await recorded_events(service, theirs["id"])] == ["contracts.service.created"]
    assert [e["type"] for e in await recorded_events(service, deleted["id"])] == [
        "contracts.service.created",
        "contracts.service.deleted",
    ]


async def test_deleting_and_restoring_need_service_delete(service: Contracts, tenant: Tenant) -> None:
    made = await create_service(service, tenant, "Guarded")
    updater = service.headers(tenant.id, permissions=("services.view", "services.update"))
    body = await patch(
        service,
        updater,
        [
            {"id": made["id"], "deleted_at": "2024-01-01T00:00:00Z"},
            {"id": made["id"], "deleted_at": None},
            {"id": made["id"], "suspended_at": "2024-01-01T00:00:00Z"},
        ],
    )
    assert [(e["id"], e["code"]) for e in body["errors"]] == [
        (made["id"], "ePermissionDenied"),
        (made["id"], "ePermissionDenied"),
    ]
    found = await shown(service, tenant, made["id"])
    assert found["deleted_at"] is None
    assert found["suspended_at"] is not None
    viewer = service.headers(tenant.id, permissions=("services.view",))
    refused = await service.http.patch("/services", headers=viewer, json={"data": [{"id": made["id"]}]})
    assert_error(refused, "ePermissionDenied", 403)


async def test_the_batch_body_is_bounded(service: Contracts, tenant: Tenant) -> None:
    bodies: list[Any] = [{"data": []}, {"data": [{"id": str(uuid.uuid4())}] * 101}, {"rows": []}, []]
    for body in bodies:
        response = await service.http.patch("/services", headers=tenant.admin, json=body)
        assert_error(response, "eValidationError")
