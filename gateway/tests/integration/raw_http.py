"""HTTP/1.1 written and read by hand, for what a client library would never send: bodies
shorter than declared, bodies that stall, bytes that are not HTTP at all."""

from __future__ import annotations

import asyncio


def request_head(method: str, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: gateway", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def exchange(url: str, raw: bytes) -> bytes:
    """Send ``raw`` as it is and read until the server closes the connection (a server that
    never does fails the test rather than hanging it)."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(raw)
        await writer.drain()
        async with asyncio.timeout(60):
            return await reader.read()
    finally:
        writer.close()


def parse(response: bytes) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-cased names) and body of one response read to the end."""
    head, _, body = response.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (h.partition(":") for h in lines)}
    return int(status_line.split(" ")[1]), headers, body
