"""Rules a party's user must keep: valid identities, and who may change system admin."""

from __future__ import annotations

from collections.abc import Iterable

from email_validator import EmailNotValidError, validate_email

from identity.domain.desktop_id import DESKTOP_ID, normalise_desktop_id
from identity.domain.email_address import normalise_email
from identity.errors import IdentityNotValid
from proximity.errors import PermissionDenied

# Seed 004 "Type: Party Identity" documents email; seed 002's login also knows desktop ids.
IDENTITY_KINDS = frozenset({"email", DESKTOP_ID})
MAX_IDENTITIES = 10


def valid_identities(identities: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(kind, value)`` pairs in their stored form (emails lower-cased), without repeats;
    raises ``IdentityNotValid`` naming the first one that is not an identity."""
    stored: list[tuple[str, str]] = []
    for kind, value in identities:
        if kind not in IDENTITY_KINDS:
            raise IdentityNotValid(f"Identity type '{kind}' is not supported; use one of: email, desktop_id.")
        pair = (kind, normalise_desktop_id(value) if kind == DESKTOP_ID else _email_identity(value))
        if pair not in stored:
            stored.append(pair)
    if len(stored) > MAX_IDENTITIES:
        raise IdentityNotValid(f"A user may have at most {MAX_IDENTITIES} identities.")
    return stored


def _email_identity(value: str) -> str:
    address = normalise_email(value)
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        raise IdentityNotValid(f"'{value}' is not a valid email identity.") from None
    return address


def check_system_admin_change(*, caller_is_admin: bool, current: bool, requested: bool) -> None:
    """Only a system admin may grant or remove system admin (seed 004, PUT /parties/{id}/users);
    anyone allowed to update the user may send the flag unchanged."""
    if requested != current and not caller_is_admin:
        raise PermissionDenied("Only a system administrator may grant or remove system admin.")
