"""GeoZone rules: a point, a point with a radius, or a valid WKT area on the globe."""

from __future__ import annotations

import pytest

from proximity.geo import InvalidGeo, checked_geo


def test_a_point_is_its_own_point_and_box() -> None:
    geo = checked_geo(53.1, -0.7, 50, None)
    assert geo.point == (-0.7, 53.1)
    assert geo.bounds == (-0.7, 53.1, -0.7, 53.1)


def test_an_area_keeps_a_point_inside_and_its_box() -> None:
    geo = checked_geo(None, None, None, "MULTIPOLYGON(((0 0, 2 0, 2 2, 0 2, 0 0)), ((5 5, 6 5, 6 6, 5 5)))")
    assert geo.bounds == (0.0, 0.0, 6.0, 6.0)
    assert geo.wkt is not None
    assert geo.wkt.startswith("MULTIPOLYGON")
    long, lat = geo.point
    assert 0 <= long <= 6
    assert 0 <= lat <= 6


@pytest.mark.parametrize(
    ("wkt", "field", "words"),
    [
        ("nonsense", "geo.wkt", "well-known"),
        ("LINESTRING(0 0, 1 1)", "geo.wkt", "POLYGON"),
        ("POLYGON EMPTY", "geo.wkt", "POLYGON"),
        ("POLYGON((0 0 1, 1 0 1, 1 1 1, 0 0 1))", "geo.wkt", "two-dimensional"),
        ("POLYGON((0 -91, 1 -91, 1 0, 0 -91))", "geo.wkt", "globe"),
        ("POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))", "geo.wkt", "Self-intersection"),
    ],
)
def test_bad_areas_say_why(wkt: str, field: str, words: str) -> None:
    with pytest.raises(InvalidGeo) as refused:
        checked_geo(None, None, None, wkt)
    assert refused.value.field == field
    assert words in str(refused.value)


def test_wkt_excludes_a_point_and_a_point_needs_both_coordinates() -> None:
    with pytest.raises(InvalidGeo):
        checked_geo(1, 1, None, "POLYGON((0 0, 1 0, 1 1, 0 0))")
    with pytest.raises(InvalidGeo):
        checked_geo(1, None, None, None)
    with pytest.raises(InvalidGeo):
        checked_geo(1, 1, -5, None)
