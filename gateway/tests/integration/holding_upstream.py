"""A real HTTP server that holds what it is sent until the test lets go: a slow service (its
answers), a slow identity (its client-key lookups), or a service reading slow uploads."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator

from gateway_servers import server_in_thread
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


class HoldingUpstream:
    """Every request except ``/health`` waits, reading its body, until ``release``. It runs
    in its own thread (``serve``): the counts are read from the test's."""

    def __init__(self) -> None:
        self._released = threading.Event()
        self._lock = threading.Lock()
        self.waiting = 0  # requests being held now
        self.seen = 0  # requests held, ever

    def release(self) -> None:
        self._released.set()

    @contextlib.contextmanager
    def serve(self) -> Iterator[str]:
        try:
            with server_in_thread(self.app()) as url:
                yield url
        finally:
            self.release()  # else the server would wait for its held requests at shutdown

    def _count(self, change: int) -> None:
        with self._lock:
            self.waiting += change
            self.seen += max(change, 0)

    def app(self) -> Starlette:
        async def hold(request: Request) -> Response:
            self._count(1)
            try:
                with contextlib.suppress(ClientDisconnect):
                    async for _ in request.stream():
                        pass
                while not self._released.is_set():  # noqa: ASYNC110 - set from another thread
                    await asyncio.sleep(0.01)
            finally:
                self._count(-1)
            return JSONResponse({"errors": [{"code": "eNotFound", "message": "released"}]}, 404)

        async def health(_: Request) -> Response:
            return JSONResponse({"data": {"status": "ok"}, "warnings": []})

        methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
        return Starlette(routes=[Route("/health", health), Route("/{path:path}", hold, methods=methods)])
