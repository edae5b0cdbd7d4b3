"""Seed 004's GeoZone: a point, a point with a radius, or a WKT area (an asset's geo, a
datazone's geozones).

A WKT area is parsed with shapely and must be a valid (Multi)Polygon on the globe (longitudes
-180..180, latitudes -90..90) of bounded size. Every geo keeps a representative point (the
point itself, or a point inside the area) and a bounding box, which location search will
prefilter on before exact tests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import shapely
from shapely import wkt as wkt_format
from shapely.errors import ShapelyError
from shapely.geometry.base import BaseGeometry

MAX_VERTICES = 10_000
MAX_RADIUS_METRES = 20_000_000  # about half the Earth's circumference
_AREAS = ("Polygon", "MultiPolygon")


class InvalidGeo(ValueError):
    """A GeoZone that breaks its rules; the message says which, for the field it names."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class Geo:
    lat: float | None
    long: float | None
    radius: int | None
    wkt: str | None
    # A point inside (or at) the geo, and its bounding box: min_long, min_lat, max_long, max_lat.
    point: tuple[float, float]
    bounds: tuple[float, float, float, float]


def _on_globe(long: float, lat: float) -> bool:
    return math.isfinite(long) and math.isfinite(lat) and -180 <= long <= 180 and -90 <= lat <= 90


def checked_area(text: str, field: str = "geo.wkt") -> BaseGeometry:
    """A valid (Multi)Polygon on the globe of bounded size, or ``InvalidGeo`` naming ``field``."""
    try:
        shape = wkt_format.loads(text)
    except (ShapelyError, ValueError, TypeError):
        raise InvalidGeo(field, f"'{field}' is not well-known text.") from None
    if shape.geom_type not in _AREAS or shape.is_empty:
        raise InvalidGeo(field, f"'{field}' must be a POLYGON or MULTIPOLYGON.")
    if shapely.get_num_coordinates(shape) > MAX_VERTICES:
        raise InvalidGeo(field, f"'{field}' may have at most {MAX_VERTICES} vertices.")
    if shape.has_z:
        raise InvalidGeo(field, f"'{field}' must be two-dimensional (longitude latitude).")
    min_long, min_lat, max_long, max_lat = shape.bounds
    if not (_on_globe(min_long, min_lat) and _on_globe(max_long, max_lat)):
        raise InvalidGeo(field, f"'{field}' must lie on the globe: longitude -180..180, latitude -90..90.")
    if not shape.is_valid:
        reason = shapely.is_valid_reason(shape)
        raise InvalidGeo(field, f"'{field}' is not a valid area: {reason}.")
    return shape


def checked_geo(lat: float | None, long: float | None, radius: int | None, wkt: str | None) -> Geo:
    """The geo as stored, or ``InvalidGeo``. WKT excludes lat, long and radius; without WKT,
    lat and long are required (seed 004)."""
    if wkt is not None:
        if lat is not None or long is not None or radius is not None:
            raise InvalidGeo("geo", "With 'wkt', 'lat', 'long' and 'radius' must be null.")
        shape = checked_area(wkt)
        inside = shape.representative_point()
        return Geo(
            None, None, None, shapely.to_wkt(shape, rounding_precision=-1), (inside.x, inside.y), shape.bounds
        )
    if lat is None or long is None:
        raise InvalidGeo("geo", "Without 'wkt', 'lat' and 'long' are required.")
    if not _on_globe(long, lat):
        raise InvalidGeo("geo", "'lat' must be within -90..90 and 'long' within -180..180.")
    if radius is not None and not 0 <= radius <= MAX_RADIUS_METRES:
        raise InvalidGeo("geo.radius", f"'radius' must be between 0 and {MAX_RADIUS_METRES} metres.")
    return Geo(lat, long, radius, None, (long, lat), (long, lat, long, lat))
