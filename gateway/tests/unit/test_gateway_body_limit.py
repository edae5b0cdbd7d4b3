"""Body-limit arithmetic: declared lengths and counted streams."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from gateway.body_limit import BodyTooLarge, declared_length, limited
from proximity.errors import PayloadTooLarge, ValidationFailed


def test_declared_length_up_to_the_limit_passes() -> None:
    assert declared_length(None, 10) is None
    assert declared_length("0", 10) == 0
    assert declared_length("10", 10) == 10
    assert declared_length(" 7 ", 10) == 7


def test_declared_length_over_the_limit_is_413() -> None:
    with pytest.raises(PayloadTooLarge):
        declared_length("11", 10)
    with pytest.raises(PayloadTooLarge):
        declared_length("1" * 19, 10 * 2**20)


@pytest.mark.parametrize("header", ["", "abc", "-1", "1.5", "0x10", "1" * 20, "1,2"])
def test_malformed_declared_length_is_400(header: str) -> None:
    with pytest.raises(ValidationFailed):
        declared_length(header, 10)


async def feed(*chunks: bytes) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


async def collect(chunks: AsyncIterator[bytes]) -> list[bytes]:
    return [chunk async for chunk in chunks]


async def test_stream_up_to_the_limit_passes_unchanged() -> None:
    assert await collect(limited(feed(b"abc", b"", b"defg"), 7)) == [b"abc", b"defg"]
    assert await collect(limited(feed(), 0)) == []
    assert await collect(limited(feed(b""), 0)) == []


async def test_stream_is_cut_at_the_chunk_that_passes_the_limit() -> None:
    stream = limited(feed(b"abc", b"defg", b"h", b"never"), 7)
    assert await anext(stream) == b"abc"
    assert await anext(stream) == b"defg"
    with pytest.raises(BodyTooLarge):
        await anext(stream)


async def test_one_byte_over_is_too_much() -> None:
    with pytest.raises(BodyTooLarge):
        await collect(limited(feed(b"x" * 8), 7))
    with pytest.raises(BodyTooLarge):
        await collect(limited(feed(b"x"), 0))
