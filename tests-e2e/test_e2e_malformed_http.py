"""A request that is not HTTP at all, sent to each process the dev stack started: each
answers a JSON 400 in the error envelope (the uvicorn protocol every process runs with),
not uvicorn's plain text, and closes the connection."""

from __future__ import annotations

import socket

import orjson
import pytest

from e2e_stack import Stack

SERVICES = ["gateway", "identity", "assets", "consents"]


def exchange(url: str, raw: bytes) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(raw)
        chunks = []
        while chunk := sock.recv(65536):  # until the server closes the connection
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("service", SERVICES)
def test_every_process_answers_malformed_http_in_the_envelope(stack: Stack, service: str) -> None:
    answer = exchange(stack.urls[service], b"GET /health HTTP/1.1\r\nHost: x\r\nNo Colon Here\r\n\r\n")

    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.split(b"\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(b":") for line in header_lines)}
    assert status_line.split(b" ")[1] == b"400"
    assert headers[b"content-type"] == b"application/json"
    assert headers[b"connection"] == b"close"
    assert orjson.loads(body)["errors"][0]["code"] == "eMalformedRequest"
