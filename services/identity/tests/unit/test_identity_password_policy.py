"""The password policy: each rule, with the message a user sees."""

from __future__ import annotations

import pytest

from identity.domain.password_policy import (
    COMMON_PASSWORDS,
    MAX_LENGTH,
    MIN_LENGTH,
    ensure_acceptable,
    violation,
)
from identity.errors import InvalidPassword


@pytest.mark.parametrize(
    "password",
    ["correct-horse-battery", "Tr0ub4dor&3x", "a" * 9 + "1", "ÄÖÜäöüßéèê1", "x1" * (MAX_LENGTH // 2)],
)
def test_acceptable_passwords(password: str) -> None:
    assert violation(password, email="ada@example.com") is None


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("", "at least 10"),
        ("Abc-12345", "at least 10"),
        ("x1" * (MAX_LENGTH // 2) + "y", "at most 1024"),
        ("abcdefghijkl", "two kinds"),
        ("ABCDEFGHIJKL", "two kinds"),
        ("123456789012", "two kinds"),
        ("!@#$%^&*()_+", "two kinds"),
        ("Ada@Example.com", "email address"),
        ("QWERTY12345", "too common"),
        ("password123", "too common"),
    ],
)
def test_each_rule_names_itself(password: str, says: str) -> None:
    problem = violation(password, email="ada@example.com")
    assert problem is not None
    assert says in problem


def test_without_an_email_only_the_other_rules_apply() -> None:
    assert violation("ada@example.com") is None


def test_the_limits_are_the_documented_ones() -> None:
    assert (MIN_LENGTH, MAX_LENGTH) == (10, 1024)
    assert violation("a" * (MIN_LENGTH - 2) + "1") is not None
    assert violation("a" * (MIN_LENGTH - 1) + "1") is None


def test_the_common_list_holds_only_lowercase_entries_long_enough_to_matter() -> None:
    assert all(p == p.lower() and len(p) >= MIN_LENGTH for p in COMMON_PASSWORDS)


def test_ensure_acceptable_raises_the_documented_error() -> None:
    with pytest.raises(InvalidPassword) as raised:
        ensure_acceptable("short1", email=None)
    assert (raised.value.code, raised.value.status) == ("eInvalidPassword", 400)
    assert "at least 10" in raised.value.message
    ensure_acceptable("long-enough-1")
