"""The ``filter`` language: tokens, parse trees, every kind of fault with its position, evaluation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from consent_builders import LATER, NOW, PRODUCT, USER, make

from consents.domain.errors import FilterSyntaxError
from consents.domain.filter_expression import And, Comparator, Compare, In, Not, Or, matches, parse_filter
from consents.domain.filter_tokens import MAX_LENGTH, TokenKind, tokenize
from consents.domain.states import ConsentState

JAN_1 = datetime(2024, 1, 1, tzinfo=UTC)


def test_tokens_carry_their_offsets() -> None:
    tokens = tokenize(' eq( type , "a,b" )|')
    assert [(t.kind, t.text, t.position) for t in tokens] == [
        (TokenKind.WORD, "eq", 1),
        (TokenKind.LPAREN, "(", 3),
        (TokenKind.WORD, "type", 5),
        (TokenKind.COMMA, ",", 10),
        (TokenKind.STRING, "a,b", 12),
        (TokenKind.RPAREN, ")", 18),
        (TokenKind.PIPE, "|", 19),
        (TokenKind.END, "", 20),
    ]


def test_quoted_values_unescape() -> None:
    assert tokenize(r'"say \"hi\" \\ bye"')[0].text == 'say "hi" \\ bye'


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("eq(state,given)", Compare(Comparator.EQ, "state", ConsentState.GIVEN)),
        ("ne(type,privacyPolicy)", Compare(Comparator.NE, "type", "privacyPolicy")),
        (
            "and(eq(state,given),eq(type,privacyPolicy))",
            And(
                (
                    Compare(Comparator.EQ, "state", ConsentState.GIVEN),
                    Compare(Comparator.EQ, "type", "privacyPolicy"),
                )
            ),
        ),
        ("or(eq(userId,a))", Or((Compare(Comparator.EQ, "userId", "a"),))),
        ("not(eq(contextUri,/p/1))", Not(Compare(Comparator.EQ, "contextUri", "/p/1"))),
        ("in(state,pending|stale)", In("state", (ConsentState.PENDING, ConsentState.STALE))),
        ("in(type,x)", In("type", ("x",))),
        ("lt(givenAt,2024-01-01T00:00:00Z)", Compare(Comparator.LT, "givenAt", JAN_1)),
        (
            "ge(document.revisedAt,2024-01-01T01:00:00+01:00)",
            Compare(Comparator.GE, "document.revisedAt", JAN_1),
        ),
        (' eq( document.uri , "/files/a(1),b" ) ', Compare(Comparator.EQ, "document.uri", "/files/a(1),b")),
        ('eq(_id,"")', Compare(Comparator.EQ, "_id", "")),
    ],
)
def test_good_expressions_parse(text: str, tree: object) -> None:
    assert parse_filter(text) == tree


def test_trees_are_frozen_and_hashable() -> None:
    tree = parse_filter("and(eq(state,given),not(in(type,a|b)))")
    assert hash(tree) == hash(parse_filter("and(eq(state,given),not(in(type,a|b)))"))


@pytest.mark.parametrize(
    ("text", "position", "fragment"),
    [
        ("", 0, "expected an operator"),
        ("   ", 3, "expected an operator"),
        ("(eq(state,given))", 0, "expected an operator"),
        ("foo(state,given)", 0, "unknown operator 'foo'"),
        ("eq", 2, "expected '(' after eq"),
        ("eq(state given)", 9, "expected ',' after the field"),
        ("eq(state,given", 14, "expected ')' to close eq("),
        ("eq(state,given))", 15, "unexpected ')' after the expression"),
        ("eq(state,given) eq(type,a)", 16, "unexpected 'eq' after the expression"),
        ("eq(,given)", 3, "expected a field name"),
        ("eq(color,red)", 3, "unknown field 'color'"),
        ("eq(state,)", 9, "expected a value"),
        ("eq(state,bogus)", 9, "'bogus' is not a consent state"),
        ("lt(type,a)", 3, "lt, le, gt and ge compare date-times; 'type' is not one"),
        ("gt(givenAt,yesterday)", 11, "'yesterday' is not an RFC 3339 date-time"),
        ("gt(givenAt,2024-01-01T00:00:00)", 11, "with an offset"),
        ("and()", 4, "expected an operator"),
        ("and(eq(type,a),)", 15, "expected an operator"),
        ("not(eq(type,a),eq(type,b))", 14, "expected ')' to close not("),
        ("in(type,a|)", 10, "expected a value"),
        ("in(type,a||b)", 10, "expected a value"),
        ('eq(type,"open)', 8, "unterminated quoted value"),
        (r'eq(type,"a\n")', 10, "may follow a backslash"),
        ('eq(type,a"b")', 9, "expected ')' to close eq("),
    ],
)
def test_each_fault_names_its_position(text: str, position: int, fragment: str) -> None:
    with pytest.raises(FilterSyntaxError) as raised:
        parse_filter(text)
    error = raised.value
    assert error.position == position
    assert fragment in error.message
    assert error.message.endswith(f"at position {position}")
    assert error.status == 400
    assert error.attributes == {"position": position, "filter": text}


def test_too_deep_and_too_long_are_refused() -> None:
    deep = "not(" * 40 + "eq(type,a)" + ")" * 40
    with pytest.raises(FilterSyntaxError, match="nest at most"):
        parse_filter(deep)
    with pytest.raises(FilterSyntaxError, match="longer than"):
        parse_filter("eq(type," + "a" * MAX_LENGTH + ")")


# --- evaluation --------------------------------------------------------------------------


def test_evaluation() -> None:
    given = make(ConsentState.GIVEN)  # given at NOW
    pending = make(type="privacyPolicy", context_uri=None)

    def both(text: str) -> tuple[bool, bool]:
        tree = parse_filter(text)
        return matches(tree, given), matches(tree, pending)

    assert both("eq(state,given)") == (True, False)
    assert both("and(eq(state,given),eq(type,privacyPolicy))") == (False, False)
    assert both("or(eq(state,given),eq(type,privacyPolicy))") == (True, True)
    assert both("not(eq(state,given))") == (False, True)
    assert both("in(state,pending|stale)") == (False, True)
    assert both("in(type,termsAndConditions|x)") == (True, False)
    assert both(f"eq(contextUri,{PRODUCT})") == (True, False)
    assert both(f"ne(contextUri,{PRODUCT})") == (False, True)  # no context equals nothing
    assert both(f"eq(userId,{USER.id})") == (True, True)
    assert both(f"eq(_id,{given.id})") == (True, False)
    assert both("eq(document.revisionId,2019:1.02.0)") == (True, True)
    assert both(f"eq(givenAt,{NOW.isoformat()})") == (True, False)
    assert both(f"lt(givenAt,{LATER.isoformat()})") == (True, False)  # a missing time matches no order
    assert both(f"le(givenAt,{NOW.isoformat()})") == (True, False)
    assert both(f"gt(givenAt,{NOW.isoformat()})") == (False, False)
    assert both(f"ge(givenAt,{NOW.isoformat()})") == (True, False)
    assert both("gt(document.revisedAt,2019-01-01T00:00:00Z)") == (True, True)
    assert both(f"in(givenAt,{NOW.isoformat()}|{LATER.isoformat()})") == (True, False)
    assert both("eq(requestRevokedAt,2019-01-01T00:00:00Z)") == (False, False)


def test_time_zones_compare_as_instants() -> None:
    given = make(ConsentState.GIVEN)
    assert matches(parse_filter("eq(givenAt,2026-01-01T13:00:00+01:00)"), given)
