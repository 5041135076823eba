"""A bug in the TUI ends it with one line, never a traceback full of the moment's data."""

from __future__ import annotations

from pathlib import Path

import pytest

from readlist.core.config import load_settings
from readlist.core.errors import ReadlistError
from readlist.core.library import Library
from readlist.tui import app as tui_app
from tests.tui.conftest import said, settle, shown


def _boom(self: object) -> None:
    secret = "a local variable holding the user's notes"  # noqa: F841 (what a traceback with locals would show)
    raise RuntimeError("boom in the TUI")


def test_a_crash_is_one_line(home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(tui_app.ReadlistApp, "on_mount", _boom)
    monkeypatch.delenv("READLIST_DEBUG", raising=False)
    with pytest.raises(ReadlistError) as info:
        tui_app.run(Library(load_settings()), headless=True)
    message = str(info.value)
    assert "RuntimeError: boom in the TUI" in message and "READLIST_DEBUG=1" in message
    assert "\n" not in message
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err and "user's notes" not in out.out + out.err


def test_readlist_debug_shows_the_trace(home: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(tui_app.ReadlistApp, "on_mount", _boom)
    monkeypatch.setenv("READLIST_DEBUG", "1")
    with pytest.raises(ReadlistError):
        tui_app.run(Library(load_settings()), headless=True)
    assert "boom in the TUI" in capsys.readouterr().err


async def test_malformed_records_are_named_not_a_traceback(home: Path, make_app) -> None:
    import json

    home.mkdir(parents=True)
    papers = {
        "2101.03961": {"id": "2101.03961", "title": "Switch Transformers", "status": "to-read"},
        "bad": {"id": "bad", "title": 5},
    }
    (home / "library.json").write_text(json.dumps({"papers": papers}), encoding="utf-8")
    app = make_app(Library(load_settings()))
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(pilot)
        assert "2101.03961" in shown(app)
        told = said(app)
        assert "papers record 'bad' title is 5, not text: left out of every view" in told and "library.json" in told
