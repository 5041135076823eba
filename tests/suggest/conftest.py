"""Fixtures for the suggestions tests: a loopback web server for the curated sources."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sources"
SEED = FIXTURES / "best-of-arxiv-2021-01.txt"
"""A copy of the project's seed (../shared/seeds): the January 2021 "Best of arXiv" post as text."""


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


class SourceServer:
    """Serves pages by path (query string included when registered with one) and records requests."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, str, str]] = {}
        self.requests: list[str] = []
        self.down = False  # answer every request with 503
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: str, content_type: str = "text/html; charset=utf-8", status: int = 200) -> str:
        self.pages[path] = (status, body, content_type)
        return self.url(path)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                path = urlparse(self.path).path
                page = server.pages.get(self.path) or server.pages.get(path)
                if server.down:
                    status, body, ctype = 503, "unavailable", "text/plain"
                elif page is None:
                    status, body, ctype = 404, "not found", "text/plain"
                else:
                    status, body, ctype = page
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def __enter__(self) -> SourceServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def web() -> Iterator[SourceServer]:
    with SourceServer() as server:
        yield server


@pytest.fixture
def seed() -> Path:
    return SEED


def write_config(home_config: Path, text: str) -> None:
    home_config.parent.mkdir(parents=True, exist_ok=True)
    home_config.write_text(text, encoding="utf-8")


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    """The config.toml the isolated environment points READLIST_CONFIG at."""
    return tmp_path / "config.toml"


@pytest.fixture
def no_builtin(config_file: Path) -> Path:
    """Turn off the shipped January 2021 selection, so counts are those of the pulled documents."""
    write_config(config_file, "[sources.builtin]\nenabled = false\n")
    return config_file
