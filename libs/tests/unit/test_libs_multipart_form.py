"""A multipart part's filename is something to show, never a path."""

from __future__ import annotations

import pytest

from proximity.http.multipart_form import safe_filename


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("lease.pdf", "lease.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\plan.dwg", "plan.dwg"),
        ("..", "document"),
        ("", "document"),
        ("bell\x07\x00.txt", "bell.txt"),
        ('say "hi".txt', "say 'hi'.txt"),
        ("é" * 300, "é" * 255),
    ],
)
def test_safe_filename(given: str, kept: str) -> None:
    assert safe_filename(given) == kept
