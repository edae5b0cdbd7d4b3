"""The rules a party's own fields obey (seed 004, "Type: Party" and "Type: Party Profile")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from identity.domain.email_address import normalise_email
from identity.errors import ProfileKeyNotFound
from proximity.errors import ValidationFailed

NAME_MAX = 150
PROFILE_VALUE_MAX = 150
# The only profile keys seed 004 accepts; anything else is eProfileKeyNotFound.
PROFILE_KEYS = frozenset({"title", "dob", "is_operational"})
BASE_TYPES = ("user", "contact")

E164_PATTERN = r"^\+[1-9][0-9]{1,14}$"
_E164 = re.compile(E164_PATTERN)


def e164_phone(value: str) -> str:
    """``value`` if it is a valid phone number written in E.164 (``+14035551234``)."""
    if not _E164.fullmatch(value):
        raise ValueError("must be an E.164 phone number, e.g. +14035551234")
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        raise ValueError("must be an E.164 phone number, e.g. +14035551234") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("is not a valid phone number")
    return value


def checked_email(value: str) -> str:
    """The normal form of a syntactically valid address. No DNS lookups: a party's email is
    administrative contact data, and validating it must not depend on the network."""
    try:
        valid = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"is not a valid email address ({exc})") from None
    return normalise_email(valid.normalized)


def public_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("must be an http(s) URL")
    return value


def check_profile_keys(keys: Iterable[str]) -> None:
    """Every key must be one seed 004 documents, and each at most once."""
    seen: set[str] = set()
    for key in keys:
        if key not in PROFILE_KEYS:
            allowed = ", ".join(sorted(PROFILE_KEYS))
            raise ProfileKeyNotFound(f"Profile key '{key}' does not exist; use one of: {allowed}.")
        if key in seen:
            raise ValidationFailed(f"Profile key '{key}' is given more than once.", fields={"profile": key})
        seen.add(key)
