"""``GET /heatmaps``: filters, sorts, pages, the list envelope and ``include[]=stats``."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from heatmaps_harness import Heatmaps, Tenant, assert_error, create_heatmap, known_group


async def _listed(service: Heatmaps, tenant: Tenant, **params: Any) -> dict[str, Any]:
    response = await service.http.get("/heatmaps", headers=tenant.member, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _names(body: dict[str, Any]) -> list[str]:
    return [item["name"] for item in body["data"]]


async def test_the_envelope_pages_and_headers(service: Heatmaps, tenant: Tenant) -> None:
    for name in ("Charlie", "alpha", "Bravo"):
        await create_heatmap(service, tenant, name)
    response = await service.http.get("/heatmaps", headers=tenant.member, params={"per_page": 2})
    assert response.status_code == 200, response.text
    body = response.json()
    assert _names(body) == ["alpha", "Bravo"]  # +name by default, whatever the case
    assert body["sort"] == [{"field": "name", "dir": "asc"}]
    assert body["pagination"]["total"] == 3
    assert body["pagination"]["page"] == 0
    assert body["warnings"] == []
    assert response.headers["X-Total-Count"] == "3"
    assert 'rel="next"' in response.headers["Link"]
    second = await _listed(service, tenant, per_page=2, page=1)
    assert _names(second) == ["Charlie"]
    assert "stats" not in body["data"][0]


async def test_ids_keywords_and_deleted_ones(service: Heatmaps, tenant: Tenant) -> None:
    first = await create_heatmap(service, tenant, "North sites", description="Where the cranes are")
    second = await create_heatmap(service, tenant, "South sites", description=None)
    await create_heatmap(service, Tenant.new(service), "North elsewhere")
    assert _names(await _listed(service, tenant, keywords="north")) == ["North sites"]
    assert _names(await _listed(service, tenant, keywords="cran")) == ["North sites"]  # the description
    assert _names(await _listed(service, tenant, keywords="sites")) == ["North sites", "South sites"]
    assert _names(await _listed(service, tenant, keywords="nothing")) == []
    await service.http.delete(f"/heatmaps/{second['id']}", headers=tenant.member)
    assert _names(await _listed(service, tenant)) == ["North sites"]
    named = await _listed(service, tenant, **{"ids[]": [first["id"], second["id"]]})
    assert _names(named) == ["North sites", "South sites"]  # a deleted one when named


async def test_sorts(service: Heatmaps, tenant: Tenant) -> None:
    op_a, op_b, user_a = (
        await known_group(service, tenant, "operational"),
        await known_group(service, tenant, "operational"),
        await known_group(service, tenant, "user"),
    )
    await create_heatmap(service, tenant, "One", type="user", description="b", group_ids=[str(op_a)])
    every = [str(op_a), str(op_b), str(user_a)]
    await create_heatmap(service, tenant, "Two", type="business", description=None, group_ids=every)
    await create_heatmap(service, tenant, "Three", type="system", description="a", group_ids=[str(user_a)])
    assert _names(await _listed(service, tenant, sort="-name")) == ["Two", "Three", "One"]
    assert _names(await _listed(service, tenant, sort="type")) == ["Two", "Three", "One"]
    assert _names(await _listed(service, tenant, sort="description")) == ["Three", "One", "Two"]
    assert _names(await _listed(service, tenant, sort="-total_op_groups")) == ["Two", "One", "Three"]
    assert _names(await _listed(service, tenant, sort="total_user_groups,name")) == ["One", "Three", "Two"]
    assert _names(await _listed(service, tenant, sort="created")) == ["One", "Two", "Three"]
    assert _names(await _listed(service, tenant, sort="-updated")) == ["Three", "Two", "One"]
    paged = await _listed(service, tenant, sort="-total_op_groups", per_page=1, page=1)
    assert _names(paged) == ["One"]


async def test_stats_count_live_groups_by_type(service: Heatmaps, tenant: Tenant) -> None:
    groups = [await known_group(service, tenant, "operational") for _ in range(3)]
    users = [await known_group(service, tenant, "user") for _ in range(2)]
    territory = await known_group(service, tenant, "territory")
    await create_heatmap(service, tenant, "Counted", group_ids=[str(g) for g in (*groups, *users, territory)])
    await create_heatmap(service, tenant, "Empty")
    body = await _listed(service, tenant, **{"include[]": "stats"})
    assert [item["stats"] for item in body["data"]] == [
        [{"groups.operational": 3, "groups.user": 2}],
        [{"groups.operational": 0, "groups.user": 0}],
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "owner"},
        {"include[]": "counts"},
        {"page": "-1"},
        {"per_page": "0"},
        {"per_page": "101"},
        {"ids[]": "nope"},
        {"keywords": "x" * 201},
        {"page": "60"},  # beyond offset 1000: the cursor goes further
    ],
)
async def test_bad_parameters_are_validation_errors(
    service: Heatmaps, tenant: Tenant, params: dict[str, str]
) -> None:
    response = await service.http.get("/heatmaps", headers=tenant.member, params=params)
    assert_error(response, "eValidationError")


async def test_the_cursor_continues_a_list(service: Heatmaps, tenant: Tenant) -> None:
    for index in range(3):
        await create_heatmap(service, tenant, f"Map {index}")
    first = await _listed(service, tenant, per_page=2)
    cursor = first["pagination"]["next_cursor"]
    assert cursor
    rest = await _listed(service, tenant, per_page=2, cursor=cursor)
    assert _names(rest) == ["Map 2"]
    assert uuid.UUID(rest["data"][0]["id"])
