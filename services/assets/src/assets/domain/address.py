"""Addresses (seed 004, "Type: Address"): any part may be given, but a finer part needs the
coarser parts it sits in (identity's parties follow the same rule)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Address field → the fields it requires.
REQUIRES: Mapping[str, tuple[str, ...]] = {
    "region": ("country",),
    "city": ("country", "region"),
    "locale": ("country", "region"),
    "street": ("country", "region", "city"),
    "unit": ("country", "region", "city", "street"),
    "postal": ("country",),
}


def missing_parts(address: Mapping[str, Any]) -> list[str]:
    """``"city requires region"`` for every given field whose required fields are absent."""
    problems: list[str] = []
    for field, needs in REQUIRES.items():
        if address.get(field) is None:
            continue
        problems.extend(f"{field} requires {need}" for need in needs if address.get(need) is None)
    return problems
