"""Seed 000's client credentials: ``Proxy-Authorization: Basic base64(id):base64(secret)``.

The gateway accepts them instead of ``X-Client-Key``, and identity checks them. The seed
encodes id and secret separately; the standard Basic form, ``base64(id:secret)``, is read too.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field

MAX_HEADER_LENGTH = 1024


@dataclass(frozen=True, slots=True)
class ClientCredentials:
    client_id: str
    # Never shown by repr: a stray log of the parsed value must not carry the secret.
    secret: str = field(repr=False)


def _decoded(part: str) -> str | None:
    try:
        return base64.b64decode(part.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def parse_client_credentials(header: str | None) -> ClientCredentials | None:
    """The credentials a ``Basic`` header carries, or None if it is not a well-formed one."""
    if not header or len(header) > MAX_HEADER_LENGTH:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "basic" or not value.strip():
        return None
    encoded_id, separator, encoded_secret = value.strip().partition(":")
    if separator:
        client_id, secret = _decoded(encoded_id), _decoded(encoded_secret)
    else:
        joined = _decoded(encoded_id) or ""
        client_id, _, secret = joined.partition(":")
    if not client_id or not secret:
        return None
    return ClientCredentials(client_id, secret)
