"""A loopback server for `readlist pdf`: PDFs (or anything else) by path, each request's time logged."""

from __future__ import annotations

import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler

from tests.loopback import Loopback, send


@dataclass
class Answer:
    body: bytes
    content_type: str = "application/pdf"
    status: int = 200
    cut_after: int | None = None
    """Send this many bytes of the body (with the whole length announced), then drop the connection."""


class PdfServer(Loopback):
    def __init__(self) -> None:
        super().__init__()
        self.routes: dict[str, Answer] = {}
        self.log: list[tuple[float, str]] = []

    def get(self, request: BaseHTTPRequestHandler) -> None:
        self.log.append((time.monotonic(), request.path))
        answer = self.routes.get(request.path) or Answer(b"not found", "text/plain", 404)
        if answer.cut_after is None:
            send(request, answer.status, answer.content_type, answer.body)
            return
        request.send_response(answer.status)
        request.send_header("Content-Type", answer.content_type)
        request.send_header("Content-Length", str(len(answer.body)))
        request.end_headers()
        request.wfile.write(answer.body[: answer.cut_after])
        request.wfile.flush()
        request.close_connection = True

    @property
    def template(self) -> str:
        return f"{self.origin}/pdf/{{id}}"
