"""The loopback server used by the browser and CLI tests closes every response before werkzeug sees it."""

from __future__ import annotations

from ..serving import closing_at_once


class Body:
    def __init__(self, parts):
        self.parts = parts
        self.closed = False

    def __iter__(self):
        return iter(self.parts)

    def close(self):
        self.closed = True


def test_a_response_is_read_and_closed_before_the_server_writes_it():
    body = Body([b"<svg>", b"</svg>"])

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "image/svg+xml")])
        return body

    started = []
    served = closing_at_once(app)({}, lambda status, headers: started.append(status))
    assert body.closed, "the file behind the response must be closed even if the client has gone"
    assert list(served) == [b"<svg></svg>"] and started == ["200 OK"]
