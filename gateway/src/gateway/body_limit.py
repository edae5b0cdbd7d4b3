"""Request-body limits, enforced without holding the body in memory.

A declared ``Content-Length`` over the limit is refused before a byte is read; a body
without one (chunked) is counted as it streams through and cut off once it passes the limit.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator

from proximity.errors import PayloadTooLarge, ValidationFailed


class BodyTooLarge(PayloadTooLarge):
    """Raised from inside the forwarded body stream; the proxy turns it into a 413."""


def declared_length(header: str | None, limit: int) -> int | None:
    """The ``Content-Length`` the client declared (None if absent), checked against ``limit``."""
    if header is None:
        return None
    value = header.strip()
    if not value.isdigit() or len(value) > 19:
        raise ValidationFailed("Content-Length is not a valid length.", code="eBadContentLength")
    length = int(value)
    if length > limit:
        raise PayloadTooLarge(f"The request body is larger than {limit} bytes.")
    return length


async def limited(chunks: AsyncIterable[bytes], limit: int) -> AsyncIterator[bytes]:
    """Pass ``chunks`` through, raising ``BodyTooLarge`` once more than ``limit`` bytes came."""
    seen = 0
    async for chunk in chunks:
        seen += len(chunk)
        if seen > limit:
            raise BodyTooLarge(f"The request body is larger than {limit} bytes.")
        if chunk:
            yield chunk
