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


def require_scope(claims: Claims, scope: str) -> None:
    """A service token opens only what identity granted it (``scope``); a user's token has
    its permissions instead, so this is for service callers."""
    if scope not in claims.scopes:
        raise PermissionDenied(f"The service token does not carry the scope '{scope}'.")
