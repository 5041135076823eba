"""Malformed settings: one line, exit 2, before anything happens, and the library untouched.

Each bad value is tried where a user writes it (the config file, or the
environment variable that overrides it) on the command that was losing data
with it: `add ... --note`, which must change nothing and say so, so the same
command can simply be run again once the setting is fixed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_process

BAD_FILE_VALUES = [
    ("http_timeout", "0", "must be more than 0 and at most 600 seconds, not 0;"),
    ("http_timeout", "nan", "must be more than 0 and at most 600 seconds, not nan"),
    ("http_timeout", "inf", "not inf"),
    ("http_timeout", "-1", "must not be negative"),
    ("http_timeout", "1e400", "not inf"),
    ("http_timeout", "true", "must be a number of seconds, not True"),
    ("http_timeout", '"soon"', "must be a number of seconds, not 'soon'"),
    ("http_timeout", "[1, 2]", "must be a number of seconds, not \\[1, 2\\]"),
    ("http_timeout", "99999", "at most 600 seconds, not 99999"),
    ("arxiv_delay", "inf", "arxiv_delay in .*config.toml must be at least 0 and at most 60 seconds, not inf"),
    ("arxiv_delay", "-inf", "must not be negative"),
    ("arxiv_delay", "nan", "not nan"),
    ("max_document_mb", "0", "max_document_mb in .*config.toml must be more than 0 and at most 1000 MB"),
    ("max_document_mb", "nan", "not nan"),
    ("arxiv_api", '"ftp://example.org/api"', "arxiv_api in .*config.toml must be an http\\(s\\) URL"),
    ("arxiv_api", "5", "must be an http\\(s\\) URL, not 5"),
    ("sources", "5", "\\[sources\\] in .*config.toml must be a table of tables"),
]

BAD_ENV_VALUES = [
    ("READLIST_HTTP_TIMEOUT", "0", "http_timeout in READLIST_HTTP_TIMEOUT must be more than 0"),
    ("READLIST_HTTP_TIMEOUT", "nan", "http_timeout in READLIST_HTTP_TIMEOUT must be more than 0 .*, not 'nan'"),
    ("READLIST_HTTP_TIMEOUT", "Infinity", "not 'Infinity'"),
    ("READLIST_ARXIV_DELAY", "inf", "arxiv_delay in READLIST_ARXIV_DELAY must be at least 0"),
    ("READLIST_ARXIV_DELAY", "\x1b[31mred", "must be a number of seconds, not '\\\\x1b\\[31mred'"),
    ("READLIST_MAX_DOCUMENT_MB", "-5", "must not be negative"),
    ("READLIST_MAX_DOCUMENT_MB", "x" * 500, "not 'x{80}'…; nothing was changed"),
]


def _library_state(home: Path) -> str:
    path = home / "library.json"
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"


COMMANDS = [
    ["add", "2101.03961", "--tag", "t", "--note", "a thought I must not lose"],
    ["add", "--title", "Another paper", "--note", "a thought I must not lose"],
    ["note", "manual:a-paper-added-by-hand", "--append", "more"],
    ["list"],
]


def _refused_everywhere(cli, home: Path, message: str, set_bad: Callable[[], None]) -> None:
    assert cli("add", "--title", "A paper added by hand", "--note", "first").code == 0
    before = _library_state(home)
    set_bad()
    for args in COMMANDS:
        r = cli(*args)
        lines = r.err.strip().splitlines()
        assert r.code == 2 and len(lines) == 1 and lines[0].startswith("readlist: "), (args, r.code, r.err)
        assert re.search(message, lines[0]), lines[0]
        assert lines[0].endswith("nothing was changed"), lines[0]
        assert "\x1b" not in r.err and r.out == ""
    assert _library_state(home) == before


@pytest.mark.parametrize(("key", "value", "message"), BAD_FILE_VALUES, ids=[f"{k}={v}" for k, v, _ in BAD_FILE_VALUES])
def test_a_bad_value_in_the_config_file(
    cli, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, value: str, message: str
) -> None:
    monkeypatch.delenv(f"READLIST_{key.upper()}", raising=False)  # the variable would override the file
    config = tmp_path / "config.toml"
    _refused_everywhere(cli, home, message, lambda: config.write_text(f"{key} = {value}\n", encoding="utf-8"))


@pytest.mark.parametrize(("var", "value", "message"), BAD_ENV_VALUES, ids=[v for v, _, _ in BAD_ENV_VALUES])
def test_a_bad_value_in_the_environment(
    cli, home: Path, monkeypatch: pytest.MonkeyPatch, var: str, value: str, message: str
) -> None:
    _refused_everywhere(cli, home, message, lambda: monkeypatch.setenv(var, value))


def test_a_bad_setting_stops_the_real_executable_before_the_network(home: Path) -> None:
    r = run_process("add", "2101.03961", "--note", "keep me", env={"READLIST_HTTP_TIMEOUT": "nan"})
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines() == [
        "readlist: http_timeout in READLIST_HTTP_TIMEOUT must be more than 0 and at most 600 seconds, "
        "not 'nan'; nothing was changed"
    ]
    assert not (home / "library.json").exists()
