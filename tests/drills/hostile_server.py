"""A loopback HTTP server that misbehaves on purpose, for the drills.

Each mode is a way a server can hold a client hostage:

* ``trickle``: a valid status line and headers, then the body one byte every
  ``interval`` seconds (every single read succeeds, so a per-read timeout
  never fires).
* ``trickle-headers``: the status line itself one byte every ``interval`` s.
* ``endless``: a 200 with no length, then bytes as fast as the socket takes them.
* ``huge-length``: a Content-Length far over any cap.
* ``redirect-loop``: every path redirects to the next one, for ever.
* ``drop``: accept, read the request, close without answering.
* ``hang``: accept, read the request, answer nothing until stopped.
* ``body``: answer ``body`` (bytes) with ``status`` and ``content_type``.

``hits`` counts requests; ``stop()`` closes everything, waiting for no one.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
import time
from typing import Any


class HostileServer:
    def __init__(self, mode: str, *, interval: float = 2.0, body: bytes = b"", status: int = 200) -> None:
        self.mode = mode
        self.interval = interval
        self.body = body
        self.status = status
        self.content_type = "text/plain; charset=utf-8"
        self.hits = 0
        self.paths: list[str] = []
        self.heads: list[str] = []
        self.stopped = threading.Event()
        server = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                with contextlib.suppress(OSError):  # the client went away: that is the point
                    server.serve_one(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True
            block_on_close = False

        self._server = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def stop(self) -> None:
        self.stopped.set()
        self._server.shutdown()
        self._server.server_close()

    def _read_request(self, conn: socket.socket) -> str:
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        line = head.split("\r\n", 1)[0]
        self.heads.append(head)
        self.hits += 1
        path = line.split(" ")[1] if line.count(" ") >= 2 else "/"
        self.paths.append(path)
        return path

    def _drip(self, conn: socket.socket, data: bytes) -> None:
        for i in range(len(data)):
            if self.stopped.wait(self.interval if i else 0):
                return
            conn.sendall(data[i : i + 1])

    def serve_one(self, conn: socket.socket) -> None:
        path = self._read_request(conn)
        mode = self.mode
        if mode == "drop":
            conn.close()
        elif mode == "hang":
            self.stopped.wait(60)
        elif mode == "trickle":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/atom+xml\r\nContent-Length: 100000\r\n\r\n")
            self._drip(conn, b"<" * 100000)
        elif mode == "trickle-headers":
            self._drip(conn, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        elif mode == "endless":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n")
            block = b"x" * 65536
            while not self.stopped.is_set():
                conn.sendall(block)
        elif mode == "huge-length":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n" + b"x" * 1000)
            self.stopped.wait(5)
        elif mode == "redirect-loop":
            n = int(path.rsplit("/", 1)[-1]) + 1 if path.rsplit("/", 1)[-1].isdigit() else 1
            head = f"HTTP/1.1 302 Found\r\nLocation: /hop/{n}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            conn.sendall(head.encode())
        elif mode == "body":
            head = (
                f"HTTP/1.1 {self.status} X\r\nContent-Type: {self.content_type}\r\n"
                f"Content-Length: {len(self.body)}\r\nConnection: close\r\n\r\n"
            )
            conn.sendall(head.encode() + self.body)
        else:  # pragma: no cover - a typo in a test
            raise ValueError(mode)
        if mode != "drop":
            time.sleep(0.05)
