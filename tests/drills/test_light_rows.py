"""The light rows in the cache folder: derived, rebuilt on any doubt, never trusted over library.json.

Drills: the rows deleted, corrupted, replaced by a link, a FIFO or a database
that is not readlist's, lying under the right stamp, left stale by another
process's write or by a sync that replaced library.json: `readlist list` and
`readlist show` answer right every time, and the rows come back.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from readlist.core.config import load_settings
from readlist.core.library import Library
from readlist.core.rows import ROWS_VERSION, rows_file
from readlist.core.store import AtomicJSONStorage

PAPERS = {
    "2101.03961": ("Switch Transformers", "A mixture-of-experts router sends each token to one expert.", ["moe"]),
    "1706.03762": ("Attention Is All You Need", "Attention alone, no recurrence.", []),
    "doi:10.1145/3442188.3445922": ("On the Dangers of Stochastic Parrots", "Large language models.", ["ethics"]),
}


def _fill(extra: int = 0) -> None:
    records: dict[str, dict[str, Any]] = {}
    for n, (pid, (title, abstract, tags)) in enumerate(PAPERS.items()):
        records[pid] = {
            "id": pid, "title": title, "abstract": abstract, "status": "to-read", "tags": tags,
            "authors": ["Ada Lovelace"], "year": 2017 + n, "added": f"2026-01-0{n + 1}T00:00:00+00:00",
        }  # fmt: skip
    records["2101.03961"]["key"] = "fedus2021switch"
    for i in range(extra):
        pid = f"manual:filler-{i}"
        records[pid] = {"id": pid, "title": f"Filler paper {i}", "abstract": "Nothing to see.", "status": "read"}
    with Library(load_settings())._transaction() as tx:
        tx.put_papers(records)


def _rows() -> Path:
    settings = load_settings()
    return rows_file(settings.cache_dir, settings.library_path)


def _listed(cli: Any, *args: str) -> list[str]:
    result = cli("list", *args)
    assert result.code == 0, result.err
    return [line.split("\t")[0] for line in result.out.splitlines()]


EXPECTED = {
    (): ["doi:10.1145/3442188.3445922", "1706.03762", "2101.03961"],
    ("-t", "moe"): ["2101.03961"],
    ("-q", "year:2018.. -#ethics"): ["1706.03762"],
    ("-q", "mixture experts"): ["2101.03961"],
    ("-q", "recurence"): ["1706.03762"],  # a typo
    ("--sort", "title"): ["1706.03762", "doi:10.1145/3442188.3445922", "2101.03961"],
}


def _all_right(cli: Any) -> None:
    for args, expected in EXPECTED.items():
        assert _listed(cli, *args) == expected, args
    shown = cli("show", "2101.03961")
    assert shown.code == 0 and "Switch Transformers" in shown.out and "one expert" in shown.out


def _is_our_rows(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    with sqlite3.connect(path) as db:
        return db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone() == (ROWS_VERSION,)


@pytest.fixture
def never_parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts parses of library.json (the rows, when current, spare them)."""
    parses: list[str] = []
    real = AtomicJSONStorage.load

    def load(self: AtomicJSONStorage) -> Any:
        parses.append(str(self.path))
        return real(self)

    monkeypatch.setattr(AtomicJSONStorage, "load", load)
    return parses


def test_list_and_show_read_the_rows_not_library_json(cli: Any, home: Path, never_parsed: list[str]) -> None:
    _fill()
    assert cli("list").code == 0  # the first list builds the rows (and the cache folder)
    never_parsed.clear()
    assert cli("list").code == 0
    assert never_parsed == []
    _all_right(cli)
    assert _is_our_rows(_rows())
    assert not any(p.name.startswith("rows-") for p in home.iterdir())  # nothing derived beside the library
    never_parsed.clear()
    _all_right(cli)
    assert never_parsed == []
    assert cli("show", "manual:nothing-here").code == 1
    assert "Switch Transformers" in cli("show", "fedus2021switch").out  # by citation key
    assert "Stochastic Parrots" in cli("show", "10.1145/3442188.3445922").out  # by DOI
    assert never_parsed == []


def test_output_is_the_same_with_the_rows_and_without(cli: Any) -> None:
    _fill(extra=20)
    cli("list")
    commands = [("list",), ("list", "--json"), ("list", "-q", "filler -paper:x"), ("show", "2101.03961", "--json")]
    with_rows = [cli(*c).out for c in commands]
    _rows().unlink()
    without = []
    for c in commands:
        without.append(cli(*c).out)
        _rows().unlink(missing_ok=True)
    assert with_rows == without


def test_a_write_moves_the_rows_on_and_the_next_list_sees_it(cli: Any, never_parsed: list[str]) -> None:
    _fill()
    _all_right(cli)
    with sqlite3.connect(_rows()) as db:
        before = [row[0] for row in db.execute("SELECT id FROM rows ORDER BY pos")]
    assert cli("tag", "1706.03762", "moe").code == 0
    with sqlite3.connect(_rows()) as db:
        after = [row[0] for row in db.execute("SELECT id FROM rows ORDER BY pos")]
    assert after == [pid for pid in before if pid != "1706.03762"] + ["1706.03762"]  # last, as library.json has it
    never_parsed.clear()
    assert _listed(cli, "-t", "moe") == ["1706.03762", "2101.03961"]
    assert never_parsed == []  # the commit left the rows current
    assert cli("rm", "2101.03961").code == 0
    assert _listed(cli, "-t", "moe") == ["1706.03762"]
    assert cli("show", "2101.03961").code == 1


def test_another_process_write_is_seen(cli: Any, home: Path) -> None:
    _fill()
    _all_right(cli)
    script = (
        "from readlist.core.config import load_settings\n"
        "from readlist.core.library import Library\n"
        "Library(load_settings()).tag('1706.03762', ['from-elsewhere'])\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, env=os.environ.copy(), timeout=60)
    assert _listed(cli, "-t", "from-elsewhere") == ["1706.03762"]


def test_a_sync_that_replaces_library_json_is_seen(cli: Any, home: Path, tmp_path: Path) -> None:
    _fill()
    _all_right(cli)
    library = home / "library.json"
    data = json.loads(library.read_text(encoding="utf-8"))
    data["papers"]["1706.03762"]["title"] = "Attention, synced from another machine"
    data["papers"]["1706.03762"]["tags"] = ["synced"]
    incoming = tmp_path / "incoming.json"
    incoming.write_text(json.dumps(data), encoding="utf-8")
    os.replace(incoming, library)  # as Syncthing or Dropbox deliver a file
    assert _listed(cli, "-t", "synced") == ["1706.03762"]
    assert "synced from another machine" in cli("show", "1706.03762").out
    assert "synced from another machine" in cli("list").out


def test_deleted_or_corrupt_rows_are_rebuilt(cli: Any) -> None:
    _fill()
    _all_right(cli)
    _rows().unlink()
    _all_right(cli)
    assert _is_our_rows(_rows())
    path = _rows()
    data = bytearray(path.read_bytes())
    data[100:4000] = os.urandom(3900)
    path.write_bytes(bytes(data))
    _all_right(cli)
    assert _is_our_rows(path)
    path.write_bytes(b"not a database at all" * 100)
    _all_right(cli)
    assert _is_our_rows(path)


def test_a_link_or_a_fifo_in_place_of_the_rows_is_removed_never_followed(cli: Any, tmp_path: Path) -> None:
    _fill()
    elsewhere = tmp_path / "precious.txt"
    elsewhere.write_text("mine", encoding="utf-8")
    path = _rows()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(elsewhere)
    _all_right(cli)
    assert elsewhere.read_text(encoding="utf-8") == "mine"
    assert _is_our_rows(path)
    path.unlink()
    os.mkfifo(path)  # opening it would wait for a writer forever
    _all_right(cli)
    assert _is_our_rows(path)


def test_rows_that_are_not_ours_or_lie_are_rebuilt(cli: Any) -> None:
    _fill()
    _all_right(cli)
    path = _rows()
    with sqlite3.connect(path) as db:  # a planted trigger
        db.execute("CREATE TRIGGER planted AFTER INSERT ON rows BEGIN DELETE FROM rows; END")
    _all_right(cli)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").fetchone() == (0,)
        db.execute("UPDATE meta SET value = '999' WHERE key = 'version'")
    _all_right(cli)
    with sqlite3.connect(path) as db, pytest.raises(sqlite3.IntegrityError):  # typed columns refuse a lie
        db.execute("UPDATE rows SET year = 'soon' WHERE id = '1706.03762'")
    with sqlite3.connect(path) as db:  # a light record of the wrong shape, under the right stamp
        db.execute(
            """UPDATE lights SET light = CAST('{"id": "2101.03961", "title": 7}' AS BLOB) WHERE id = '2101.03961'"""
        )
    _all_right(cli)  # show reads library.json instead
    assert _is_our_rows(path)


def test_a_library_with_a_problem_is_never_copied_into_rows(cli: Any, home: Path) -> None:
    _fill()
    library = home / "library.json"
    data = json.loads(library.read_text(encoding="utf-8"))
    data["papers"]["1706.03762"]["year"] = "not a year"
    library.write_text(json.dumps(data), encoding="utf-8")
    for _ in range(2):
        result = cli("list")
        assert result.code == 0 and "1706.03762" in result.err  # named every time, left out
        assert "1706.03762" not in result.out
    assert not _rows().exists()


def test_an_unusable_cache_folder_still_lists(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill()
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("READLIST_CACHE", str(blocked))
    _all_right(cli)
    assert cli("tag", "1706.03762", "x").code == 0
    assert _listed(cli, "-t", "x") == ["1706.03762"]
    assert blocked.read_text(encoding="utf-8") == "a file where the cache folder should be"


def test_rows_carry_what_the_terminal_table_marks(cli: Any) -> None:
    _fill()
    with Library(load_settings())._transaction() as tx:
        tx.put_papers({"2301.00001": {"id": "2301.00001", "title": "Pending one", "pending": True}})
    assert cli("list").code == 0  # makes the rows
    from readlist.core.query import list_query

    assert Library(load_settings())._fresh_rows() is not None

    rows = {r["id"]: r for r in Library(load_settings()).list_rows(list_query(None))}
    assert rows["2301.00001"]["pending"] is True and rows["2101.03961"]["pending"] is False
    assert rows["2101.03961"]["tags"] == ["moe"] and rows["1706.03762"]["tags"] == []
    assert "status" not in rows["2301.00001"] and rows["1706.03762"]["status"] == "to-read"
