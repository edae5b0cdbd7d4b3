"""The entity types and roles every tenant is given, as catalogues."""

from __future__ import annotations

from assets_support import Assets, Tenant, assert_error


async def test_entity_types_and_roles(service: Assets, tenant: Tenant) -> None:
    viewer = service.headers(tenant.id, permissions=("entities.view",))
    types = await service.http.get("/entities/~/types", headers=viewer)
    assert types.status_code == 200, types.text
    assert {(t["name"], t["base_type"]) for t in types.json()["data"]} == {
        ("Client", "client"),
        ("Vendor", "vendor"),
    }
    roles = await service.http.get("/entities/~/roles", headers=viewer)
    assert {r["type"] for r in roles.json()["data"]} == {"contact", "owner"}
    owners = await service.http.get("/entities/~/roles", headers=viewer, params={"type": "owner"})
    assert {r["name"] for r in owners.json()["data"]} == {"Account Owner", "Customer Success"}
    assert_error(
        await service.http.get("/entities/~/roles", headers=viewer, params={"type": "boss"}),
        "eValidationError",
    )
    nobody = service.headers(tenant.id)
    assert_error(await service.http.get("/entities/~/types", headers=nobody), "ePermissionDenied", 403)
