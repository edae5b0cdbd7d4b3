"""Integers in query strings (``page``, ``per_page``, ``start``, ``limit``...), read strictly.

``int()`` alone takes ``" 7"``, ``"7_0"`` and Arabic-Indic digits, and refuses a literal over
4300 digits with the same ``ValueError`` as a typo only after scanning it. Only ASCII digits
with an optional sign are integers here, and a literal longer than any bigint is never
parsed: it stands for a value out of every range a parameter allows.
"""

from __future__ import annotations

import re

from proximity.http.storable import BIGINT_MAX

_INTEGER = re.compile(r"[+-]?[0-9]+")
_BIGINT_DIGITS = len(str(BIGINT_MAX))
# Beyond bigint, negated too (-(BIGINT_MAX + 1) would be BIGINT_MIN), so outside any range a
# parameter allows, whatever its bounds.
OUT_OF_RANGE = 2 * (BIGINT_MAX + 1)


def query_integer(raw: str) -> int | None:
    """The integer ``raw`` spells, ``±OUT_OF_RANGE`` if it is longer than a bigint, or None
    if it is not an integer at all."""
    if _INTEGER.fullmatch(raw) is None:
        return None
    sign = -1 if raw.startswith("-") else 1
    # Leading zeros count towards int()'s digit limit too.
    digits = raw.lstrip("+-").lstrip("0") or "0"
    if len(digits) > _BIGINT_DIGITS:
        return sign * OUT_OF_RANGE
    return sign * int(digits)
