"""Who may do what with heatmaps: the ``heatmaps.*`` tags, as iam's latest grants give them
(the replica of ``iam.permissions.updated``), else as the token carries them."""

from __future__ import annotations

import uuid

from heatmaps_harness import (
    CATCH_UP_SECONDS,
    HEATMAP_PERMISSIONS,
    Heatmaps,
    Tenant,
    assert_error,
    create_heatmap,
    heatmap_body,
)

from proximity.testing.iam_events import eventually, grant_entry, permissions_updated, publish_as


async def test_each_operation_needs_its_tag(service: Heatmaps, tenant: Tenant) -> None:
    made = await create_heatmap(service, tenant)
    path = f"/heatmaps/{made['id']}"
    for missing in HEATMAP_PERMISSIONS:
        others = tuple(p for p in HEATMAP_PERMISSIONS if p != missing)
        headers = service.headers(tenant.id, permissions=others)
        requests = {
            "heatmaps.view": [("GET", "/heatmaps", None), ("GET", path, None)],
            "heatmaps.create": [("POST", "/heatmaps", heatmap_body())],
            "heatmaps.update": [("PUT", path, heatmap_body())],
            "heatmaps.delete": [("DELETE", path, None)],
        }[missing]
        for method, url, body in requests:
            response = await service.http.request(method, url, headers=headers, json=body)
            assert_error(response, "ePermissionDenied", 403)
    no_token = await service.http.get("/heatmaps")
    assert no_token.status_code == 401


async def test_a_system_administrator_needs_no_tag(service: Heatmaps, tenant: Tenant) -> None:
    response = await service.http.post("/heatmaps", headers=tenant.admin, json=heatmap_body())
    assert response.status_code == 201, response.text
    assert "__permissions__" not in response.json()["data"]


async def test_iams_latest_grants_replace_the_tokens(service: Heatmaps, tenant: Tenant) -> None:
    party = uuid.uuid4()
    headers = service.headers(tenant.id, permissions=HEATMAP_PERMISSIONS, party_id=party)
    assert (await service.http.get("/heatmaps", headers=headers)).status_code == 200
    only_view = permissions_updated(tenant.id, party, 1, [grant_entry(["heatmaps.view"], None)])
    await publish_as(service.wired.runtime.js, "iam", only_view)

    async def create_refused() -> bool:
        response = await service.http.post("/heatmaps", headers=headers, json=heatmap_body())
        return response.status_code == 403

    await eventually(create_refused, seconds=CATCH_UP_SECONDS)
    listed = await service.http.get("/heatmaps", headers=headers)
    assert listed.status_code == 200, listed.text
