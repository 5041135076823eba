"""The loopback HTTP server every stand-in of the tests is: arXiv's API, the DOI resolver, curated sources'
pages and PDFs. A ``ThreadingHTTPServer`` on 127.0.0.1 (a free port) in a daemon thread, whose GETs the
subclass answers in :meth:`Loopback.get`; :func:`send` writes one whole answer."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


class Loopback:
    def __init__(self) -> None:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.get(self)

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def get(self, request: BaseHTTPRequestHandler) -> None:
        """Answer one GET (``request.path`` is the path as sent)."""
        raise NotImplementedError

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def send(request: BaseHTTPRequestHandler, status: int, content_type: str, body: bytes) -> None:
    """One whole answer: status, type, length, body."""
    request.send_response(status)
    request.send_header("Content-Type", content_type)
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    request.wfile.write(body)
