"""The permission check every use case runs; a system admin bypasses it (seed 004)."""

from __future__ import annotations

from proximity.auth.claims import Claims
from proximity.errors import PermissionDenied


def can(claims: Claims, permission: str) -> bool:
    return claims.system_admin or permission in claims.permissions


def require(claims: Claims, permission: str) -> None:
    if not can(claims, permission):
        raise PermissionDenied(f"Missing permission '{permission}'.")


def require_system_admin(claims: Claims) -> None:
    if not claims.system_admin:
        raise PermissionDenied("Only a system administrator may do this.")


def require_service(claims: Claims) -> None:
    """For endpoints only other services call; a system admin is a user, so no bypass here."""
    if not claims.service:
        raise PermissionDenied("Only a service may do this.")
