"""The keyword language of ``GET /search/locations`` (seed 004 "The Keywords Filter").

    query   := or
    or      := and ("OR" and)*
    and     := unary (["AND"] unary)*        # words side by side are ANDed
    unary   := "NOT" unary | "(" or ")" | word

Operators are the upper-case words AND, OR, NOT; a word matches the start of a word of the
searched text. A mistake is ``InvalidKeywordQuery`` with the 1-based character position
where it was found. The parsed query compiles to a PostgreSQL ``tsquery``. A grammar is a
mechanism, not a rule of the domain: when heatmaps parse the same language, this moves to libs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from proximity.errors import ProximityError

MAX_TERMS = 50
_TOKEN = re.compile(r"\s*(?:(\()|(\))|([^\s()]+))")
_WORD_BREAKS = re.compile(r"[\W_]+")


class InvalidKeywordQuery(ProximityError):
    code = "eInvalidKeywordQuery"
    message = "There was an error in your keyword query."


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    position: int  # 1-based


def _tokens(query: str) -> list[Token]:
    found: list[Token] = []
    index = 0
    while index < len(query):
        match = _TOKEN.match(query, index)
        if match is None or match.end() == index:
            break
        start = match.start(match.lastindex or 0)
        found.append(Token(match.group(match.lastindex or 0), start + 1))
        index = match.end()
    return found


class _Parser:
    def __init__(self, query: str) -> None:
        self.tokens = _tokens(query)
        self.at = 0
        self.end = len(query) + 1
        self.terms = 0

    def _peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _fail(self, what: str, token: Token | None) -> InvalidKeywordQuery:
        position = token.position if token is not None else self.end
        return InvalidKeywordQuery(f"{what} at position {position} of the keywords.")

    def parse(self) -> str:
        if not self.tokens:
            raise self._fail("Nothing to search for", None)
        compiled = self._or()
        leftover = self._peek()
        if leftover is not None:
            raise self._fail(f"Unexpected '{leftover.text}'", leftover)
        return compiled

    def _or(self) -> str:
        parts = [self._and()]
        while (token := self._peek()) is not None and token.text == "OR":
            self.at += 1
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"

    def _and(self) -> str:
        parts = [self._unary()]
        while (token := self._peek()) is not None and token.text not in ("OR", ")"):
            if token.text == "AND":
                self.at += 1
            parts.append(self._unary())
        return parts[0] if len(parts) == 1 else "(" + " & ".join(parts) + ")"

    def _unary(self) -> str:
        token = self._peek()
        if token is None:
            raise self._fail("A word or '(' is missing", None)
        if token.text == "NOT":
            self.at += 1
            return f"!{self._unary()}"
        if token.text == "(":
            self.at += 1
            inner = self._or()
            closing = self._peek()
            if closing is None or closing.text != ")":
                raise self._fail("')' is missing", closing)
            self.at += 1
            return inner
        if token.text in (")", "AND", "OR"):
            raise self._fail(f"Unexpected '{token.text}'", token)
        self.at += 1
        return self._word(token)

    def _word(self, token: Token) -> str:
        parts = [part for part in _WORD_BREAKS.split(token.text.lower()) if part]
        if not parts:
            raise self._fail(f"'{token.text}' has no letters or digits", token)
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise self._fail(f"More than {MAX_TERMS} words", token)
        split = " <-> ".join(f"'{part}':*" for part in parts)
        return split if len(parts) == 1 else f"({split})"


def compiled_tsquery(keywords: str) -> str:
    """The ``tsquery`` text of ``keywords``, or ``InvalidKeywordQuery``."""
    return _Parser(keywords).parse()
