"""A local SMTP server that delivers nowhere: each message it accepts is kept as a ``.eml`` file.

``make run`` starts one so the services' real SMTP path has somewhere to send to, and tests
start one to read what was sent. It runs its own event loop in a thread, so it serves a
synchronous program (the dev stack) and an async test alike, and binds port 0, so it never
collides with another sink.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import threading
import time
import uuid
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope

# Recipients are prepended as ``Delivered-To`` headers, as a mail server does on delivery, so a
# reader can find a message by envelope recipient without a second file.
_RECIPIENT_HEADER = "Delivered-To"


class _KeepInDirectory:
    def __init__(self, directory: Path) -> None:
        self._directory = directory

    async def handle_DATA(self, server: SMTP, session: Any, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        headers = b"".join(f"{_RECIPIENT_HEADER}: {to}\r\n".encode() for to in envelope.rcpt_tos)
        # A sortable name: time of arrival first, then something unique.
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.eml"
        partial = self._directory / f".{name}.part"
        partial.write_bytes(headers + content)
        partial.rename(self._directory / name)  # readers never see half a message
        return "250 Message accepted for delivery"


def messages_to(directory: Path, address: str) -> list[EmailMessage]:
    """Every message in ``directory`` delivered to ``address`` (case-insensitive), oldest first."""
    wanted = address.strip().lower()
    found = []
    for path in sorted(directory.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        if wanted in (str(to).strip().lower() for to in message.get_all(_RECIPIENT_HEADER, [])):
            found.append(message)
    return found


def text_of(message: EmailMessage) -> str:
    """The plain-text body of ``message``."""
    part = message.get_body(preferencelist=("plain",))
    if part is None:
        raise ValueError("the message has no text/plain part")
    content: str = part.get_content()
    return content


class SmtpSink:
    """A running sink: ``host``/``port`` to send to, ``directory`` where messages are kept."""

    def __init__(self, directory: Path, *, host: str = "127.0.0.1") -> None:
        self.directory = directory
        self.host = host
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread: threading.Thread | None = None
        self._server: asyncio.base_events.Server | None = None

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        handler = _KeepInDirectory(self.directory)
        self._thread = threading.Thread(target=self._loop.run_forever, name="smtp-sink", daemon=True)
        self._thread.start()
        # Bound from inside the sink's own loop: the caller may be running a loop of its own.
        listening = self._loop.create_server(lambda: SMTP(handler, enable_SMTPUTF8=True), self.host, 0)
        self._server = asyncio.run_coroutine_threadsafe(listening, self._loop).result(10)
        self.port = self._server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        if self._thread is None or self._server is None:
            return
        server = self._server

        async def close() -> None:
            server.close()
            await server.wait_closed()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()
        self._thread = self._server = None

    def messages_to(self, address: str) -> list[EmailMessage]:
        return messages_to(self.directory, address)

    async def wait_for(self, address: str, *, count: int = 1, within: float = 10.0) -> EmailMessage:
        """The ``count``-th message to ``address``, waiting (without blocking the loop) until it
        arrives; TimeoutError if it does not arrive ``within`` seconds."""
        async with asyncio.timeout(within):
            while len(found := self.messages_to(address)) < count:  # noqa: ASYNC110 - files, not an event
                await asyncio.sleep(0.05)
        return found[count - 1]


@contextlib.contextmanager
def smtp_sink(directory: Path, *, host: str = "127.0.0.1") -> Iterator[SmtpSink]:
    sink = SmtpSink(directory, host=host)
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()
