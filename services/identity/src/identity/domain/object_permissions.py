"""``__permissions__``: what the caller may do with one object (seed 004).

A system administrator bypasses every check, so the array is omitted for them: a client
that finds no array assumes full permission.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from proximity.auth.claims import Claims


def object_permissions(claims: Claims, resource: str) -> list[str] | None:
    """The caller's permissions on ``resource`` (``skillset.view`` ...), or None for an admin."""
    if claims.system_admin:
        return None
    prefix = f"{resource}."
    return sorted(p for p in claims.permissions if p.startswith(prefix))


def with_permissions(item: Mapping[str, Any], claims: Claims, resource: str) -> dict[str, Any]:
    granted = object_permissions(claims, resource)
    return dict(item) if granted is None else {**item, "__permissions__": granted}
