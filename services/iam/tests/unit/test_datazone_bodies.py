"""Datazone and geozone bodies: limits and geo rules answered as validation errors."""

from __future__ import annotations

import uuid

import pytest
from pydantic import ValidationError

from iam.schemas.datazones import DatazoneIn, DatazonePatch, GeozoneIn


def test_name_and_description_are_bounded() -> None:
    DatazoneIn.model_validate({"name": "x" * 150, "type": "geo", "description": "d" * 5000})
    with pytest.raises(ValidationError):
        DatazoneIn.model_validate({"name": "x" * 151, "type": "geo"})
    with pytest.raises(ValidationError):
        DatazoneIn.model_validate({"name": "Zone", "type": "geo", "description": "d" * 5001})
    with pytest.raises(ValidationError):
        DatazoneIn.model_validate({"name": " ", "type": "geo"})


def test_the_type_is_geo_or_commercial() -> None:
    with pytest.raises(ValidationError):
        DatazoneIn.model_validate({"name": "Zone", "type": "other"})
    with pytest.raises(ValidationError):
        DatazoneIn.model_validate({"name": "Zone"})


def test_addresses_are_seed_addresses() -> None:
    body = DatazoneIn.model_validate(
        {"name": "Zone", "type": "geo", "addresses": [{"country": "gb", "region": "lincolnshire"}]}
    )
    assert body.address_rows()[0]["region"] == "lincolnshire"
    with pytest.raises(ValidationError, match="city requires region"):
        DatazoneIn.model_validate(
            {"name": "Zone", "type": "geo", "addresses": [{"country": "gb", "city": "x"}]}
        )


def test_ids_are_deduplicated_in_order() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    body = DatazoneIn.model_validate({"name": "Zone", "type": "geo", "entity_ids": [str(b), str(a), str(b)]})
    assert body.ids()["entity_ids"] == [b, a]


def test_a_geozone_is_a_point_or_an_area() -> None:
    point = GeozoneIn.model_validate({"id": None, "name": "Office", "long": 100.2, "lat": 48.2, "radius": 0})
    assert point.checked.point == (100.2, 48.2)
    area = GeozoneIn.model_validate({"wkt": "POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))"})
    assert area.checked.wkt is not None
    assert area.checked.wkt.startswith("POLYGON")


@pytest.mark.parametrize(
    "body",
    [
        {"long": 181, "lat": 0},
        {"long": 0, "lat": -91},
        {"long": 0, "lat": 0, "radius": -1},
        {"long": 0, "lat": 0, "radius": 1.5},
        {"long": 0},
        {},
        {"wkt": "POINT(0 0)"},
        {"wkt": "POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))"},  # self-intersecting
        {"wkt": "not wkt"},
        {"wkt": "POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))", "long": 0, "lat": 0},
        {"name": "n" * 151, "long": 0, "lat": 0},
    ],
)
def test_a_broken_geozone_is_refused(body: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        GeozoneIn.model_validate(body)


def test_a_batch_row_names_only_known_fields() -> None:
    DatazonePatch.model_validate({"id": str(uuid.uuid4()), "entity_id_assign": None})
    with pytest.raises(ValidationError):
        DatazonePatch.model_validate({"id": str(uuid.uuid4()), "owner_id_assign": str(uuid.uuid4())})
