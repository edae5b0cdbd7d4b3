"""Reading the token out of ``Authorization``: bare (seed 004) or ``Bearer <token>``."""

from __future__ import annotations

import pytest

from proximity.auth.verifier import bearer_token


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("abc.def.ghi", "abc.def.ghi"),
        ("  abc.def.ghi  ", "abc.def.ghi"),
        ("Bearer abc.def.ghi", "abc.def.ghi"),
        ("bearer abc.def.ghi", "abc.def.ghi"),
        ("BEARER   abc.def.ghi ", "abc.def.ghi"),
    ],
)
def test_token_is_found(header: str, token: str) -> None:
    assert bearer_token(header) == token


@pytest.mark.parametrize(
    "header",
    [None, "", "   ", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc.def.ghi", "abc def"],
)
def test_no_token(header: str | None) -> None:
    assert bearer_token(header) is None
