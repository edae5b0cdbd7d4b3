"""The opaque ``cursor`` of a keyset page: where the previous page ended, in one sort order.

It holds the page number it leads to, the sort it was made for and the last row's sort-key
values (text, integers, booleans, UUIDs, timestamps, kept with their type so they bind to
SQL as such). A cursor from another sort, or one a client edited into nonsense, is a 400
``eValidationError`` naming ``cursor``, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from proximity.errors import ValidationFailed

MAX_CURSOR_LENGTH = 2000


@dataclass(frozen=True, slots=True)
class Position:
    """The row a page continues after, and the number of the page it starts."""

    page: int
    values: tuple[Any, ...]


def _tagged(value: Any) -> list[Any]:
    if value is None:
        return ["n", None]
    if isinstance(value, bool):
        return ["b", value]
    if isinstance(value, int):
        return ["i", value]
    if isinstance(value, uuid.UUID):
        return ["u", str(value)]
    if isinstance(value, datetime):
        return ["d", value.isoformat()]
    if isinstance(value, str):
        return ["s", value]
    raise TypeError(f"a sort key of type {type(value).__name__} cannot go in a cursor")


def _untagged(item: Any) -> Any:
    tag, value = item
    if tag == "n" and value is None:
        return None
    if tag == "b" and isinstance(value, bool):
        return value
    if tag == "i" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if tag == "u" and isinstance(value, str):
        return uuid.UUID(value)
    if tag == "d" and isinstance(value, str):
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError("naive time")
        return parsed
    if tag == "s" and isinstance(value, str):
        return value
    raise ValueError(f"bad value {tag!r}")


def encode_cursor(sort_signature: str, position: Position) -> str:
    payload = {"s": sort_signature, "p": position.page, "k": [_tagged(v) for v in position.values]}
    return base64.urlsafe_b64encode(orjson.dumps(payload)).decode().rstrip("=")


def _invalid() -> ValidationFailed:
    return ValidationFailed(
        "'cursor' is not one this list gave for this sort; start again without it.",
        fields={"cursor": "invalid"},
    )


def decode_cursor(raw: str, sort_signature: str, key_count: int) -> Position:
    """The position ``raw`` names, if it was made for this sort and has one value per key."""
    try:
        payload = orjson.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        if not isinstance(payload, dict) or payload.get("s") != sort_signature:
            raise ValueError("another sort")
        page, keys = payload.get("p"), payload.get("k")
        if not isinstance(page, int) or isinstance(page, bool) or page < 1 or not isinstance(keys, list):
            raise ValueError("bad shape")
        if len(keys) != key_count or not all(isinstance(k, list) and len(k) == 2 for k in keys):
            raise ValueError("bad keys")
        return Position(page, tuple(_untagged(k) for k in keys))
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
        raise _invalid() from None


def sort_signature(fields: Sequence[tuple[str, str]]) -> str:
    """``name:asc,created:desc``: a cursor is valid only for the sort it was made in."""
    return ",".join(f"{name}:{direction}" for name, direction in fields)
