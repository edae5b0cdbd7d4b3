"""Dynamic fields: the seven types with their configs, the list by object type, and values
checked against their field (each problem a 400 naming the value), published for heatmaps."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from assets_support import Assets, Tenant, assert_error, create, known_party, recorded_events


async def new_field(
    service: Assets, tenant: Tenant, field_type: str, config: dict[str, Any], **more: Any
) -> dict[str, Any]:
    body = {
        "object_type": "asset",
        "label": f"{field_type} field",
        "field_type": field_type,
        "config": config,
        **more,
    }
    response = await service.http.post("/dynamicfields/fields", headers=tenant.admin, json=body)
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()["data"]
    return made


@pytest.mark.parametrize(
    ("field_type", "config"),
    [
        ("text", {"max": 0}),
        ("text", {"max": 10, "colour": "red"}),
        ("number", {"min": 5, "max": 1}),
        ("number", {"scalefactor": 12}),
        ("dropdown", {"options": []}),
        ("dropdown", {"options": [{"key": "a", "value": "A"}, {"key": "a", "value": "B"}]}),
        ("multiselect", {"options": [{"key": "a,b", "value": "A"}]}),
        ("checkbox", {"options": [{"key": "a", "value": "A"}]}),
        ("colour", {}),
    ],
)
async def test_a_config_must_fit_its_type(
    service: Assets, tenant: Tenant, field_type: str, config: dict[str, Any]
) -> None:
    body = {"object_type": "asset", "label": "F", "field_type": field_type, "config": config}
    assert_error(
        await service.http.post("/dynamicfields/fields", headers=tenant.admin, json=body), "eValidationError"
    )


async def test_fields_are_listed_by_object_type_replaced_and_deleted(service: Assets, tenant: Tenant) -> None:
    text = await new_field(service, tenant, "text", {"max": 20})
    assert text["config"] == {"max": 20, "multiline": False}
    await new_field(service, tenant, "checkbox", {}, object_type="party")
    listed = await service.http.get(
        "/dynamicfields/fields", headers=tenant.admin, params={"object_type": "asset"}
    )
    assert [item["label"] for item in listed.json()["data"]] == ["text field"]
    typed = await service.http.get(
        "/dynamicfields/fields",
        headers=tenant.admin,
        params={"object_type": "party", "field_type_in[]": "text"},
    )
    assert typed.json()["data"] == []
    assert_error(await service.http.get("/dynamicfields/fields", headers=tenant.admin), "eValidationError")
    body = {
        "object_type": "asset",
        "label": "Notes",
        "field_type": "text",
        "config": {"max": 500, "multiline": True},
    }
    replaced = await service.http.put(f"/dynamicfields/fields/{text['id']}", headers=tenant.admin, json=body)
    assert replaced.json()["data"]["label"] == "Notes"
    assert (
        await service.http.delete(f"/dynamicfields/fields/{text['id']}", headers=tenant.admin)
    ).status_code == 204
    for target in (text["id"], str(uuid.uuid4()), "nope"):
        assert_error(
            await service.http.delete(f"/dynamicfields/fields/{target}", headers=tenant.admin),
            "eFieldNotFound",
        )
    events = await recorded_events(service, text["id"])
    assert [e["type"] for e in events] == [
        "assets.field.created",
        "assets.field.updated",
        "assets.field.deleted",
    ]


async def test_values_are_checked_against_their_field(service: Assets, tenant: Tenant) -> None:
    site = await create(service, tenant, "Site", type_id=tenant.type_id("site"))
    party = await known_party(service, tenant)
    number = await new_field(service, tenant, "number", {"min": 0, "max": 1000, "scalefactor": 1})
    pick = await new_field(
        service, tenant, "multiselect", {"options": [{"key": "a", "value": "A"}, {"key": "b", "value": "B"}]}
    )
    day = await new_field(service, tenant, "dateOnly", {})
    contact = await new_field(service, tenant, "checkbox", {}, object_type="party")

    def value(field: dict[str, Any], given: Any, **more: Any) -> dict[str, Any]:
        return {
            "field_id": field["id"],
            "subject_type": "asset",
            "subject_id": site["id"],
            "object_type": field["object_type"],
            "object_id": site["id"] if field["object_type"] == "asset" else str(party),
            "value": given,
            **more,
        }

    post = service.http.post
    good = [value(number, 125), value(pick, "b,a"), value(day, "2026-02-28"), value(contact, True)]
    saved = await post("/dynamicfields/values", headers=tenant.admin, json={"values": good})
    assert saved.status_code == 201, saved.text
    assert [item["value"] for item in saved.json()["data"]] == [125, "b,a", "2026-02-28", True]
    bad = [
        (value(number, 1001), "values.0.value"),
        (value(number, 1.5), "values.0.value"),
        (value(pick, "a,z"), "values.0.value"),
        (value(day, "2026-02-30"), "values.0.value"),
        (value(contact, "yes"), "values.0.value"),
        (value(number, 5, object_type="party"), "values.0.object_type"),
        (value(contact, True, object_id=str(uuid.uuid4())), "values.0.object_id"),
        (value(number, 5, subject_id=str(uuid.uuid4())), "values.0.subject_id"),
    ]
    for row, where in bad:
        response = await post("/dynamicfields/values", headers=tenant.admin, json={"values": [row]})
        assert_error(response, "eValidationError")
        assert where in response.json()["errors"][0]["message"], response.text
    missing = value(number, 5, field_id=str(uuid.uuid4()))
    assert_error(
        await post("/dynamicfields/values", headers=tenant.admin, json={"values": [missing]}),
        "eFieldNotFound",
    )
    # All or nothing: a bad second value leaves the first unsaved.
    mixed = [value(number, 7), value(number, -1)]
    assert_error(
        await post("/dynamicfields/values", headers=tenant.admin, json={"values": mixed}), "eValidationError"
    )

    read = await service.http.get(
        f"/dynamicfields/{site['id']}/values",
        headers=tenant.admin,
        params={"subject_type": "asset", "object_type": "asset", "field_ids[]": number["id"]},
    )
    assert read.status_code == 200, read.text
    assert [item["value"] for item in read.json()["data"]] == [125]
    events = await recorded_events(service, f"{number['id']}:{site['id']}:{site['id']}")
    assert [(e["type"], e["data"]["value"], e["data"]["scalefactor"]) for e in events] == [
        ("assets.value.updated", 125, 1)
    ]


async def test_counts_say_what_uses_each_field(service: Assets, tenant: Tenant) -> None:
    """``include[]=counts``: values set on live assets (a cleared one is none), those assets, and
    the live layouts placing the field; without it, no ``stats``."""
    http = service.http
    site = await create(service, tenant, "Site", type_id=tenant.type_id("site"))
    other = await create(service, tenant, "Other")
    gone = await create(service, tenant, "Gone")
    used = await new_field(service, tenant, "number", {"min": 0, "max": 10, "scalefactor": 0})
    unused = await new_field(service, tenant, "checkbox", {})

    def value(subject: dict[str, Any], obj: dict[str, Any], given: Any) -> dict[str, Any]:
        return {
            "field_id": used["id"],
            "subject_type": "asset",
            "subject_id": subject["id"],
            "object_type": "asset",
            "object_id": obj["id"],
            "value": given,
        }

    rows = [value(site, site, 1), value(site, other, 2), value(other, other, 3), value(gone, gone, 4)]
    saved = await http.post("/dynamicfields/values", headers=tenant.admin, json={"values": rows})
    assert saved.status_code == 201, saved.text
    cleared = [value(other, other, None)]
    saved = await http.post("/dynamicfields/values", headers=tenant.admin, json={"values": cleared})
    assert saved.status_code == 201, saved.text
    assert (await http.delete(f"/assets/{gone['id']}", headers=tenant.admin)).status_code == 204
    cards = [{"title": "Card", "items": [{"item_type": "field", "field_id": used["id"]}] * 2}]
    for name in ("Placing", "Deleted"):
        layout = {"name": name, "subject_id": "asset", "object_id": "asset", "cards": cards}
        made = await http.post("/dynamicfields/layouts", headers=tenant.admin, json=layout)
        assert made.status_code == 201, made.text
    deleted = made.json()["data"]["id"]
    assert (await http.delete(f"/dynamicfields/layouts/{deleted}", headers=tenant.admin)).status_code == 204

    params = {"object_type": "asset", "include[]": "counts"}
    listed = await http.get("/dynamicfields/fields", headers=tenant.admin, params=params)
    assert listed.status_code == 200, listed.text
    stats = {item["label"]: item["stats"] for item in listed.json()["data"]}
    assert stats == {
        "number field": [{"values": 2, "assets": 1, "contracts": 0, "layouts": 1}],
        "checkbox field": [{"values": 0, "assets": 0, "contracts": 0, "layouts": 0}],
    }
    assert unused["label"] in stats
    plain = await http.get("/dynamicfields/fields", headers=tenant.admin, params={"object_type": "asset"})
    assert all("stats" not in item for item in plain.json()["data"])
    assert_error(
        await http.get(
            "/dynamicfields/fields", headers=tenant.admin, params={"object_type": "asset", "include[]": "x"}
        ),
        "eValidationError",
    )
