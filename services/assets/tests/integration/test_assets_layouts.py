"""Layouts: a default per object type that stays, industry layouts, fields of the right type,
and the one layout an asset shows."""

from __future__ import annotations

import uuid
from typing import Any

from assets_support import Assets, Tenant, assert_error, create, recorded_events

from assets.domain.asset_types import type_id


def layout_body(object_type: str = "asset", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "Mining", "subject_id": "asset", "object_id": object_type, "cards": []}
    body.update(overrides)
    return body


def card(*field_ids: str) -> dict[str, Any]:
    return {"title": "Card", "items": [{"item_type": "field", "field_id": f} for f in field_ids]}


async def test_layouts_defaults_industries_and_the_asset_layout(service: Assets, tenant: Tenant) -> None:
    http = service.http
    listed = await http.get("/dynamicfields/layouts", headers=tenant.admin, params={"object_type": "asset"})
    assert listed.status_code == 200, listed.text
    (default,) = listed.json()["data"]
    assert default["is_default"] is True
    assert_error(
        await http.delete(f"/dynamicfields/layouts/{default['id']}", headers=tenant.admin),
        "eAttemptDeactivateDefaultLayout",
    )
    assert_error(
        await http.put(
            f"/dynamicfields/layouts/{default['id']}",
            headers=tenant.admin,
            json=layout_body(is_default=False),
        ),
        "eAttemptDeactivateDefaultLayout",
    )
    edited = await http.put(
        f"/dynamicfields/layouts/{default['id']}",
        headers=tenant.admin,
        json=layout_body(name="Everyone", is_default=True),
    )
    assert edited.status_code == 200, edited.text
    assert_error(
        await http.post("/dynamicfields/layouts", headers=tenant.admin, json=layout_body(is_default=True)),
        "eValidationError",
    )

    field = (
        await http.post(
            "/dynamicfields/fields",
            headers=tenant.admin,
            json={"object_type": "asset", "label": "Depth", "field_type": "number", "config": {}},
        )
    ).json()["data"]
    party_field = (
        await http.post(
            "/dynamicfields/fields",
            headers=tenant.admin,
            json={"object_type": "party", "label": "Badge", "field_type": "checkbox", "config": {}},
        )
    ).json()["data"]
    mining = (await http.post("/industries", headers=tenant.admin, json={"name": "Mining"})).json()["data"]
    body = layout_body(industry_ids=[mining["id"]], cards=[card(field["id"])])
    made = await http.post("/dynamicfields/layouts", headers=tenant.admin, json=body)
    assert made.status_code == 201, made.text
    assert_error(
        await http.post("/dynamicfields/layouts", headers=tenant.admin, json=body),
        "eIndustriesAlreadyAssigned",
    )
    for bad, code in (
        (layout_body(cards=[card(str(uuid.uuid4()))]), "eFieldNotFound"),
        (layout_body(cards=[card(party_field["id"])]), "eFieldObjectTypeMismatch"),
        (layout_body(industry_ids=[str(uuid.uuid4())]), "eAttemptSaveWithMissingIndustries"),
        (layout_body(cards=[{"title": "C", "items": [{"item_type": "field"}]}]), "eValidationError"),
        (
            layout_body(cards=[{"title": "C", "items": [{"item_type": "summary", "field_id": field["id"]}]}]),
            "eValidationError",
        ),
    ):
        assert_error(await http.post("/dynamicfields/layouts", headers=tenant.admin, json=bad), code)

    # An asset of a mining client shows the mining layout, with its fields; any other, the default.
    client = str(type_id(tenant.id, "entity-type:client"))
    entity = (
        await http.post(
            "/entities",
            headers=tenant.admin,
            json={"name": "Digger", "type_id": client, "industry_id": mining["id"]},
        )
    ).json()["data"]
    site = await create(service, tenant, "Site", type_id=tenant.type_id("site"))
    mine = await create(
        service, tenant, "Pit", type_id=tenant.type_id("unit"), parent_id=site["id"], entity_id=entity["id"]
    )
    params = {"object_type": "asset", "for_asset_id": mine["id"]}
    shown = (await http.get("/dynamicfields/layouts", headers=tenant.admin, params=params)).json()["data"]
    assert [item["id"] for item in shown] == [made.json()["data"]["id"]]
    assert [f["label"] for f in shown[0]["fields"]] == ["Depth"]
    params = {"object_type": "asset", "for_asset_id": site["id"]}
    shown = (await http.get("/dynamicfields/layouts", headers=tenant.admin, params=params)).json()["data"]
    assert [item["id"] for item in shown] == [default["id"]]

    assert (
        await http.delete(f"/dynamicfields/layouts/{made.json()['data']['id']}", headers=tenant.admin)
    ).status_code == 204
    again = await http.post("/dynamicfields/layouts", headers=tenant.admin, json=body)
    assert again.status_code == 201, again.text  # the deleted layout's industry is free again
    assert_error(await http.get("/dynamicfields/layouts", headers=tenant.admin), "eValidationError")
    assert_error(
        await http.delete(f"/dynamicfields/layouts/{uuid.uuid4()}", headers=tenant.admin), "eLayoutNotFound"
    )


async def test_layout_changes_are_published(service: Assets, tenant: Tenant) -> None:
    """Created, updated (not for a replace that changes nothing) and deleted, each a new version."""
    http = service.http
    field = (
        await http.post(
            "/dynamicfields/fields",
            headers=tenant.admin,
            json={"object_type": "asset", "label": "Depth", "field_type": "number", "config": {}},
        )
    ).json()["data"]
    farming = (await http.post("/industries", headers=tenant.admin, json={"name": "Farming"})).json()["data"]
    body = layout_body(name="Farm", industry_ids=[farming["id"]], cards=[card(field["id"], field["id"])])
    made = (await http.post("/dynamicfields/layouts", headers=tenant.admin, json=body)).json()["data"]
    url = f"/dynamicfields/layouts/{made['id']}"
    same = await http.put(url, headers=tenant.admin, json=body)
    assert same.status_code == 200, same.text
    renamed = await http.put(url, headers=tenant.admin, json={**body, "name": "Farms", "cards": []})
    assert renamed.status_code == 200, renamed.text
    assert (await http.delete(url, headers=tenant.admin)).status_code == 204

    events = await recorded_events(service, made["id"])
    assert [(e["type"], e["version"]) for e in events] == [
        ("assets.layout.created", 1),
        ("assets.layout.updated", 2),
        ("assets.layout.deleted", 3),
    ]
    created, updated, deleted = (e["data"] for e in events)
    assert created == {
        "contract": 1,
        "id": made["id"],
        "name": "Farm",
        "subject_type": "asset",
        "object_type": "asset",
        "is_default": False,
        "industry_ids": [farming["id"]],
        "field_ids": [field["id"]],
        "deleted_at": None,
    }
    assert (updated["name"], updated["field_ids"], updated["deleted_at"]) == ("Farms", [], None)
    assert deleted["deleted_at"] is not None
    assert deleted["industry_ids"] == []
