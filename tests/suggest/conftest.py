"""Fixtures for the suggestions tests: a loopback web server for the curated sources."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.loopback import Loopback, send

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sources"
SEED = FIXTURES / "best-of-arxiv-2021-01.txt"
"""A copy of the project's seed (../shared/seeds): the January 2021 "Best of arXiv" post as text."""


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


class SourceServer(Loopback):
    """Serves pages by path (query string included when registered with one) and records requests."""

    def __init__(self) -> None:
        super().__init__()
        self.pages: dict[str, tuple[int, str, str]] = {}
        self.requests: list[str] = []
        self.down = False  # answer every request with 503

    @property
    def base(self) -> str:
        return self.origin

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: str, content_type: str = "text/html; charset=utf-8", status: int = 200) -> str:
        self.pages[path] = (status, body, content_type)
        return self.url(path)

    def get(self, request: BaseHTTPRequestHandler) -> None:
        self.requests.append(request.path)
        path = urlparse(request.path).path
        page = self.pages.get(request.path) or self.pages.get(path)
        if self.down:
            status, body, ctype = 503, "unavailable", "text/plain"
        elif page is None:
            status, body, ctype = 404, "not found", "text/plain"
        else:
            status, body, ctype = page
        send(request, status, ctype, body.encode("utf-8"))


async def suggestion_lines() -> list[str]:
    """The lines of the TUI's Suggestions view, as a user opening it on this READLIST_HOME sees them."""
    from readlist.core.config import load_settings
    from readlist.core.library import Library
    from readlist.tui.app import ReadlistApp
    from readlist.tui.widgets.suggestion_list import SuggestionList

    app = ReadlistApp(Library(load_settings()), opener=lambda url: None)
    async with app.run_test(size=(160, 40)) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if len(app.screen_stack) > 1 and getattr(app.screen_stack[1], "loaded", False):
                break
        app.screen.select_view("suggestions")
        await pilot.pause(0.2)
        listing = app.screen.query_one(SuggestionList)
        return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


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
