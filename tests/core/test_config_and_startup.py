"""Settings from the config file and the environment; a light start-up."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from readlist.core.config import DEFAULT_ARXIV_API, load_settings
from readlist.core.errors import BadInput
from tests.conftest import run_process


def test_defaults_without_file_or_variables(tmp_path: Path) -> None:
    settings = load_settings({"READLIST_CONFIG": str(tmp_path / "none.toml")})
    assert settings.arxiv_api == DEFAULT_ARXIV_API
    assert (settings.arxiv_delay, settings.http_timeout) == (3.0, 15.0)
    assert settings.home.name == "readlist"  # the platform's user data directory
    assert settings.library_path == settings.home / "library.json"


def test_file_first_then_variables_override(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        'home = "~/papers"\narxiv_delay = 5\nhttp_timeout = 20\neditor = "nano -w"\n'
        "[sources.zeta-alpha]\nenabled = false\n",
        encoding="utf-8",
    )
    env = {"READLIST_CONFIG": str(config), "READLIST_HTTP_TIMEOUT": "7.5", "EDITOR": "vi"}
    settings = load_settings(env)
    assert settings.home == Path("~/papers").expanduser()
    assert settings.arxiv_delay == 5 and settings.http_timeout == 7.5
    assert settings.editor == "nano -w"
    assert settings.sources == {"zeta-alpha": {"enabled": False}}
    assert settings.config_file == config
    assert load_settings({**env, "READLIST_HOME": str(tmp_path)}).home == tmp_path


@pytest.mark.parametrize(
    ("text", "env", "message"),
    [
        ("arxiv_delay = [", {}, "cannot read the config file"),
        ('arxiv_delay = "soon"', {}, "arxiv_delay in .*config.toml must be a number"),
        ("", {"READLIST_HTTP_TIMEOUT": "-1"}, "http_timeout in READLIST_HTTP_TIMEOUT must not be negative"),
    ],
)
def test_bad_settings_are_bad_input(tmp_path: Path, text: str, env: dict[str, str], message: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(BadInput, match=message):
        load_settings({"READLIST_CONFIG": str(config), **env})


def test_bad_config_file_exits_2_from_the_cli(cli, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("arxiv_delay = [", encoding="utf-8")
    r = cli("list")
    assert r.code == 2 and "cannot read the config file" in r.err


def test_help_imports_nothing_heavy() -> None:
    r = run_process("--help", env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert r.returncode == 0
    for cmd in ("add", "list", "show", "status", "tag", "note", "rm", "open", "refresh"):
        assert re.search(rf"^  {cmd}\b", r.stdout, re.M), cmd
    imported = set(re.findall(r"\|\s+([\w.]+)$", r.stderr, re.M))
    heavy = {m for m in imported if m.split(".")[0] in {"textual", "arxiv", "requests", "lxml", "bibtexparser", "yaml"}}
    assert not heavy
    assert "readlist.cli.main" in imported  # the check saw our own imports
    # Nor the data layer: --help stays within a few milliseconds of `import typer`.
    assert not imported & {"readlist.core.library", "readlist.core.store", "readlist.core.models", "orjson", "tinydb"}


def test_list_help_names_every_sort_field() -> None:
    from readlist.cli.papers import SORT_FIELDS_HELP
    from readlist.core.query import SORT_FIELDS

    assert f"Sort by {', '.join(SORT_FIELDS)}." == SORT_FIELDS_HELP


def test_data_layer_never_imports_textual_or_typer() -> None:
    code = (
        "import sys, readlist.core.library, readlist.core.suggestions, readlist.core.query;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'typer', 'click', 'rich')))"
    )
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_paths_prints_where_data_lives(cli, home: Path, tmp_path: Path) -> None:
    r = cli("paths")
    assert r.code == 0
    assert f"library  {home / 'library.json'}" in r.out
    assert f"texts    {home / 'library.texts'}" in r.out  # abstracts and notes, beside the light records
    assert f"config   {tmp_path / 'config.toml'}  (not created)" in r.out
