"""A tenant's configuration (seed 004 ``GET /config``): four sections of entries, each with
defaults that hold until an administrator replaces the section."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal

Section = Literal["theme", "phrasing", "vocab", "settings"]
SECTIONS: Final[tuple[Section, ...]] = ("theme", "phrasing", "vocab", "settings")


def _noun(key: str, singular: str, plural: str) -> dict[str, str]:
    return {"key": key, "locale": "en-CA", "singular": singular, "plural": plural}


# What the frontend shows before a tenant customises anything: the system's own names.
DEFAULTS: Final[Mapping[Section, tuple[dict[str, Any], ...]]] = {
    "theme": (),
    "phrasing": (),
    "vocab": (
        _noun("asset", "Asset", "Assets"),
        _noun("entity", "Entity", "Entities"),
        _noun("contract", "Contract", "Contracts"),
        _noun("party", "Party", "Parties"),
        _noun("service", "Service", "Services"),
    ),
    "settings": (),
}


def effective(stored: Mapping[str, list[dict[str, Any]]]) -> dict[Section, list[dict[str, Any]]]:
    """Each section as stored, or its defaults when the tenant never set it."""
    return {
        section: list(stored[section]) if section in stored else [dict(e) for e in DEFAULTS[section]]
        for section in SECTIONS
    }
