"""Email identities compare case-insensitively; they are stored in one normal form."""

from __future__ import annotations


def normalise_email(value: str) -> str:
    return value.strip().lower()
