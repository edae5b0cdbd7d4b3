"""The client's request body on its way upstream.

Each chunk has to arrive within the idle timeout, else 408: a client that declared more
than it sends, or stalls, would otherwise hold its connection and an upstream one for as
long as the upstream is willing to wait. The wait for the upstream to take a chunk is not
counted, so a slow upstream never turns into the client's 408.

The body also remembers whether any of it was asked for yet: only a body nobody has begun
to read can be sent again on another connection.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator

from proximity.errors import RequestTimeout


class ForwardedBody:
    def __init__(self, chunks: AsyncIterable[bytes], *, idle_seconds: float) -> None:
        self._chunks = aiter(chunks)
        self._idle_seconds = idle_seconds
        self.started = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self.started = True
        while True:
            try:
                async with asyncio.timeout(self._idle_seconds):
                    chunk = await anext(self._chunks)
            except StopAsyncIteration:
                return
            except TimeoutError:
                raise RequestTimeout(
                    f"No part of the request body arrived for {self._idle_seconds:g} seconds."
                ) from None
            yield chunk
