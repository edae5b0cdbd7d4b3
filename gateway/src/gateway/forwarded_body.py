"""The client's request body on its way upstream.

Each chunk has to arrive within the idle timeout, and the whole body within the body
timeout, else 408: a client that declared more than it sends, stalls, or trickles a byte
just often enough to beat the idle timeout, would otherwise hold its connection and an
upstream one for as long as the upstream is willing to wait. Only the time spent waiting for
the client counts; the wait for the upstream to take a chunk does not, so a slow upstream
never turns into the client's 408.

The body also remembers whether any of it was asked for yet: only a body nobody has begun
to read can be sent again on another connection.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterable, AsyncIterator

from proximity.errors import RequestTimeout


class ForwardedBody:
    def __init__(
        self, chunks: AsyncIterable[bytes], *, idle_seconds: float, total_seconds: float = math.inf
    ) -> None:
        self._chunks = aiter(chunks)
        self._idle_seconds = idle_seconds
        self._total_seconds = total_seconds
        self.started = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self.started = True
        loop = asyncio.get_running_loop()
        left = self._total_seconds  # of waiting for the client
        while True:
            wait = min(self._idle_seconds, left)
            began = loop.time()
            try:
                async with asyncio.timeout(wait):
                    chunk = await anext(self._chunks)
            except StopAsyncIteration:
                return
            except TimeoutError:
                if wait < self._idle_seconds:
                    raise RequestTimeout(
                        f"The request body did not arrive within {self._total_seconds:g} seconds."
                    ) from None
                raise RequestTimeout(
                    f"No part of the request body arrived for {self._idle_seconds:g} seconds."
                ) from None
            left -= loop.time() - began
            yield chunk
