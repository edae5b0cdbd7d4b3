"""Addresses (seed 004, "Type: Address"): any part may be given, but a finer part needs the
coarser parts it sits in, and a coordinate must be on the globe."""

from __future__ import annotations

from collections.abc import Mapping

# Address field → the fields it requires.
REQUIRES: Mapping[str, tuple[str, ...]] = {
    "region": ("country",),
    "city": ("country", "region"),
    "locale": ("country", "region"),
    "street": ("country", "region", "city"),
    "unit": ("country", "region", "city", "street"),
    "postal": ("country",),
}
FIELDS = ("name", "country", "region", "city", "locale", "street", "unit", "postal", "lat", "long")


def missing_parts(address: Mapping[str, str | None]) -> list[str]:
    """``"city requires region"`` for every given field whose required fields are absent."""
    problems: list[str] = []
    for field, needs in REQUIRES.items():
        if address.get(field) is None:
            continue
        problems.extend(f"{field} requires {need}" for need in needs if address.get(need) is None)
    return problems


def _coordinate(value: str, limit: float, name: str) -> str:
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name} must be a number") from None
    # float() accepts 'nan' and 'inf', which no comparison rejects on its own.
    if not -limit <= number <= limit:
        raise ValueError(f"{name} must be between -{limit:g} and {limit:g}")
    return value.strip()


def latitude(value: str) -> str:
    return _coordinate(value, 90, "latitude")


def longitude(value: str) -> str:
    return _coordinate(value, 180, "longitude")
