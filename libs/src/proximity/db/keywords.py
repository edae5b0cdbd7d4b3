"""``keywords`` on lists: every keyword must start a word of what the list searches, matched
through a GIN-indexed tsvector (as identity's party keywords are). Shared by the lists of
assets, entities, contracts and services."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, false, func, literal_column

_SIMPLE: ColumnElement[Any] = literal_column("'simple'::regconfig")
_WORD_BREAKS = re.compile(r"[\W_]+")


def words_query(keywords: str) -> str | None:
    """Every keyword must start a word of the name, as identity's party keywords do (each as
    PostgreSQL's parser splits it, or split at punctuation). None: no word left."""
    terms = []
    for keyword in keywords.lower().split():
        parts = [part for part in _WORD_BREAKS.split(keyword) if part]
        if parts:
            whole = keyword.replace("\\", "\\\\").replace("'", "''")
            split = " <-> ".join(f"'{part}':*" for part in parts)
            terms.append(split if parts == [keyword] else f"'{whole}':* | ({split})")
    return " & ".join(f"({term})" for term in terms) if terms else None


def matches_keywords(search_words: ColumnElement[Any], keywords: str) -> ColumnElement[bool]:
    words = words_query(keywords)
    if words is None:
        return false()
    return search_words.bool_op("@@")(func.to_tsquery(_SIMPLE, words))
