"""Fixtures for the papers' files: a saved paper to attach to, and where its files land."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def paper(cli) -> str:
    """A paper saved by hand (no arXiv needed); returns its citation key."""
    result = cli("add", "--title", "Switch Transformers", "--authors", "William Fedus", "--year", "2021")
    assert result.code == 0, result.err
    return "fedus2021switch"


def shown(cli, ref: str) -> dict:
    result = cli("show", ref, "--json")
    assert result.code == 0, result.err
    return result.json


def files_of(cli, ref: str) -> list[dict]:
    return shown(cli, ref)["files"]


@pytest.fixture
def library_dir(home: Path) -> Path:
    return home


def error_lines(result) -> list[str]:
    """The one-line errors a command printed (its reports of what it did are on stderr too)."""
    return [line for line in result.err.splitlines() if line.startswith("readlist:")]
