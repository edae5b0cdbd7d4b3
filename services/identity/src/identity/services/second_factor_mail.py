"""The words of the second-factor emails: (subject, plain-text body)."""

from __future__ import annotations

ENABLE = "enable"
LOGIN = "login"


def email_code(code: str, *, purpose: str, ttl_seconds: int) -> tuple[str, str]:
    minutes = max(ttl_seconds // 60, 1)
    doing = "sign in to" if purpose == LOGIN else "turn on email codes for"
    body = (
        f"Your code to {doing} your Proximity account is:\n\n"
        f"    {code}\n\n"
        f"It works once, within {minutes} minutes. If you did not ask for it, someone may know "
        "your password: change it.\n"
    )
    subject = "Your Proximity sign-in code" if purpose == LOGIN else "Your Proximity verification code"
    return subject, body
