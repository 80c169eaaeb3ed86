"""uvicorn's h11 protocol, answering what it refuses before the app sees it in Cirro's shape.

uvicorn answers a request it cannot parse (a request line and headers over
:data:`~console.server.limits.MAX_HEAD_BYTES`, a malformed line or header) itself, with a
plain-text 400, and drops the connection on a request target that is not ASCII. Both become a
400 with ``{"error": ...}``. This overrides uvicorn internals (``send_400_response``,
``handle_events``), so uvicorn is kept below 1.0 in pyproject.toml.
"""

from __future__ import annotations

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from console.server.limits import MAX_HEAD_BYTES, error_body

INVALID = (f"Invalid HTTP request: malformed, or its request line and headers are larger than "
           f"{MAX_HEAD_BYTES} bytes")


class CirroH11Protocol(H11Protocol):
    def handle_events(self) -> None:
        try:
            super().handle_events()
        except UnicodeDecodeError:
            # uvicorn decodes the path as ASCII and lets the error escape.
            self.send_400_response(INVALID)

    def send_400_response(self, msg: str) -> None:
        body = error_body(INVALID)
        headers = [(b"content-type", b"application/json"), (b"connection", b"close"),
                   (b"content-length", str(len(body)).encode())]
        for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
                      h11.Data(data=body), h11.EndOfMessage()):
            try:
                self.transport.write(self.conn.send(event))
            except h11.LocalProtocolError:
                # A response was already under way (h11 refused the rest): just close.
                break
        self.transport.close()
