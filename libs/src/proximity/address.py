"""Seed 004's Address ("Type: Address"), as assets, entities and iam's datazones take and show
it: any part may be given, but a finer part needs the coarser parts it sits in (identity's
parties follow the same rule)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

# Address field → the fields it requires.
REQUIRES: Mapping[str, tuple[str, ...]] = {
    "region": ("country",),
    "city": ("country", "region"),
    "locale": ("country", "region"),
    "street": ("country", "region", "city"),
    "unit": ("country", "region", "city", "street"),
    "postal": ("country",),
}

AddressPart = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]


def missing_parts(address: Mapping[str, Any]) -> list[str]:
    """``"city requires region"`` for every given field whose required fields are absent."""
    problems: list[str] = []
    for field, needs in REQUIRES.items():
        if address.get(field) is None:
            continue
        problems.extend(f"{field} requires {need}" for need in needs if address.get(need) is None)
    return problems


class AddressIn(BaseModel):
    """Any part may be given, but a finer part needs the coarser ones it sits in: region needs
    country; city and locale need country and region; street needs city too, unit street too;
    postal needs country."""

    model_config = ConfigDict(extra="forbid")

    name: AddressPart | None = None
    unit: AddressPart | None = None
    street: AddressPart | None = None
    locale: AddressPart | None = None
    city: AddressPart | None = None
    region: AddressPart | None = None
    postal: AddressPart | None = None
    country: AddressPart | None = None
    lat: Latitude | None = None
    long: Longitude | None = None

    @model_validator(mode="after")
    def _coarser_parts_given(self) -> AddressIn:
        problems = missing_parts(self.model_dump())
        if problems:
            raise ValueError("; ".join(problems))
        return self


class AddressView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None
    unit: str | None
    street: str | None
    locale: str | None
    city: str | None
    region: str | None
    postal: str | None
    country: str | None
    lat: float | None
    long: float | None
