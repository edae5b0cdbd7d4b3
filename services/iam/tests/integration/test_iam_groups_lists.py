"""``GET /groups`` (seed 004 "LIST Groups"): the shortened group, its filters, sorts and the
counts over inheritance, also on ``GET /groups/{id}``."""

from __future__ import annotations

import uuid

from datazones_harness import create_datazone, known_entity
from iam_harness import Iam, Tenant, assert_error, create_group, get_group, known_user, system_group

FOUR = ("view", "create", "update", "delete")


async def _names(service: Iam, tenant: Tenant, **params: object) -> list[str]:
    response = await service.http.get("/groups", headers=tenant.admin, params={"per_page": 100, **params})
    assert response.status_code == 200, response.text
    return [g["name"] for g in response.json()["data"]]


async def test_listed_groups_are_shortened_and_sorted_by_name(service: Iam, tenant: Tenant) -> None:
    await create_group(service, tenant, "zeta users")
    await create_group(service, tenant, "Alpha users")
    response = await service.http.get("/groups", headers=tenant.admin, params={"type": "user"})
    body = response.json()
    assert [g["name"] for g in body["data"]] == ["Alpha users", "zeta users"]
    assert not {"items", "owner_ids", "inherit_ids", "stats"} & set(body["data"][0])
    assert body["pagination"]["total"] == 2
    assert body["sort"] == [{"field": "name", "dir": "asc"}]
    # The tenant's system feature groups are listed too.
    features = await _names(service, tenant, type="feature")
    assert {"Assets", "Groups", "All features"} <= set(features)


async def test_filters(service: Iam, tenant: Tenant) -> None:
    alice, owner = await known_user(service, tenant), await known_user(service, tenant)
    member = await create_group(service, tenant, "North Sales", description="field team", items=[str(alice)])
    owned = await create_group(service, tenant, "Owned", owner_ids=[str(alice)])
    other = await create_group(service, tenant, "South Support", owner_ids=[str(owner)])
    assert set(await _names(service, tenant, party_id=str(alice))) == {"North Sales", "Owned"}
    assert await _names(service, tenant, keywords="nor", type="user") == ["North Sales"]
    assert await _names(service, tenant, keywords="field", type="user") == [
        "North Sales"
    ]  # the description too
    assert sorted(await _names(service, tenant, **{"ids[]": [member["id"], other["id"]]})) == [
        "North Sales",
        "South Support",
    ]
    assert await _names(service, tenant, datazone_id=str(uuid.uuid4())) == []
    assert await _names(service, tenant, entity_id=str(uuid.uuid4())) == []
    assert owned["id"]
    for params in ({"keywords": "n"}, {"type": "team"}, {"party_id": "x"}, {"sort": "+total_users"}):
        assert_error(
            await service.http.get("/groups", headers=tenant.admin, params=params), "eValidationError"
        )
    other_tenant = service.headers(uuid.uuid4(), admin=True)
    assert (await service.http.get("/groups", headers=other_tenant)).json()["data"] == []


async def test_entity_id_finds_the_groups_reaching_an_entity_through_their_datazones(
    service: Iam, tenant: Tenant
) -> None:
    entity, elsewhere = await known_entity(service, tenant), await known_entity(service, tenant)
    naming = await create_datazone(service, tenant, "Naming", "commercial", entity_ids=[str(entity)])
    other = await create_datazone(service, tenant, "Other", "commercial", entity_ids=[str(elsewhere)])
    territory = await create_group(service, tenant, "Holds it", "territory", items=[naming["id"]])
    await create_group(service, tenant, "Holds another", "territory", items=[other["id"]])
    wider = await create_group(service, tenant, "Wider", "territory", inherit_ids=[territory["id"]])
    await create_group(service, tenant, "Operations", "operational", inherit_ids=[wider["id"]])

    assert sorted(await _names(service, tenant, entity_id=str(entity))) == ["Holds it", "Operations", "Wider"]
    assert await _names(service, tenant, entity_id=str(entity), type="operational") == ["Operations"]
    assert await _names(service, tenant, entity_id=str(elsewhere)) == ["Holds another"]
    gone = await service.http.delete(f"/datazones/{naming['id']}", headers=tenant.admin)
    assert gone.status_code == 204, gone.text
    assert await _names(service, tenant, entity_id=str(entity)) == []


async def test_counts_aggregate_over_inheritance(service: Iam, tenant: Tenant) -> None:
    users = [await known_user(service, tenant) for _ in range(3)]
    team = await create_group(service, tenant, "Team", items=[str(users[0]), str(users[1])])
    more = await create_group(
        service, tenant, "More", items=[str(users[1]), str(users[2])], inherit_ids=[team["id"]]
    )
    tools = await create_group(
        service, tenant, "Tools", "feature", inherit_ids=[system_group(tenant, "assets")]
    )
    resting = await create_group(service, tenant, "Resting", items=[str(await known_user(service, tenant))])
    ops = await create_group(
        service, tenant, "Ops", "operational", inherit_ids=[more["id"], tools["id"], resting["id"]]
    )
    # Suspended: contributes nothing (nor what it inherits).
    suspend = await service.http.patch(
        "/groups",
        headers=tenant.admin,
        json={"data": [{"id": resting["id"], "suspended_at": "2026-01-01T00:00:00Z"}]},
    )
    assert suspend.json()["errors"] == []
    got = await get_group(service, tenant, ops["id"], **{"include[]": "counts"})
    assert got["stats"] == [{"territory": 0, "user": 3, "feature": len(FOUR), "inherits": 4}]
    assert "stats" not in await get_group(service, tenant, ops["id"])
    listed = await service.http.get(
        "/groups",
        headers=tenant.admin,
        params={"include[]": "counts", "type": "operational"},
    )
    assert listed.json()["data"][0]["stats"] == got["stats"]
    by_users = await _names(service, tenant, sort="-total_user", type="user")
    assert by_users[:2] == ["More", "Team"]
    by_inherited = await _names(service, tenant, sort="-total_inherited")
    assert by_inherited[0] == "Ops"
    by_features = await _names(service, tenant, sort="-total_feature,+name", type="feature")
    assert by_features[0] == "All features"
    assert await _names(service, tenant, sort="+total_datazone")
    assert_error(
        await service.http.get(
            f"/groups/{ops['id']}", headers=tenant.admin, params={"include[]": "everything"}
        ),
        "eValidationError",
    )


async def test_pages_follow_the_sort(service: Iam, tenant: Tenant) -> None:
    for index in range(5):
        await create_group(service, tenant, f"Paged {index}")
    first = await service.http.get("/groups", headers=tenant.admin, params={"type": "user", "per_page": 2})
    second = await service.http.get(
        "/groups", headers=tenant.admin, params={"type": "user", "per_page": 2, "page": 1}
    )
    assert [g["name"] for g in first.json()["data"]] == ["Paged 0", "Paged 1"]
    assert [g["name"] for g in second.json()["data"]] == ["Paged 2", "Paged 3"]
    assert first.json()["pagination"]["total"] == 5


async def test_a_cursor_continues_a_total_sort(service: Iam, tenant: Tenant) -> None:
    users = [await known_user(service, tenant) for _ in range(3)]
    for count in range(3):
        await create_group(service, tenant, f"Sized {count}", items=[str(u) for u in users[:count]])
    params = {"type": "user", "sort": "-total_user", "per_page": 1}
    seen = []
    response = await service.http.get("/groups", headers=tenant.admin, params=params)
    while True:
        body = response.json()
        assert response.status_code == 200, response.text
        seen.extend(g["name"] for g in body["data"])
        cursor = body["pagination"]["next_cursor"]
        if cursor is None:
            break
        response = await service.http.get(
            "/groups", headers=tenant.admin, params={**params, "cursor": cursor}
        )
    assert seen == ["Sized 2", "Sized 1", "Sized 0"]
