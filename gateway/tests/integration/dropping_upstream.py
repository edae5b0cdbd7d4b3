"""An HTTP/1.1 upstream whose kept-alive connections die unnoticed.

It answers the first request on each connection with a keep-alive 200 and closes the
connection, unanswered, when a second request arrives on it: what a client sees when the
server closed a pooled connection just as the client took it. With ``drop_first`` it closes
every connection at its first request instead (a failure on a new connection).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import orjson


@dataclass
class DroppingUpstream:
    drop_first: bool = False
    # (connection number, method) of every request head that arrived, in order.
    requests: list[tuple[int, str]] = field(default_factory=list)
    _connections: int = 0

    @contextlib.asynccontextmanager
    async def serve(self) -> AsyncIterator[str]:
        server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
        try:
            yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        finally:
            server.close()
            await server.wait_closed()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._connections += 1
        number = self._connections
        try:
            seen = 0
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                method = head.split(b" ", 1)[0].decode()
                self.requests.append((number, method))
                seen += 1
                if seen > 1 or self.drop_first:
                    return
                length = _content_length(head)
                if length:
                    await reader.readexactly(length)
                body = orjson.dumps({"data": {"connection": number}, "warnings": []})
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + b"Content-Length: %d\r\n\r\n" % len(body)
                    + (b"" if method == "HEAD" else body)
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            writer.close()


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0
