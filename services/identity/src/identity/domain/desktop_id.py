"""Desktop ids (seed 002): an identity a desktop tool logs in with when it does not know the
user's email. Stored as given (trimmed): ids are opaque, and case may matter to the tool."""

from __future__ import annotations

from identity.errors import IdentityNotValid

DESKTOP_ID = "desktop_id"
MAX_LENGTH = 200


def normalise_desktop_id(value: str) -> str:
    """The stored form of a desktop id; ``IdentityNotValid`` if it cannot be one."""
    stored = value.strip()
    if not stored or len(stored) > MAX_LENGTH or not stored.isprintable():
        raise IdentityNotValid(f"A desktop id must be 1 to {MAX_LENGTH} printable characters.")
    return stored
