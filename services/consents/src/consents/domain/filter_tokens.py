"""The tokenizer of the ``filter`` language (see ``filter_expression``): words, quoted strings,
``( ) , |``, each with its 0-based offset in the expression."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from consents.domain.errors import FilterSyntaxError

MAX_LENGTH = 2000
_WORD_STOPS = frozenset('(),|"')


class TokenKind(StrEnum):
    WORD = "word"
    STRING = "string"
    LPAREN = "("
    RPAREN = ")"
    COMMA = ","
    PIPE = "|"
    END = "end"


_PUNCTUATION = {
    kind.value: kind for kind in (TokenKind.LPAREN, TokenKind.RPAREN, TokenKind.COMMA, TokenKind.PIPE)
}


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    text: str
    position: int

    def describe(self) -> str:
        if self.kind is TokenKind.END:
            return "the end of the filter"
        if self.kind is TokenKind.STRING:
            return f'"{self.text}"'
        return f"'{self.text}'"


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_LENGTH:
        message = f"the filter is longer than {MAX_LENGTH} characters"
        raise FilterSyntaxError(message, position=MAX_LENGTH, expression=text)
    tokens: list[Token] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char.isspace():
            index += 1
        elif char in _PUNCTUATION:
            tokens.append(Token(_PUNCTUATION[char], char, index))
            index += 1
        elif char == '"':
            value, index = _string(text, index)
            tokens.append(value)
        else:
            start = index
            while index < len(text) and not text[index].isspace() and text[index] not in _WORD_STOPS:
                index += 1
            tokens.append(Token(TokenKind.WORD, text[start:index], start))
    tokens.append(Token(TokenKind.END, "", len(text)))
    return tokens


def _string(text: str, start: int) -> tuple[Token, int]:
    """The quoted string opening at ``start`` and the offset just after its closing quote."""
    chars: list[str] = []
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == '"':
            return Token(TokenKind.STRING, "".join(chars), start), index + 1
        if char == "\\":
            if index + 1 >= len(text) or text[index + 1] not in '"\\':
                message = 'only \\" and \\\\ may follow a backslash in a quoted value'
                raise FilterSyntaxError(message, position=index, expression=text)
            index += 1
        chars.append(text[index])
        index += 1
    raise FilterSyntaxError("unterminated quoted value", position=start, expression=text)
