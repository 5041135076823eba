"""A loopback server for `readlist pdf`: PDFs (or anything else) by path, each request's time logged."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    body: bytes
    content_type: str = "application/pdf"
    status: int = 200
    cut_after: int | None = None
    """Send this many bytes of the body (with the whole length announced), then drop the connection."""


@dataclass
class PdfServer:
    routes: dict[str, Answer] = field(default_factory=dict)
    log: list[tuple[float, str]] = field(default_factory=list)

    def start(self) -> PdfServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.log.append((time.monotonic(), self.path))
                answer = server.routes.get(self.path)
                if answer is None:
                    answer = Answer(b"not found", "text/plain", 404)
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                if answer.cut_after is not None:
                    self.wfile.write(answer.body[: answer.cut_after])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(answer.body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    @property
    def template(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/pdf/{{id}}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
