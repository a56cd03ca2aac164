"""The app behind werkzeug's HTTP server on a loopback port, for tests that need a real client (a browser, the CLI,
schemathesis)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.serving import make_server


@contextmanager
def serving(app, *, threaded: bool = False) -> Iterator[str]:
    """Serve `app` until the block ends; yields its base URL."""
    server = make_server("127.0.0.1", 0, closing_at_once(app), threaded=threaded)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def closing_at_once(app):
    """After each response werkzeug's server drains what is left of the request, and when the browser has already
    dropped the connection (a favicon or stylesheet load cancelled by the next navigation) that read raises before
    the response is closed: the static file it was sending stays open, and Python's ResourceWarning surfaces in
    whichever test runs next. Reading the body and closing the response before the server sees it leaves nothing
    for it to forget. Test responses are small, so buffering them costs nothing."""

    def wsgi(environ, start_response):
        response = app(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            close = getattr(response, "close", None)
            if close is not None:
                close()

    return wsgi
