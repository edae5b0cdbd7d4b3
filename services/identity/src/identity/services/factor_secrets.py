"""Keeping second-factor secrets unreadable at rest: TOTP secrets encrypted (Fernet), mailed
codes and high-entropy codes hashed. Both derive from the ``second_factor_key`` setting."""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet

from identity.config import IdentitySettings


def _derived(settings: IdentitySettings, purpose: bytes) -> bytes:
    return hmac.new(settings.second_factor_key.get_secret_value().encode(), purpose, hashlib.sha256).digest()


def _fernet(settings: IdentitySettings) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derived(settings, b"totp-secret")))


def seal(settings: IdentitySettings, secret: str) -> str:
    return _fernet(settings).encrypt(secret.encode()).decode()


def unseal(settings: IdentitySettings, sealed: str) -> str:
    return _fernet(settings).decrypt(sealed.encode()).decode()


def code_hash(settings: IdentitySettings, scope: str, code: str) -> str:
    """A keyed hash of a six-digit code: without the key, a stolen table does not give the code
    back (there are only a million of them). ``scope`` (the user) makes equal codes differ."""
    return hmac.new(_derived(settings, b"email-otp"), f"{scope}:{code}".encode(), hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    """SHA-256 of a high-entropy token (challenges, recovery codes): found by index."""
    return hashlib.sha256(token.encode()).hexdigest()
