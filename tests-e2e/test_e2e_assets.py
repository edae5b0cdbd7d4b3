"""The assets service through the real gateway, as `make run` starts it: the demo tenant's asset
types arrive from identity's event over the authenticated bus, a site with a polygon and a
building and unit under it are created, a cycle is refused, the demo admin's own party (from
identity's party events) can be assigned, the list finds them by keyword, and a document is
uploaded to the site and downloaded back."""

from __future__ import annotations

import hashlib
import time
import uuid
from typing import Any

import httpx
import pytest

from e2e_stack import DEMO_KEY, admin_token

KEY = {"X-Client-Key": DEMO_KEY}
SQUARE = "POLYGON((-0.8 53.1, -0.7 53.1, -0.7 53.2, -0.8 53.2, -0.8 53.1))"


@pytest.fixture(scope="module")
def auth(stack: Any) -> dict[str, str]:
    with httpx.Client(base_url=stack.gateway, timeout=30) as gateway:
        tokens = admin_token(gateway)
    return {**KEY, "Authorization": f"Bearer {tokens['access_token']}"}


def eventually(answer: Any, check: Any) -> Any:
    for _ in range(200):
        found = answer()
        if check(found):
            return found
        time.sleep(0.1)
    raise AssertionError(f"never: {found.text}")


def test_a_site_with_a_building_and_a_unit(gateway: httpx.Client, auth: dict[str, str]) -> None:
    types = eventually(
        lambda: gateway.get("/assets/~/types", headers=auth),
        lambda r: r.status_code == 200 and len(r.json()["data"]) == 4,
    )
    type_ids = {item["name"]: item["id"] for item in types.json()["data"]}
    name = f"Campus {uuid.uuid4().hex[:8]}"

    def create(body: dict[str, Any]) -> dict[str, Any]:
        made = gateway.post("/assets", headers=auth, json={"description": "", **body})
        assert made.status_code == 201, made.text
        data: dict[str, Any] = made.json()["data"]
        return data

    site = create({"name": name, "type_id": type_ids["Site"], "geo": {"wkt": SQUARE}})
    building = create({"name": f"{name} Hall", "type_id": type_ids["Building"], "parent_id": site["id"]})
    me = gateway.get("/users/me", headers=auth).json()["data"]["party_id"]
    unit_body = {
        "name": f"{name} Unit",
        "type_id": type_ids["Unit"],
        "parent_id": building["id"],
        "party_ids": [me],
    }
    unit = eventually(
        lambda: gateway.post("/assets", headers=auth, json={"description": "", **unit_body}),
        lambda r: r.status_code == 201,
    ).json()["data"]
    assert unit["party_ids"] == [me]

    moved = gateway.put(
        f"/assets/{site['id']}",
        headers=auth,
        json={"name": name, "description": "", "type_id": type_ids["Site"], "parent_id": unit["id"]},
    )
    assert moved.status_code == 400
    assert moved.json()["errors"][0]["code"] in {"eParentCycle", "eParentNotPermitted"}

    listed = gateway.get("/assets", headers=auth, params={"keywords": name.split()[1], "sort": "+name"})
    assert listed.status_code == 200, listed.text
    assert [item["name"] for item in listed.json()["data"]] == [name, f"{name} Hall", f"{name} Unit"]
    assert listed.headers["X-Total-Count"] == "3"

    # A document on the site, through the gateway: a streamed multipart upload (larger than
    # the gateway's default 10 MiB body limit would allow for other routes) and its download.
    plan = uuid.uuid4().bytes * (11 * 2**20 // 16)
    uploaded = gateway.post(
        f"/assets/{site['id']}/documents",
        headers=auth,
        files={"document": ("plan.bin", plan, "application/octet-stream")},
        data={"description": "Site plan"},
    )
    assert uploaded.status_code == 201, uploaded.text
    document = uploaded.json()["data"]
    assert document["checksum"] == hashlib.sha256(plan).hexdigest()
    downloaded = gateway.get(f"/assets/{site['id']}/documents/{document['id']}/content", headers=auth)
    assert downloaded.status_code == 200
    assert downloaded.content == plan
    assert downloaded.headers["etag"] == f'"{document["checksum"]}"'
    legacy = gateway.get(f"/api/v1/assets/{site['id']}/documents", headers=auth)
    assert legacy.status_code == 200, legacy.text
    assert [d["object_key"] for d in legacy.json()["data"]["documents"]] == [document["id"]]
    wrong = gateway.get(f"/api/v1/widgets/{site['id']}/documents", headers=auth)
    assert wrong.status_code == 404


def test_a_user_walks_from_an_entity_to_a_location_search(
    gateway: httpx.Client, auth: dict[str, str]
) -> None:
    """An entity, a site with a polygon and a building in it, a dynamic field and its value on
    the building, and the building found by a location search with keywords."""
    word = f"w{uuid.uuid4().hex[:8]}"
    types = {t["name"]: t["id"] for t in gateway.get("/assets/~/types", headers=auth).json()["data"]}
    client = next(
        t["id"]
        for t in gateway.get("/entities/~/types", headers=auth).json()["data"]
        if t["base_type"] == "client"
    )
    entity = gateway.post("/entities", headers=auth, json={"name": f"{word} Mining", "type_id": client})
    assert entity.status_code == 201, entity.text
    site = gateway.post(
        "/assets",
        headers=auth,
        json={"name": f"{word} Site", "description": "", "type_id": types["Site"], "geo": {"wkt": SQUARE}},
    ).json()["data"]
    building = gateway.post(
        "/assets",
        headers=auth,
        json={
            "name": f"{word} Hall",
            "description": "",
            "type_id": types["Building"],
            "parent_id": site["id"],
            "geo": {"lat": 53.15, "long": -0.75},
            "address": {"street": "station road", "city": "newark", "region": "notts", "country": "gb"},
        },
    )
    assert building.status_code == 201, building.text
    building_id = building.json()["data"]["id"]
    field = gateway.post(
        "/dynamicfields/fields",
        headers=auth,
        json={
            "object_type": "asset",
            "label": f"{word} floors",
            "field_type": "number",
            "config": {"min": 1, "max": 200},
        },
    )
    assert field.status_code == 201, field.text
    value = {
        "field_id": field.json()["data"]["id"],
        "subject_type": "asset",
        "subject_id": building_id,
        "object_type": "asset",
        "object_id": building_id,
        "value": 11,
    }
    saved = gateway.post("/dynamicfields/values", headers=auth, json={"values": [value]})
    assert saved.status_code == 201, saved.text
    too_high = gateway.post("/dynamicfields/values", headers=auth, json={"values": [{**value, "value": 201}]})
    assert too_high.status_code == 400
    found = gateway.get(
        "/search/locations",
        headers=auth,
        params={"bound[]": SQUARE, "keywords": f"{word} AND (newark OR calgary)", "types[]": "asset"},
    )
    assert found.status_code == 200, found.text
    assert [item["id"] for item in found.json()["data"]] == [building_id]
