"""Reading a ``multipart/form-data`` body as it arrives, never whole: python-multipart's
push parser turns each received chunk into parts; a file part's bytes are handed on chunk by
chunk (to storage), so memory holds one chunk, not the file.

Wrong media type → 415, malformed → 400, a file beyond ``max_file_bytes`` → 413 raised
mid-stream (whoever consumes the file then drops what it wrote), a text field or the part
count beyond their small limits → 400.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from proximity.errors import PayloadTooLarge, UnsupportedMediaType, ValidationFailed

MAX_FIELD_BYTES = 16 * 1024
MAX_PARTS = 16
MAX_HEADER_BYTES = 8 * 1024
MAX_FILENAME = 255


@dataclass(frozen=True, slots=True)
class PartStart:
    name: str
    filename: str | None  # None: a text field
    content_type: str


@dataclass(frozen=True, slots=True)
class PartData:
    data: bytes


@dataclass(frozen=True, slots=True)
class PartEnd:
    pass


Event = PartStart | PartData | PartEnd


def safe_filename(raw: str) -> str:
    """The last path segment, without control or separator characters, at most 255 long: a
    name to show and to put in ``Content-Disposition``, never a path."""
    name = re.split(r"[\\/]", raw)[-1]
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C")
    name = name.replace('"', "'").strip().strip(".")
    return name[:MAX_FILENAME] or "document"


def _media_type(raw: str) -> str:
    value = raw.split(";")[0].strip().lower()
    return value if re.fullmatch(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*", value) else ""


@dataclass
class _Collector:
    """What python-multipart's callbacks saw in one chunk, in order."""

    events: list[Event] = field(default_factory=list)
    header_field: bytearray = field(default_factory=bytearray)
    header_value: bytearray = field(default_factory=bytearray)
    headers: dict[str, str] = field(default_factory=dict)
    header_bytes: int = 0
    parts: int = 0
    ended: bool = False

    def on_part_begin(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise ValidationFailed(f"At most {MAX_PARTS} form parts.", fields={"body": "too many parts"})
        self.headers = {}
        self.header_bytes = 0

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._count(end - start)
        self.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._count(end - start)
        self.header_value += data[start:end]

    def _count(self, size: int) -> None:
        self.header_bytes += size
        if self.header_bytes > MAX_HEADER_BYTES:
            raise ValidationFailed("A form part's headers are too long.", fields={"body": "headers too long"})

    def on_header_end(self) -> None:
        name = self.header_field.decode("latin-1").strip().lower()
        self.headers[name] = self.header_value.decode("latin-1").strip()
        self.header_field.clear()
        self.header_value.clear()

    def on_headers_finished(self) -> None:
        disposition, options = parse_options_header(self.headers.get("content-disposition", ""))
        if disposition != b"form-data" or b"name" not in options:
            raise ValidationFailed("Each form part needs a name.", fields={"body": "part without a name"})
        name = options[b"name"].decode("utf-8", "replace")
        filename = options[b"filename"].decode("utf-8", "replace") if b"filename" in options else None
        content_type = _media_type(self.headers.get("content-type", "")) or "application/octet-stream"
        self.events.append(PartStart(name, filename, content_type))

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if end > start:
            self.events.append(PartData(data[start:end]))

    def on_part_end(self) -> None:
        self.events.append(PartEnd())

    def on_end(self) -> None:
        self.ended = True


def _boundary(request: Request) -> bytes:
    media_type, options = parse_options_header(request.headers.get("content-type", ""))
    if media_type != b"multipart/form-data":
        raise UnsupportedMediaType("The request body must be multipart/form-data.")
    boundary = options.get(b"boundary", b"")
    if not 1 <= len(boundary) <= 200:
        raise ValidationFailed("The multipart boundary is missing.", fields={"body": "no boundary"})
    return boundary


async def form_events(request: Request) -> AsyncIterator[Event]:
    """The body's parts as they arrive: ``PartStart``, its ``PartData`` chunks, ``PartEnd``."""
    collector = _Collector()
    callbacks = {
        name: getattr(collector, name)
        for name in (
            "on_part_begin",
            "on_part_data",
            "on_part_end",
            "on_header_field",
            "on_header_value",
            "on_header_end",
            "on_headers_finished",
            "on_end",
        )
    }
    parser = MultipartParser(_boundary(request), callbacks)  # type: ignore[arg-type]
    try:
        async for chunk in request.stream():
            if not chunk:
                continue
            parser.write(chunk)
            events, collector.events = collector.events, []
            for event in events:
                yield event
        parser.finalize()
    except MultipartParseError:
        raise ValidationFailed("The multipart body is malformed.", fields={"body": "malformed"}) from None
    for event in collector.events:
        yield event
    if not collector.ended:
        raise ValidationFailed("The multipart body ended early.", fields={"body": "incomplete"})


async def file_chunks(events: AsyncIterator[Event], *, max_bytes: int, name: str) -> AsyncIterator[bytes]:
    """The current file part's bytes, up to its ``PartEnd``; past ``max_bytes`` → 413."""
    size = 0
    async for event in events:
        if isinstance(event, PartEnd):
            return
        if isinstance(event, PartData):
            size += len(event.data)
            if size > max_bytes:
                raise PayloadTooLarge(f"'{name}' is larger than {max_bytes} bytes.")
            yield event.data
    raise ValidationFailed("The multipart body ended early.", fields={name: "incomplete"})


async def text_field(events: AsyncIterator[Event], *, name: str, max_bytes: int = MAX_FIELD_BYTES) -> str:
    """The current text part's value, up to its ``PartEnd``."""
    value = bytearray()
    async for event in events:
        if isinstance(event, PartEnd):
            try:
                return value.decode("utf-8")
            except UnicodeDecodeError:
                raise ValidationFailed(f"'{name}' is not UTF-8.", fields={name: "not UTF-8"}) from None
        if isinstance(event, PartData):
            value += event.data
            if len(value) > max_bytes:
                raise ValidationFailed(f"'{name}' is too long.", fields={name: "too long"})
    raise ValidationFailed("The multipart body ended early.", fields={name: "incomplete"})
