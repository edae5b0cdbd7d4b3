"""What a new password must be: long enough, not absurdly long, not one kind of character only,
not the account's own email, and not one of the passwords every guessing list starts with.

``violation`` returns the first rule broken as a sentence for the user, or None.
"""

from __future__ import annotations

from identity.errors import InvalidPassword

MIN_LENGTH = 10
MAX_LENGTH = 1024

# Lowercased; only entries of MIN_LENGTH or more matter, shorter ones fail on length first.
COMMON_PASSWORDS = frozenset(
    {
        "1234567890",
        "12345678910",
        "123456789a",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "password1!",
        "password12",
        "password123",
        "password1234",
        "passw0rd123",
        "p@ssw0rd123",
        "qwerty1234",
        "qwerty12345",
        "qwerty123456",
        "qwertyuiop1",
        "qwertyuiop123",
        "iloveyou123",
        "iloveyou12",
        "welcome123",
        "welcome1234",
        "letmein123",
        "letmein1234",
        "abc1234567",
        "abcd123456",
        "abcdef1234",
        "admin12345",
        "admin123456",
        "administrator1",
        "changeme123",
        "football123",
        "baseball123",
        "sunshine123",
        "princess123",
        "monkey12345",
        "dragon12345",
        "trustno1234",
        "superman123",
        "starwars123",
        "zaq12wsxcde",
        "asdfghjkl1",
        "zxcvbnm123",
        "987654321a",
        "a123456789",
    }
)


def _character_classes(password: str) -> int:
    classes = (str.islower, str.isupper, str.isdigit)
    counted = sum(any(test(c) for c in password) for test in classes)
    others = any(not (c.islower() or c.isupper() or c.isdigit()) for c in password)
    return counted + others


def violation(password: str, *, email: str | None = None) -> str | None:
    """The first rule ``password`` breaks, in words a user can act on; None if it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"The password must be at least {MIN_LENGTH} characters long."
    if len(password) > MAX_LENGTH:
        return f"The password must be at most {MAX_LENGTH} characters long."
    if _character_classes(password) < 2:
        return (
            "The password must mix at least two kinds of characters "
            "(lower case, upper case, digits, symbols)."
        )
    if email and password.strip().lower() == email.strip().lower():
        return "The password must not be the account's email address."
    if password.lower() in COMMON_PASSWORDS:
        return "The password is too common; choose one that is harder to guess."
    return None


def ensure_acceptable(password: str, *, email: str | None = None) -> None:
    """Raise ``InvalidPassword`` (400 ``eInvalidPassword``) naming the rule ``password`` breaks."""
    problem = violation(password, email=email)
    if problem is not None:
        raise InvalidPassword(problem)
