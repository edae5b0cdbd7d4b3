"""Address and geo: what the type permits, and WKT validated with shapely."""

from __future__ import annotations

from typing import Any

import pytest
from assets_support import Assets, Tenant, assert_error, asset_body, create

SQUARE = "POLYGON((-0.8 53.1, -0.7 53.1, -0.7 53.2, -0.8 53.2, -0.8 53.1))"


async def test_a_polygon_is_kept_with_a_point_inside(service: Assets, tenant: Tenant) -> None:
    made = await create(service, tenant, "Area", type_id=tenant.type_id("site"), geo={"wkt": SQUARE})
    assert made["geo"]["wkt"].startswith("POLYGON ((-0.8 53.1")
    assert made["geo"]["lat"] is None


@pytest.mark.parametrize(
    "geo",
    [
        {"wkt": "POLYGON(23,343,234,23)"},  # seed 004's own example is not WKT
        {"wkt": "POINT(1 2)"},
        {"wkt": "POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))"},  # self-intersecting
        {"wkt": "POLYGON((0 0, 200 0, 200 1, 0 1, 0 0))"},  # off the globe
        {"wkt": SQUARE, "lat": 1, "long": 1},
        {"lat": 91, "long": 0},
        {"lat": 0, "long": -181},
        {"lat": 1},
        {"lat": 1, "long": 1, "radius": -1},
        {"wkt": "POLYGON((" + ", ".join(f"{i % 90} {(i * 7) % 80}" for i in range(10_001)) + ", 0 0))"},
    ],
)
async def test_invalid_geo_is_a_validation_error(
    service: Assets, tenant: Tenant, geo: dict[str, Any]
) -> None:
    body = asset_body(type_id=tenant.type_id("site"), geo=geo)
    assert_error(await service.http.post("/assets", headers=tenant.admin, json=body), "eValidationError")


async def test_a_type_without_geo_or_address_refuses_them(service: Assets, tenant: Tenant) -> None:
    site = await create(service, tenant, "Site", type_id=tenant.type_id("site"))
    building = await create(service, tenant, "B", type_id=tenant.type_id("building"), parent_id=site["id"])
    floor = {"type_id": tenant.type_id("floor"), "parent_id": building["id"]}
    body = asset_body(**floor, geo={"lat": 1, "long": 1})
    assert_error(await service.http.post("/assets", headers=tenant.admin, json=body), "eGeoNotPermitted")
    body = asset_body(**floor, address={"country": "gb"})
    assert_error(await service.http.post("/assets", headers=tenant.admin, json=body), "eAddressNotPermitted")
    await create(service, tenant, "Floor", **floor)
