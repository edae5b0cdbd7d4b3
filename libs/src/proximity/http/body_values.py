"""Every value of a JSON body held against what the services can store and render.

orjson parses what PostgreSQL and the services cannot take: ``"\\u0000"`` in a value or a key,
integers up to 2**64 - 1 (and bigger ones turned silently into floats), and nesting up to
1024 levels, of which orjson itself renders only 254 back. What orjson refuses (a lone
surrogate, a number beyond a double) it refuses without saying where. Each is answered here
with the JSON path of the field (``addresses.0.city``), so no service ever sees one.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeAlias

from pydantic import BaseModel

from proximity.http.storable import BIGINT_MAX, INTEGER_RANGE, integer_fault, printable_name, text_fault

# Deeper than any body a service documents, and far below the 254 levels orjson can render
# again (a stored ``application_state`` is sent back as it came).
MAX_NESTING = 64
# orjson turns an integer literal beyond 64 bits into the nearest float: from there on only
# the literal knows it was an integer.
_FLOAT_FROM_BIG_INTEGER = float(BIGINT_MAX)
# Decimal digits of the largest bigint: a longer literal is out of range without parsing it.
_BIGINT_DIGITS = len(str(BIGINT_MAX))


@dataclass(frozen=True, slots=True)
class BodyFault:
    path: str
    problem: str


class _OversizedInteger:
    """An integer literal too long to be a bigint, kept unparsed."""


_OVERSIZED = _OversizedInteger()

# A path as a chain (parent, key): built in constant time per value, spelled out only for
# the one value that is refused.
_Path: TypeAlias = tuple["_Path", str | int] | None


def _spelled(path: _Path) -> str:
    parts: list[str] = []
    while path is not None:
        path, key = path
        parts.append(printable_name(str(key)))
    return ".".join(reversed(parts)) or "body"


def _fault(document: Any, *, max_nesting: int) -> tuple[BodyFault | None, bool]:
    """The first fault in document order, and whether a float may stand for an integer
    literal beyond 64 bits. Iterative, so depth never meets Python's recursion limit."""
    suspicious = False
    pending: list[tuple[int, _Path, Any]] = [(0, None, document)]
    while pending:
        depth, path, value = pending.pop()
        if depth > max_nesting:
            return BodyFault(_spelled(path), f"nests deeper than {max_nesting} levels"), suspicious
        if isinstance(value, str):
            problem = text_fault(value)
            if problem is not None:
                return BodyFault(_spelled(path), problem), suspicious
        elif isinstance(value, dict):
            for key in value:
                problem = text_fault(key)
                if problem is not None:
                    return BodyFault(_spelled((path, key)), f"the key {problem}"), suspicious
            pending.extend((depth + 1, (path, key), item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            pending.extend(
                (depth + 1, (path, index), item) for index, item in reversed(list(enumerate(value)))
            )
        elif value is _OVERSIZED:
            return BodyFault(_spelled(path), INTEGER_RANGE), suspicious
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int):
            problem = integer_fault(value)
            if problem is not None:
                return BodyFault(_spelled(path), problem), suspicious
        elif isinstance(value, float):
            if not math.isfinite(value):
                return BodyFault(_spelled(path), "must be a finite number"), suspicious
            if abs(value) >= _FLOAT_FROM_BIG_INTEGER:
                suspicious = True
    return None, suspicious


def _exact_integer(literal: str) -> int | _OversizedInteger:
    # Never int() on a long literal: beyond 4300 digits it raises, and it is slow before that.
    if len(literal.lstrip("-").lstrip("0")) > _BIGINT_DIGITS:
        return _OVERSIZED
    return int(literal)


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


class _Unparsable:
    """What the standard parser could not read either."""


_UNPARSABLE = _Unparsable()


def _literal_document(raw: bytes) -> Any:
    """``raw`` read by the standard parser, which keeps integer literals exact and takes the
    lone surrogates and huge numbers orjson refuses; ``_UNPARSABLE`` if it fails too."""
    try:
        return json.loads(raw, parse_int=_exact_integer, parse_constant=_no_constant)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return _UNPARSABLE


def body_fault(document: Any, raw: bytes, *, max_nesting: int = MAX_NESTING) -> BodyFault | None:
    """What in ``document`` (``raw`` as orjson parsed it) cannot be stored, or None."""
    found, suspicious = _fault(document, max_nesting=max_nesting)
    if found is not None or not suspicious:
        return found
    # Rare: a float beyond bigint, which may have been an integer literal: only the literal
    # knows. The nesting was bounded above, so this parse does not recurse deeply.
    literal = _literal_document(raw)
    return None if literal is _UNPARSABLE else _fault(literal, max_nesting=max_nesting)[0]


def refused_body_fault(raw: bytes, *, max_nesting: int = MAX_NESTING) -> BodyFault | None:
    """For a body orjson refused: the field to blame, if the refusal was a value (a lone
    surrogate, a number beyond a double) rather than broken JSON; else None (malformed)."""
    literal = _literal_document(raw)
    return None if literal is _UNPARSABLE else _fault(literal, max_nesting=max_nesting)[0]


def _instant_fault(value: datetime) -> str | None:
    if value.tzinfo is None:
        return None  # taken as UTC, the sessions' time zone: always within range
    try:
        value.astimezone(UTC)
    except OverflowError:
        return "must fall between years 1 and 9999 in UTC"
    return None


def model_fault(model: BaseModel) -> BodyFault | None:
    """What a validated body holds that PostgreSQL cannot keep although its JSON was fine:
    an integer beyond bigint (pydantic makes one of ``1e20`` or ``"99999999999999999999"``)
    or a date-time whose UTC instant is outside years 1-9999 (``9999-12-31T23:00-05:00``),
    which PostgreSQL would store but neither Python nor psycopg can read back."""
    pending: list[tuple[_Path, Any]] = [(None, model)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, BaseModel):
            names = reversed(list(type(value).model_fields))
            pending.extend(((path, name), getattr(value, name)) for name in names)
        elif isinstance(value, list | tuple):
            pending.extend(((path, index), value[index]) for index in range(len(value) - 1, -1, -1))
        elif isinstance(value, dict):
            pending.extend(((path, str(key)), item) for key, item in reversed(value.items()))
        elif isinstance(value, datetime):
            problem = _instant_fault(value)
            if problem is not None:
                return BodyFault(_spelled(path), problem)
        elif isinstance(value, int) and not isinstance(value, bool):
            problem = integer_fault(value)
            if problem is not None:
                return BodyFault(_spelled(path), problem)
    return None
