"""uvicorn's HTTP/1.1 protocols, answering a request that is not valid HTTP in the error
envelope: ``uvicorn ... --http proximity.http.server_protocol:HttpToolsEnvelopeProtocol``.

uvicorn answers such a request itself, before any ASGI app sees it, with a plain-text 400;
clients that parse every error as ``{"errors": [...]}`` would fail on that one. The
connection is closed afterwards as uvicorn does: the parser cannot tell where the next
request would begin.
"""

from __future__ import annotations

import h11
import orjson
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

# What every process of the system passes to uvicorn's ``--http``.
HTTP_PROTOCOL = "proximity.http.server_protocol:HttpToolsEnvelopeProtocol"

MALFORMED_REQUEST_BODY = orjson.dumps(
    {"errors": [{"code": "eMalformedRequest", "message": "The request is not valid HTTP."}]}
)


def malformed_request_headers() -> list[tuple[bytes, bytes]]:
    return [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(MALFORMED_REQUEST_BODY)).encode("ascii")),
        (b"connection", b"close"),
    ]


class H11EnvelopeProtocol(H11Protocol):
    def send_400_response(self, msg: str) -> None:
        headers = [*self.server_state.default_headers, *malformed_request_headers()]
        for event in (
            h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
            h11.Data(data=MALFORMED_REQUEST_BODY),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event) or b"")
        self.transport.close()


class HttpToolsEnvelopeProtocol(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        content = [STATUS_LINE[400]]
        for name, value in [*self.server_state.default_headers, *malformed_request_headers()]:
            content.extend([name, b": ", value, b"\r\n"])
        content.extend([b"\r\n", MALFORMED_REQUEST_BODY])
        self.transport.write(b"".join(content))
        self.transport.close()
