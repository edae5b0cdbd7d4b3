"""Reading assets' events into map points (heatmaps.events.point_consumed, domain.map_points)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from heatmaps.events.point_consumed import point_of, value_of
from proximity.events.consumer import UnusableEvent
from proximity.events.envelope import Event

TENANT = uuid.uuid4()


def event(
    subject: str, data: dict[str, Any], *, tenant: uuid.UUID | None = TENANT, version: int = 3
) -> Event:
    return Event(
        type=subject, tenant_id=tenant, aggregate_id=str(data.get("id", "x")), version=version, data=data
    )


def asset(**more: Any) -> dict[str, Any]:
    return {
        "contract": 1,
        "id": str(uuid.uuid4()),
        "name": "Depot",
        "entity_id": None,
        "address": {"country": "PT", "region": "Lisboa", "city": "Lisboa", "street": "Rua Augusta"},
        "point": {"long": -9.13, "lat": 38.71},
        "is_hidden": False,
        "deleted_at": None,
        **more,
    }


def test_an_asset_is_on_the_map_at_its_point_with_its_address_parts() -> None:
    found = point_of(event("assets.asset.updated", asset()))
    assert found is not None
    tenant, point = found
    assert tenant == TENANT
    assert (point.kind, point.lng, point.lat, point.version) == ("asset", -9.13, 38.71, 3)
    assert (point.country, point.region, point.city) == ("PT", "Lisboa", "Lisboa")
    assert point.located
    assert "rua augusta" in point.search_text()


@pytest.mark.parametrize(
    ("subject", "changes"),
    [
        ("assets.asset.updated", {"point": None}),
        ("assets.asset.updated", {"is_hidden": True}),
        ("assets.asset.deleted", {}),
        ("assets.asset.updated", {"deleted_at": "2026-01-01T00:00:00Z"}),
        ("assets.asset.updated", {"point": {"long": 500, "lat": 0}}),
    ],
)
def test_without_a_location_hidden_or_deleted_it_is_off_the_map(
    subject: str, changes: dict[str, Any]
) -> None:
    found = point_of(event(subject, asset(**changes)))
    assert found is not None
    assert not found[1].located


def test_an_entity_is_at_its_first_address_with_coordinates() -> None:
    industry = uuid.uuid4()
    data = {
        "contract": 1,
        "id": str(uuid.uuid4()),
        "name": "Acme",
        "industry_id": str(industry),
        "addresses": [{"city": "Porto"}, {"city": "Braga", "country": "PT", "lat": 41.55, "long": -8.42}],
    }
    found = point_of(event("assets.entity.created", data))
    assert found is not None
    point = found[1]
    assert (point.kind, point.lng, point.lat, point.city, point.industry_id) == (
        "entity",
        -8.42,
        41.55,
        "Braga",
        industry,
    )
    assert point.entity_id == point.id


@pytest.mark.parametrize(
    "bad",
    [
        event("assets.asset.created", asset(contract=2)),
        event("assets.asset.created", asset(), tenant=None),
        event("assets.asset.created", {"contract": 1, "id": "not-a-uuid"}),
        event("assets.value.updated", {"contract": 1, "field_id": "x"}),
    ],
)
def test_an_event_that_breaks_its_contract_is_unusable(bad: Event) -> None:
    with pytest.raises(UnusableEvent):
        point_of(bad) if bad.type.startswith("assets.asset") else value_of(bad)


def test_other_subjects_are_not_points() -> None:
    assert point_of(event("assets.industry.created", {"contract": 1, "id": str(uuid.uuid4())})) is None
    assert value_of(event("assets.asset.created", asset())) is None


def test_a_number_value_is_scaled_by_its_scalefactor_and_null_clears_it() -> None:
    field, subject = uuid.uuid4(), uuid.uuid4()
    data = {
        "contract": 1, "field_id": str(field), "field_type": "number", "scalefactor": 2,
        "subject_type": "asset", "subject_id": str(subject),
        "object_type": "asset", "object_id": str(subject), "value": 1234,
    }  # fmt: skip
    found = value_of(event("assets.value.updated", data))
    assert found is not None
    assert found[1].number() == 12.34
    cleared = value_of(event("assets.value.updated", {**data, "value": None}))
    assert cleared is not None
    assert cleared[1].number() is None
