"""Writing an asset's address and geo onto its row."""

from __future__ import annotations

from assets.repositories.asset_records import Asset
from assets.schemas.assets import GeoIn
from proximity.address import AddressIn


def apply_location(found: Asset, address: AddressIn | None, geo: GeoIn | None) -> None:
    """The point location search and heatmaps use is the geo's (a point inside an area), else
    the address's coordinates when both are given."""
    found.address = address.model_dump() if address is not None else None
    checked = geo.checked if geo is not None else None
    found.geo_lat = checked.lat if checked else None
    found.geo_long = checked.long if checked else None
    found.geo_radius = checked.radius if checked else None
    found.geo_wkt = checked.wkt if checked else None
    if checked is not None:
        point: tuple[float, float] | None = checked.point
        bounds: tuple[float, float, float, float] | None = checked.bounds
    elif address is not None and address.lat is not None and address.long is not None:
        point = (address.long, address.lat)
        bounds = (address.long, address.lat, address.long, address.lat)
    else:
        point = bounds = None
    found.point_long, found.point_lat = point if point else (None, None)
    found.min_long, found.min_lat, found.max_long, found.max_lat = bounds if bounds else (None,) * 4
