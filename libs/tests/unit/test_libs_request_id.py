"""A client's own request id is kept if sane, replaced otherwise."""

from __future__ import annotations

import uuid

import pytest

from proximity.observability.request_context import request_id_of


def scope(*headers: tuple[bytes, bytes]) -> dict[str, object]:
    return {"type": "http", "headers": list(headers)}


@pytest.mark.parametrize("given", [b"abcdefgh", b"req-2024.05:01_x", str(uuid.uuid4()).encode(), b"A" * 128])
def test_valid_incoming_id_is_kept(given: bytes) -> None:
    assert request_id_of(scope((b"accept", b"*/*"), (b"x-request-id", given))) == given.decode()


@pytest.mark.parametrize(
    "given",
    [
        b"",
        b"short",
        b"A" * 129,
        b"has space inside",
        b"semi;colon-id",
        b"<script>alert(1)</script>",
        b"abcdefgh\n",
        b"abcdefgh\r\nSet-Cookie: x=1",
        "unicodé-id-1".encode(),
    ],
)
def test_invalid_incoming_id_is_replaced(given: bytes) -> None:
    request_id = request_id_of(scope((b"x-request-id", given)))

    assert request_id != given.decode(errors="replace")
    assert uuid.UUID(request_id).version == 4


def test_missing_id_gets_a_fresh_one_each_time() -> None:
    first, second = request_id_of(scope()), request_id_of(scope())

    assert first != second
    uuid.UUID(first)
    uuid.UUID(second)
