"""``GET /assets``: keywords, filters, sorts, the capped total and the catalogue of types."""

from __future__ import annotations

from assets_support import Assets, Tenant, asset_body, create, known_party
from sqlalchemy import text


async def test_keywords_filters_and_sorts(service: Assets, tenant: Tenant) -> None:
    site = await create(service, tenant, "North Campus", type_id=tenant.type_id("site"))
    await create(service, tenant, "Alpha Block", type_id=tenant.type_id("building"), parent_id=site["id"])
    await create(service, tenant, "beta block", type_id=tenant.type_id("building"), parent_id=site["id"])
    get = service.http.get

    def names(response: object) -> list[str]:
        return [item["name"] for item in response.json()["data"]]  # type: ignore[attr-defined]

    listed = await get("/assets", headers=tenant.admin)
    assert listed.status_code == 200, listed.text
    assert names(listed) == ["Alpha Block", "beta block", "North Campus"]
    assert listed.headers["X-Total-Count"] == "3"
    assert names(await get("/assets", headers=tenant.admin, params={"sort": "-name"})) == [
        "North Campus",
        "beta block",
        "Alpha Block",
    ]
    assert names(await get("/assets", headers=tenant.admin, params={"keywords": "blo"})) == [
        "Alpha Block",
        "beta block",
    ]
    assert names(await get("/assets", headers=tenant.admin, params={"keywords": "bet blo"})) == ["beta block"]
    assert names(await get("/assets", headers=tenant.admin, params={"keywords": "lock"})) == []
    params = {"parent_id": site["id"], "sort": "-created"}
    assert names(await get("/assets", headers=tenant.admin, params=params)) == ["beta block", "Alpha Block"]
    params = {"type_id": tenant.type_id("site")}
    assert names(await get("/assets", headers=tenant.admin, params=params)) == ["North Campus"]
    bad = await get("/assets", headers=tenant.admin, params={"sort": "colour"})
    assert bad.status_code == 400


async def test_a_deleted_asset_is_listed_only_by_id(service: Assets, tenant: Tenant) -> None:
    made = await create(service, tenant, "Gone")
    await service.http.delete(f"/assets/{made['id']}", headers=tenant.admin)
    assert (await service.http.get("/assets", headers=tenant.admin)).json()["data"] == []
    named = await service.http.get("/assets", headers=tenant.admin, params={"ids[]": made["id"]})
    assert [item["id"] for item in named.json()["data"]] == [made["id"]]


async def test_the_type_catalogue(service: Assets, tenant: Tenant) -> None:
    response = await service.http.get("/assets/~/types", headers=tenant.member)
    assert response.status_code == 200, response.text
    types = {item["name"]: item for item in response.json()["data"]}
    assert set(types) == {"Site", "Building", "Floor", "Unit"}
    assert types["Building"]["config"]["allow_parents"] == [types["Site"]["id"]]
    assert types["Floor"]["config"]["permit_geo"] is False
    assert types["Site"]["config"]["is_container"] is True
    assert "pagination" not in response.json()


async def test_filters_by_party_and_containers_and_the_kept_sorts(service: Assets, tenant: Tenant) -> None:
    party = await known_party(service, tenant)
    site = await create(service, tenant, "Site", type_id=tenant.type_id("site"), description="zz")
    unit_a = await create(
        service,
        tenant,
        "Unit A",
        type_id=tenant.type_id("unit"),
        parent_id=site["id"],
        party_ids=[str(party)],
        description="bb",
    )
    await create(
        service, tenant, "Unit B", type_id=tenant.type_id("unit"), parent_id=site["id"], description="aa"
    )
    get = service.http.get

    async def ids(**params: str) -> list[str]:
        response = await get("/assets", headers=tenant.admin, params=params)
        assert response.status_code == 200, response.text
        return [item["name"] for item in response.json()["data"]]

    assert await ids(party_id=str(party)) == ["Unit A"]
    assert await ids(exclude_containers="true") == ["Unit A", "Unit B"]
    assert await ids(contract_id=site["id"]) == []
    assert await ids(sort="+description") == ["Unit B", "Unit A", "Site"]
    assert await ids(sort="-total_parties,+name") == ["Unit A", "Site", "Unit B"]
    assert await ids(sort="+type,+name") == ["Site", "Unit A", "Unit B"]
    # Unassigning the party brings its count down again.
    body = asset_body("Unit A", type_id=tenant.type_id("unit"), parent_id=site["id"], description="bb")
    assert (
        await service.http.put(f"/assets/{unit_a['id']}", headers=tenant.admin, json=body)
    ).status_code == 200
    assert await ids(party_id=str(party)) == []
    assert await ids(sort="-total_parties,+name") == ["Site", "Unit A", "Unit B"]
    bad = await get("/assets", headers=tenant.admin, params={"exclude_containers": "maybe"})
    assert bad.status_code == 400


async def test_stats_parentage_and_images_on_request(service: Assets, tenant: Tenant) -> None:
    site = await create(service, tenant, "Site", type_id=tenant.type_id("site"))
    building = await create(service, tenant, "Hall", type_id=tenant.type_id("building"), parent_id=site["id"])
    floor = await create(service, tenant, "Floor", type_id=tenant.type_id("floor"), parent_id=building["id"])
    plain = await service.http.get("/assets", headers=tenant.admin, params={"ids[]": site["id"]})
    assert "stats" not in plain.json()["data"][0]
    listed = await service.http.get(
        "/assets", headers=tenant.admin, params={"ids[]": site["id"], "include[]": "stats"}
    )
    assert listed.json()["data"][0]["stats"] == [{"contracts": 0, "services": 0, "assets": 1, "entities": 0}]
    one = await service.http.get(
        f"/assets/{floor['id']}", headers=tenant.admin, params={"include[]": ["parentage", "images"]}
    )
    data = one.json()["data"]
    assert [item["name"] for item in data["parentage"]] == ["Hall", "Site"]
    assert data["images"] == []
    bare = (await service.http.get(f"/assets/{floor['id']}", headers=tenant.admin)).json()["data"]
    assert "parentage" not in bare
    assert "images" not in bare
    bad = await service.http.get(
        f"/assets/{floor['id']}", headers=tenant.admin, params={"include[]": "colour"}
    )
    assert bad.status_code == 400


async def test_keyword_pages_follow_the_cursor_both_ways(service: Assets, tenant: Tenant) -> None:
    """A keyword list is counted first and, matching few rows, cut from those rows: its pages
    still come in the sort's order, continue by cursor and carry the exact total."""
    for name in ("Dock 3", "Dock 1", "Quay", "Dock 5", "Dock 2", "Dock 4"):
        await create(service, tenant, name)

    async def pages(sort: str) -> tuple[list[list[str]], set[str]]:
        params: dict[str, str] = {"keywords": "dock", "sort": sort, "per_page": "2"}
        found: list[list[str]] = []
        totals: set[str] = set()
        while True:
            response = await service.http.get("/assets", headers=tenant.admin, params=params)
            assert response.status_code == 200, response.text
            found.append([item["name"] for item in response.json()["data"]])
            totals.add(response.headers["X-Total-Count"])
            cursor = response.json()["pagination"].get("next_cursor")
            if not cursor:
                return found, totals
            params = {**params, "cursor": cursor}

    assert await pages("+name") == ([["Dock 1", "Dock 2"], ["Dock 3", "Dock 4"], ["Dock 5"]], {"5"})
    assert await pages("-name") == ([["Dock 5", "Dock 4"], ["Dock 3", "Dock 2"], ["Dock 1"]], {"5"})


SORTED_FIELDS = (
    "name",
    "description",
    "type",
    "entity_name",
    "total_contracts",
    "total_parties",
    "created",
    "updated",
)


async def _walked(service: Assets, tenant: Tenant, **params: str) -> tuple[list[str], set[str]]:
    """Every page of a list, two rows at a time by cursor: the names in order and the totals."""
    query: dict[str, str] = {**params, "per_page": "2"}
    names: list[str] = []
    totals: set[str] = set()
    for _ in range(20):  # a cursor that does not move on fails here, not by hanging
        response = await service.http.get("/assets", headers=tenant.admin, params=query)
        assert response.status_code == 200, response.text
        names += [item["name"] for item in response.json()["data"]]
        totals.add(response.headers["X-Total-Count"])
        cursor = response.json()["pagination"].get("next_cursor")
        if not cursor:
            return names, totals
        query = {**query, "cursor": cursor}
    raise AssertionError(f"more than 20 pages: {names}")


async def test_exclude_containers_under_every_sort_and_after_a_retype(
    service: Assets, tenant: Tenant
) -> None:
    """Non-container lists are the whole list without its containers, in every sort both ways
    (with a keyword too), while types change under them."""
    party = await known_party(service, tenant)
    site = await create(service, tenant, "Wing Site", type_id=tenant.type_id("site"), description="m")
    hall = await create(
        service,
        tenant,
        "Wing Hall",
        type_id=tenant.type_id("building"),
        parent_id=site["id"],
        description="a",
    )
    units = [
        await create(
            service,
            tenant,
            f"Wing {letter}",
            type_id=tenant.type_id("unit"),
            parent_id=hall["id"],
            description=description,
            party_ids=[str(party)] if letter in "AC" else [],
        )
        for letter, description in zip("DABC", ("z", "b", "y", "c"), strict=True)
    ]
    await create(service, tenant, "Wing Loose", description="n")  # no type: not a container
    containers = {"Wing Site", "Wing Hall"}

    async def check() -> None:
        for field in SORTED_FIELDS:
            for sort in (f"+{field}", f"-{field}"):
                everything, _ = await _walked(service, tenant, sort=sort)
                expected = [name for name in everything if name not in containers]
                for keywords in ({}, {"keywords": "wing"}):
                    found, totals = await _walked(
                        service, tenant, sort=sort, exclude_containers="true", **keywords
                    )
                    assert (found, totals) == (expected, {str(len(expected))}), (sort, keywords)

    await check()
    # Through the API a unit may lose its type (seed 004 keeps containers containers) ...
    body = asset_body("Wing B", type_id=None, parent_id=hall["id"], description="y")
    response = await service.http.put(f"/assets/{units[2]['id']}", headers=tenant.admin, json=body)
    assert response.status_code == 200, response.text
    await check()
    # ... and whichever code path retypes a row, or changes what a type is, the row follows.
    async with service.wired.unit_of_work() as uow:
        await uow.session.execute(
            text("UPDATE assets SET type_id = :site WHERE id = :id"),
            {"site": tenant.type_id("site"), "id": units[0]["id"]},
        )
        await uow.commit()
    containers.add("Wing D")
    await check()
    async with service.wired.unit_of_work() as uow:
        await uow.session.execute(
            text("UPDATE asset_types SET is_container = false WHERE id = :building"),
            {"building": tenant.type_id("building")},
        )
        await uow.commit()
    containers.discard("Wing Hall")
    await check()


async def test_a_party_keyword_list_gathered_once_keeps_the_order_and_the_cursor(
    service: Assets, tenant: Tenant
) -> None:
    """A party's keyword list is counted and paged from one gathering of its matches: the same
    rows, order and total as the party's whole list, page by page under every sort."""
    party = await known_party(service, tenant)
    for name, description in (("Bay 3", "k"), ("Bay 1", "a"), ("Bay 2", "z"), ("Bay 5", "k"), ("Bay 4", "c")):
        await create(service, tenant, name, description=description, party_ids=[str(party)])
    await create(service, tenant, "Bay 6")  # the keyword's, not the party's
    for field in SORTED_FIELDS:
        for sort in (f"+{field}", f"-{field}"):
            whole = await _walked(service, tenant, sort=sort, party_id=str(party))
            assert await _walked(service, tenant, sort=sort, party_id=str(party), keywords="bay") == whole, (
                sort
            )
            assert len(whole[0]) == 5
