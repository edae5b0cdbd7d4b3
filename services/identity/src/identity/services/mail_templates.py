"""The words of the emails identity sends: (subject, plain-text body)."""

from __future__ import annotations


def _minutes(seconds: int) -> int:
    return max(seconds // 60, 1)


def password_reset(link: str, *, ttl_seconds: int) -> tuple[str, str]:
    body = (
        "Someone asked to reset the password of your Proximity account.\n\n"
        f"To choose a new password, open this link within {_minutes(ttl_seconds)} minutes:\n\n"
        f"{link}\n\n"
        "The link works once. If you did not ask for this, ignore this email: "
        "your password stays as it is.\n"
    )
    return "Reset your Proximity password", body


def guest_login(link: str, *, ttl_seconds: int) -> tuple[str, str]:
    body = (
        "Use this link to sign in to Proximity as a guest "
        f"within {_minutes(ttl_seconds)} minutes:\n\n"
        f"{link}\n\n"
        "The link works once. If you did not ask for it, ignore this email.\n"
    )
    return "Your Proximity sign-in link", body
