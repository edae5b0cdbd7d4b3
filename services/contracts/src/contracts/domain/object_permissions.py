"""``__permissions__``: what the caller may do with one object (seed 004).

Until iam publishes grants there are no per-object rules: the caller's token decides. A system
administrator bypasses every check, so the array is omitted for them (seed 004)."""

from __future__ import annotations

from proximity.auth.claims import Claims


def object_permissions(claims: Claims, resource: str) -> list[str] | None:
    """The caller's ``<resource>.*`` permissions, or None for a system administrator."""
    if claims.system_admin:
        return None
    prefix = f"{resource}."
    return sorted(p for p in claims.permissions if p.startswith(prefix))
