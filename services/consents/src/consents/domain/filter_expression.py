"""The ``filter`` query parameter of ``GET /consents``: a small prefix-call language.

::

    expression := and(expression, expression, ...)     all hold
                | or(expression, expression, ...)      one holds
                | not(expression)
                | eq(field, value) | ne(field, value)
                | lt(field, value) | le(field, value) | gt(field, value) | ge(field, value)
                | in(field, value|value|...)
    value      := word | "quoted string"              (\\" and \\\\ escape inside quotes)

A word is any run of characters other than white space, ``( ) , | "``; quote a value that
holds one of those. Fields are the allow-list of ``consent_fields``; ``state`` takes a consent
state, date-time fields an RFC 3339 time with an offset (``2019-07-23T13:27:34Z``), and only
date-time fields take ``lt/le/gt/ge``. A missing ``contextUri`` or time stamp equals nothing.

Example: ``and(eq(state,given),in(type,privacyPolicy|electronicConsent),gt(givenAt,2024-01-01T00:00:00Z))``

Any fault raises ``FilterSyntaxError`` with the 0-based offset where it was found (400).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NoReturn

from consents.domain.consent import Consent
from consents.domain.consent_fields import FIELDS, FieldKind, field_value
from consents.domain.errors import FilterSyntaxError
from consents.domain.filter_tokens import Token, TokenKind, tokenize
from consents.domain.states import ConsentState

MAX_DEPTH = 32


class Comparator(StrEnum):
    EQ = "eq"
    NE = "ne"
    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"


_COMPARATORS = frozenset(op.value for op in Comparator)
_ORDERING = frozenset({Comparator.LT, Comparator.LE, Comparator.GT, Comparator.GE})
_STATES = frozenset(state.value for state in ConsentState)

Value = str | datetime  # a state is a ConsentState, which is a str


@dataclass(frozen=True, slots=True)
class Compare:
    op: Comparator
    field: str
    value: Value


@dataclass(frozen=True, slots=True)
class In:
    field: str
    values: tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple[Expression, ...]


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple[Expression, ...]


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expression


Expression = Compare | In | And | Or | Not


def parse_filter(text: str) -> Expression:
    return _Parser(text).parse()


def matches(expression: Expression, consent: Consent) -> bool:
    """Whether ``consent`` satisfies ``expression``."""
    match expression:
        case And(operands):
            return all(matches(operand, consent) for operand in operands)
        case Or(operands):
            return any(matches(operand, consent) for operand in operands)
        case Not(operand):
            return not matches(operand, consent)
        case In(name, values):
            return field_value(name, consent) in values
        case Compare(op, name, value):
            return _compare(op, field_value(name, consent), value)


def _compare(op: Comparator, actual: str | datetime | None, value: Value) -> bool:
    if op is Comparator.EQ:
        return actual == value
    if op is Comparator.NE:
        return actual != value
    if not isinstance(actual, datetime) or not isinstance(value, datetime):
        return False  # a missing time stamp is neither before nor after anything
    if op is Comparator.LT:
        return actual < value
    if op is Comparator.LE:
        return actual <= value
    if op is Comparator.GT:
        return actual > value
    return actual >= value


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0

    def parse(self) -> Expression:
        expression = self._expression(depth=1)
        token = self._peek()
        if token.kind is not TokenKind.END:
            self._fail(f"unexpected {token.describe()} after the expression", token)
        return expression

    def _expression(self, depth: int) -> Expression:
        token = self._take()
        if token.kind is not TokenKind.WORD:
            self._fail(f"expected an operator such as eq or and, found {token.describe()}", token)
        if depth > MAX_DEPTH:
            self._fail(f"expressions nest at most {MAX_DEPTH} deep", token)
        name = token.text
        self._expect(TokenKind.LPAREN, f"'(' after {name}")
        result: Expression
        if name in ("and", "or"):
            operands = [self._expression(depth + 1)]
            while self._accept(TokenKind.COMMA):
                operands.append(self._expression(depth + 1))
            result = And(tuple(operands)) if name == "and" else Or(tuple(operands))
        elif name == "not":
            result = Not(self._expression(depth + 1))
        elif name == "in":
            field, kind = self._field()
            self._expect(TokenKind.COMMA, "',' after the field")
            values = [self._value(kind)]
            while self._accept(TokenKind.PIPE):
                values.append(self._value(kind))
            result = In(field, tuple(values))
        elif name in _COMPARATORS:
            op = Comparator(name)
            field, kind = self._field(ordering=op in _ORDERING)
            self._expect(TokenKind.COMMA, "',' after the field")
            result = Compare(op, field, self._value(kind))
        else:
            self._fail(f"unknown operator '{name}' (use and, or, not, eq, ne, lt, le, gt, ge, in)", token)
        self._expect(TokenKind.RPAREN, f"')' to close {name}(")
        return result

    def _field(self, *, ordering: bool = False) -> tuple[str, FieldKind]:
        token = self._take()
        if token.kind is not TokenKind.WORD:
            self._fail(f"expected a field name, found {token.describe()}", token)
        if token.text not in FIELDS:
            self._fail(f"unknown field '{token.text}' (filterable: {', '.join(FIELDS)})", token)
        kind = FIELDS[token.text][0]
        if ordering and kind is not FieldKind.TIMESTAMP:
            self._fail(f"lt, le, gt and ge compare date-times; '{token.text}' is not one", token)
        return token.text, kind

    def _value(self, kind: FieldKind) -> Value:
        token = self._take()
        if token.kind not in (TokenKind.WORD, TokenKind.STRING):
            self._fail(f"expected a value, found {token.describe()}", token)
        if kind is FieldKind.STATE:
            if token.text not in _STATES:
                states = ", ".join(ConsentState)
                self._fail(f"'{token.text}' is not a consent state ({states})", token)
            return ConsentState(token.text)
        if kind is FieldKind.TIMESTAMP:
            try:
                moment = datetime.fromisoformat(token.text)
            except ValueError:
                moment = None
            if moment is None or moment.tzinfo is None:
                self._fail(f"'{token.text}' is not an RFC 3339 date-time with an offset", token)
            return moment
        return token.text

    def _peek(self) -> Token:
        return self.tokens[self.index]

    def _take(self) -> Token:
        token = self.tokens[self.index]
        if token.kind is not TokenKind.END:
            self.index += 1
        return token

    def _accept(self, kind: TokenKind) -> bool:
        if self._peek().kind is kind:
            self.index += 1
            return True
        return False

    def _expect(self, kind: TokenKind, what: str) -> None:
        token = self._take()
        if token.kind is not kind:
            self._fail(f"expected {what}, found {token.describe()}", token)

    def _fail(self, message: str, token: Token) -> NoReturn:
        raise FilterSyntaxError(message, position=token.position, expression=self.text)
