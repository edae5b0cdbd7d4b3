"""The permission check every use case runs; a system admin bypasses it (seed 004). Only
tags of the catalogue can be checked (``permission_catalogue``): a misspelt tag fails every
test that reaches it, a system admin's included, instead of denying everyone in production."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from proximity.auth.claims import Claims
from proximity.auth.permission_catalogue import RESOURCE_NAMES, UnknownPermission, known
from proximity.errors import PermissionDenied


def can(claims: Claims, permission: str) -> bool:
    known(permission)
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


def object_permissions(claims: Claims, resource: str) -> list[str] | None:
    """``__permissions__`` (seed 004): the caller's tags on ``resource`` (``assets.view`` ...),
    or None for a system administrator, who bypasses every check (a client that finds no
    array assumes full permission)."""
    if resource not in RESOURCE_NAMES:
        raise UnknownPermission(f"'{resource}' is no resource of the permission catalogue")
    if claims.system_admin:
        return None
    prefix = f"{resource}."
    return sorted(p for p in claims.permissions if p.startswith(prefix))


def with_permissions(item: Mapping[str, Any], claims: Claims, resource: str) -> dict[str, Any]:
    granted = object_permissions(claims, resource)
    return dict(item) if granted is None else {**item, "__permissions__": granted}
