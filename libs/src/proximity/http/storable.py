"""What PostgreSQL can hold, checked before a client's value gets near SQL.

Text must not contain NUL (PostgreSQL refuses it in ``text``, ``varchar`` and ``jsonb``) nor a
lone surrogate (UTF-8 cannot encode one, so psycopg fails before the query is even sent), and
an integer must fit a signed 64-bit ``bigint``. A value breaking these would otherwise reach
the database and come back as a 500.
"""

from __future__ import annotations

import re

BIGINT_MIN = -(2**63)
BIGINT_MAX = 2**63 - 1

INTEGER_RANGE = "must be an integer between -9223372036854775808 and 9223372036854775807"

_UNSTORABLE_CHARACTER = re.compile("[\x00\ud800-\udfff]")


def text_fault(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None when it can."""
    found = _UNSTORABLE_CHARACTER.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return "must not contain the NUL character"
    return "must not contain a lone surrogate"


def integer_fault(value: int) -> str | None:
    """Why ``value`` cannot be stored as an integer, or None when it can."""
    if BIGINT_MIN <= value <= BIGINT_MAX:
        return None
    return INTEGER_RANGE


def printable_name(name: str) -> str:
    """``name`` (a field or parameter a client sent) safe to echo in an error body: the
    characters that cannot be stored cannot be rendered as JSON either."""
    return _UNSTORABLE_CHARACTER.sub("\ufffd", name)
