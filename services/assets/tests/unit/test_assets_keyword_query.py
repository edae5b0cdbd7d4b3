"""The keyword language of location search, compiled to a tsquery; mistakes say where."""

from __future__ import annotations

import pytest

from assets.search.keyword_query import InvalidKeywordQuery, compiled_tsquery


@pytest.mark.parametrize(
    ("keywords", "tsquery"),
    [
        ("calgary", "'calgary':*"),
        ("Main street", "('main':* & 'street':*)"),
        ("a AND b", "('a':* & 'b':*)"),
        ("a OR b c", "('a':* | ('b':* & 'c':*))"),
        ("NOT (a OR b)", "!('a':* | 'b':*)"),
        ("st-john's", "('st':* <-> 'john':* <-> 's':*)"),
    ],
)
def test_queries_compile(keywords: str, tsquery: str) -> None:
    assert compiled_tsquery(keywords) == tsquery


@pytest.mark.parametrize(
    ("keywords", "position"),
    [("(a OR b", 8), ("a OR", 5), (")", 1), ("a AND AND b", 7), ("NOT", 4), ("a (", 4), ("--", 1)],
)
def test_mistakes_say_where(keywords: str, position: int) -> None:
    with pytest.raises(InvalidKeywordQuery) as refused:
        compiled_tsquery(keywords)
    assert f"position {position}" in refused.value.message
