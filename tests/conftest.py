"""Shared fixtures: an isolated READLIST_HOME, a loopback arXiv, and the CLI."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.arxiv_server import ArxivServer


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own READLIST_HOME and config, and no real arXiv."""
    home = tmp_path / "home"
    monkeypatch.setenv("READLIST_HOME", str(home))
    monkeypatch.setenv("READLIST_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("READLIST_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("READLIST_ARXIV_API", dead_url())
    monkeypatch.setenv("READLIST_ARXIV_DELAY", "0")
    monkeypatch.setenv("READLIST_HTTP_TIMEOUT", "3")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    from readlist.cli import app as cli_app

    cli_app.settings.cache_clear()
    cli_app.library.cache_clear()
    return home


def dead_url() -> str:
    """An endpoint on loopback where nothing listens (connection refused)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}/api/query"


@pytest.fixture
def arxiv(monkeypatch: pytest.MonkeyPatch) -> Iterator[ArxivServer]:
    server = ArxivServer().start()
    monkeypatch.setenv("READLIST_ARXIV_API", server.url)
    yield server
    server.stop()


@pytest.fixture
def home(isolated_env: Path) -> Path:
    return isolated_env


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run readlist in-process, as `readlist ARGS...` would, and capture its output."""
    from readlist.cli import app as cli_app
    from readlist.cli.main import main

    def run(*args: str, input: str | None = None) -> Result:
        cli_app.settings.cache_clear()
        cli_app.library.cache_clear()
        monkeypatch.setattr(sys, "argv", ["readlist", *args])
        if input is not None:
            import io

            monkeypatch.setattr(sys, "stdin", io.StringIO(input))
        capsys.readouterr()
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def readlist_exe() -> list[str]:
    """The installed `readlist` command, or the module run by this interpreter."""
    exe = shutil.which("readlist")
    return [exe] if exe else [sys.executable, "-m", "readlist"]


def run_process(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run readlist as a separate process with the test's environment."""
    return subprocess.run(
        [*readlist_exe(), *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
