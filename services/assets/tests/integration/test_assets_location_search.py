"""``GET /search/locations`` over real rows: the union of bounds, points and areas, entities by
their addresses, keywords with AND / OR / NOT, and the 400s."""

from __future__ import annotations

from typing import Any

from assets_support import Assets, Tenant, assert_error, create

from assets.domain.asset_types import type_id

LEFT = "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))"
RIGHT = "POLYGON((20 0, 30 0, 30 10, 20 10, 20 0))"


async def search(service: Assets, tenant: Tenant, **params: Any) -> list[tuple[str, str]]:
    response = await service.http.get("/search/locations", headers=tenant.admin, params=params)
    assert response.status_code == 200, response.text
    return sorted((item["type"], item["name"]) for item in response.json()["data"])


async def test_locations_in_the_union_of_bounds(service: Assets, tenant: Tenant) -> None:
    site = tenant.type_id("site")
    address = {"street": "main street", "city": "calgary", "region": "alberta", "country": "ca"}
    await create(service, tenant, "Inside", type_id=site, geo={"lat": 5, "long": 5}, address=address)
    await create(service, tenant, "Right", type_id=site, geo={"lat": 5, "long": 25})
    await create(service, tenant, "Between", type_id=site, geo={"lat": 5, "long": 15})
    # An area whose box overlaps LEFT's but which stays outside it, and one that crosses into it.
    await create(
        service, tenant, "Near miss", type_id=site, geo={"wkt": "POLYGON((11 11, 12 11, 12 12, 11 11))"}
    )
    await create(
        service, tenant, "Crossing", type_id=site, geo={"wkt": "POLYGON((9 9, 12 9, 12 12, 9 12, 9 9))"}
    )
    await create(service, tenant, "Hidden", type_id=site, geo={"lat": 6, "long": 6}, is_hidden=True)
    client = str(type_id(tenant.id, "entity-type:client"))
    entity = {"name": "Acme", "type_id": client, "addresses": [{"country": "ca", "lat": 2, "long": 2}]}
    assert (await service.http.post("/entities", headers=tenant.admin, json=entity)).status_code == 201

    assert await search(service, tenant, **{"bound[]": LEFT, "types[]": "asset"}) == [
        ("asset", "Crossing"),
        ("asset", "Inside"),
    ]
    both = await search(service, tenant, **{"bound[]": [LEFT, RIGHT]})
    assert both == [("asset", "Crossing"), ("asset", "Inside"), ("asset", "Right"), ("entity", "Acme")]
    assert await search(service, tenant, **{"bound[]": LEFT, "keywords": "calg AND main"}) == [
        ("asset", "Inside")
    ]
    assert await search(service, tenant, **{"bound[]": LEFT, "keywords": "cross OR acme"}) == [
        ("asset", "Crossing"),
        ("entity", "Acme"),
    ]
    assert await search(
        service, tenant, **{"bound[]": LEFT, "types[]": "asset", "keywords": "NOT calgary"}
    ) == [("asset", "Crossing")]


async def test_a_point_on_the_edge_is_inside(service: Assets, tenant: Tenant) -> None:
    site = tenant.type_id("site")
    await create(service, tenant, "Edge", type_id=site, geo={"lat": 5, "long": 10})
    await create(service, tenant, "Corner", type_id=site, geo={"lat": 0, "long": 0})
    await create(service, tenant, "Inside the box only", type_id=site, geo={"lat": 9.5, "long": 9})
    await create(service, tenant, "Outside", type_id=site, geo={"lat": 5, "long": 10.001})
    triangle = "POLYGON((0 0, 10 0, 10 10, 0 0))"  # its box holds (9, 9.5), it does not
    assert await search(service, tenant, **{"bound[]": triangle, "types[]": "asset"}) == [
        ("asset", "Corner"),
        ("asset", "Edge"),
    ]


async def _entity(service: Assets, tenant: Tenant, name: str, *addresses: dict[str, Any]) -> dict[str, Any]:
    client = str(type_id(tenant.id, "entity-type:client"))
    body = {"name": name, "type_id": client, "addresses": list(addresses)}
    response = await service.http.post("/entities", headers=tenant.admin, json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()["data"]
    return created


async def test_entities_carry_their_assets_with_both_types(service: Assets, tenant: Tenant) -> None:
    """Seed 004: with asset AND entity, each entity has `assets`: its assets among the results
    (also listed on their own), `[]` when none lies in the bounds; without both, no `assets`."""
    entity = await _entity(service, tenant, "Owner", {"country": "ca", "lat": 1, "long": 1})
    await _entity(service, tenant, "Bare", {"country": "ca", "lat": 2, "long": 2})
    site = await create(service, tenant, "Site", type_id=tenant.type_id("site"))
    for name, where in (("Shop", {"lat": 3, "long": 3}), ("Far shop", {"lat": 5, "long": 25})):
        await create(
            service,
            tenant,
            name,
            type_id=tenant.type_id("unit"),
            parent_id=site["id"],
            entity_id=entity["id"],
            geo=where,
        )
    response = await service.http.get("/search/locations", headers=tenant.admin, params={"bound[]": LEFT})
    assert response.status_code == 200, response.text
    found = {(item["type"], item["name"]): item for item in response.json()["data"]}
    assert sorted(found) == [("asset", "Shop"), ("entity", "Bare"), ("entity", "Owner")]
    owner = found[("entity", "Owner")]
    assert owner["assets"] == [found[("asset", "Shop")]]
    assert found[("entity", "Bare")]["assets"] == []
    explicit = await service.http.get(
        "/search/locations", headers=tenant.admin, params={"bound[]": LEFT, "types[]": ["asset", "entity"]}
    )
    assert explicit.json()["data"] == response.json()["data"]
    only = await service.http.get(
        "/search/locations", headers=tenant.admin, params={"bound[]": LEFT, "types[]": "entity"}
    )
    assert [item["type"] for item in only.json()["data"]] == ["entity", "entity"]
    assert all("assets" not in item for item in only.json()["data"])


async def test_an_entity_is_found_by_any_located_address(service: Assets, tenant: Tenant) -> None:
    """The index's box spans all of an entity's addresses; the exact test keeps an entity only
    when one address lies in the bounds, and shows it there."""
    await _entity(
        service,
        tenant,
        "Spread",
        {"name": "Head office", "country": "ca", "lat": 5, "long": 25},
        {"name": "Depot", "country": "ca", "lat": 4, "long": 6},
    )
    # Its box (6..25, 4..5) overlaps the middle bound, but no address lies in it.
    await _entity(
        service,
        tenant,
        "Straddling",
        {"country": "ca", "lat": 1, "long": 1},
        {"country": "ca", "lat": 1, "long": 29},
    )
    await _entity(service, tenant, "Unlocated", {"country": "ca", "city": "calgary", "region": "ab"})
    gone = await _entity(service, tenant, "Gone", {"country": "ca", "lat": 4, "long": 4})
    assert (await service.http.delete(f"/entities/{gone['id']}", headers=tenant.admin)).status_code == 204
    params = {"bound[]": LEFT, "types[]": "entity"}
    response = await service.http.get("/search/locations", headers=tenant.admin, params=params)
    items = {item["name"]: item for item in response.json()["data"]}
    assert sorted(items) == ["Spread", "Straddling"]
    assert (items["Spread"]["lat"], items["Spread"]["long"]) == (4, 6)
    middle = "POLYGON((12 0, 18 0, 18 10, 12 10, 12 0))"
    assert await search(service, tenant, **{"bound[]": middle, "types[]": "entity"}) == []
    assert await search(service, tenant, **{"bound[]": RIGHT, "types[]": "entity"}) == [
        ("entity", "Spread"),
        ("entity", "Straddling"),
    ]


async def test_bad_searches_are_400s(service: Assets, tenant: Tenant) -> None:
    get = service.http.get
    assert_error(await get("/search/locations", headers=tenant.admin), "eValidationError")
    for bound in ("POLYGON(23,343,234,23)", "POINT(1 2)", "POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))"):
        assert_error(
            await get("/search/locations", headers=tenant.admin, params={"bound[]": bound}),
            "eValidationError",
        )
    refused = await get(
        "/search/locations", headers=tenant.admin, params={"bound[]": LEFT, "keywords": "(a OR b"}
    )
    assert_error(refused, "eInvalidKeywordQuery")
    assert "position 8" in refused.json()["errors"][0]["message"]
    for unsearchable in ("party", "datazone"):
        refused = await get(
            "/search/locations", headers=tenant.admin, params={"bound[]": LEFT, "types[]": unsearchable}
        )
        assert_error(refused, "eValidationError")
        assert f"'{unsearchable}' is not searchable" in refused.json()["errors"][0]["message"]
