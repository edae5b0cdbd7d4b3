"""The other list parameters of ``GET /consents``: ``sortBy`` and the ``|`` alternatives of
``type``, ``state``, ``userId`` and ``contextUri``.

A value that is not well formed (an empty field or alternative) is a 400 ``MalformedQuery``;
a well-formed value that is not allowed (an unknown field or state) is a 422
``InvalidQueryValue``, as seed 001 separates them.
"""

from __future__ import annotations

from dataclasses import dataclass

from consents.domain.consent_fields import FIELDS
from consents.domain.errors import InvalidQueryValue, MalformedQuery
from consents.domain.states import ConsentState

_STATES = frozenset(state.value for state in ConsentState)


@dataclass(frozen=True, slots=True)
class SortKey:
    field: str
    descending: bool = False


def parse_sort(raw: str | None) -> tuple[SortKey, ...]:
    """``sortBy=field1,-field2``: ``-`` sorts descending, ``+`` (or nothing) ascending."""
    if raw is None or not raw.strip():
        return ()
    keys: list[SortKey] = []
    for part in raw.split(","):
        item = part.strip()
        descending = item.startswith("-")
        name = item[1:] if item[:1] in ("-", "+") else item
        if not name or name[:1] in ("-", "+"):
            raise MalformedQuery(
                f"sortBy has an empty or malformed field: '{part}'",
                attributes={"parameter": "sortBy", "value": raw},
                remediation="Use a comma-separated list of fields, each optionally prefixed by - or +.",
            )
        if name not in FIELDS:
            raise InvalidQueryValue(
                f"Cannot sort by '{name}'.",
                attributes={"parameter": "sortBy", "value": name, "allowed": list(FIELDS)},
            )
        if any(key.field == name for key in keys):
            raise InvalidQueryValue(
                f"sortBy names '{name}' twice.", attributes={"parameter": "sortBy", "value": name}
            )
        keys.append(SortKey(name, descending))
    return tuple(keys)


def parse_alternatives(raw: str | None, *, parameter: str) -> tuple[str, ...]:
    """``?type=privacyPolicy|electronicConsent``: the values, in order, without repeats."""
    if raw is None:
        return ()
    values: list[str] = []
    for part in raw.split("|"):
        value = part.strip()
        if not value:
            raise MalformedQuery(
                f"{parameter} has an empty alternative: '{raw}'",
                attributes={"parameter": parameter, "value": raw},
                remediation="Separate non-empty values with |.",
            )
        if value not in values:
            values.append(value)
    return tuple(values)


def parse_states(raw: str | None) -> tuple[ConsentState, ...]:
    """``?state=given|stale``."""
    values = parse_alternatives(raw, parameter="state")
    unknown = [value for value in values if value not in _STATES]
    if unknown:
        raise InvalidQueryValue(
            f"Not a consent state: {', '.join(unknown)}.",
            attributes={"parameter": "state", "value": unknown, "allowed": [s.value for s in ConsentState]},
        )
    return tuple(ConsentState(value) for value in values)
