"""The search index in the cache folder: derived, rebuilt on any doubt, never trusted over the library.

Drills: the index deleted, corrupted, replaced by a link or by a database that
is not readlist's, left stale by another process's write, or impossible to
write: `readlist list -q` answers right every time, and the index comes back.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from readlist.core.config import load_settings
from readlist.core.library import Library
from readlist.core.search_index import INDEX_VERSION, index_file

PAPERS = {
    "2101.03961": ("Switch Transformers", "A mixture-of-experts router sends each token to one expert."),
    "1706.03762": ("Attention Is All You Need", "Attention alone, no recurrence."),
    "doi:10.1145/3442188.3445922": ("On the Dangers of Stochastic Parrots", "Large language models and risk."),
}


def _fill(extra: int = 0) -> None:
    records: dict[str, dict[str, Any]] = {}
    for pid, (title, abstract) in PAPERS.items():
        records[pid] = {"id": pid, "title": title, "abstract": abstract, "status": "to-read", "tags": []}
    for i in range(extra):
        pid = f"manual:filler-{i}"
        records[pid] = {"id": pid, "title": f"Filler paper {i}", "abstract": "Nothing to see.", "status": "read"}
    with Library(load_settings())._transaction() as tx:
        tx.put_papers(records)


def _index() -> Path:
    settings = load_settings()
    return index_file(settings.cache_dir, settings.library_path)


def _found(cli: Any, query: str) -> list[str]:
    result = cli("list", "-q", query)
    assert result.code == 0, result.err
    return sorted(line.split("\t")[0] for line in result.out.splitlines())


QUERIES = {
    "mixture experts": ["2101.03961"],
    "recurence": ["1706.03762"],  # one typo
    "doi:10.1145/3442188": ["doi:10.1145/3442188.3445922"],  # an id, as typed
    '"one expert"': ["2101.03961"],
    "-attention status:to-read": ["2101.03961", "doi:10.1145/3442188.3445922"],
}


def _all_right(cli: Any) -> None:
    for query, expected in QUERIES.items():
        assert _found(cli, query) == expected, query


def _is_our_index(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    with sqlite3.connect(path) as db:
        return db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone() is not None


def test_a_query_builds_the_index_in_the_cache_folder(cli: Any, home: Path) -> None:
    _fill()
    assert not _index().exists()
    _all_right(cli)
    assert _is_our_index(_index())
    assert not any(p.name.startswith("search-") for p in home.iterdir())  # nothing derived beside the library


def test_a_deleted_index_is_rebuilt(cli: Any) -> None:
    _fill()
    _all_right(cli)
    _index().unlink()
    _all_right(cli)
    assert _is_our_index(_index())


def test_a_corrupt_index_is_rebuilt(cli: Any) -> None:
    _fill()
    _all_right(cli)
    path = _index()
    data = bytearray(path.read_bytes())
    data[100:4000] = os.urandom(3900)  # the header's tail and the schema page
    path.write_bytes(bytes(data))
    _all_right(cli)
    assert _is_our_index(path)
    path.write_bytes(b"not a database at all" * 100)
    _all_right(cli)
    assert _is_our_index(path)


def test_a_link_in_place_of_the_index_is_removed_never_followed(cli: Any, tmp_path: Path) -> None:
    _fill()
    elsewhere = tmp_path / "precious.txt"
    elsewhere.write_text("mine", encoding="utf-8")
    path = _index()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(elsewhere)
    _all_right(cli)
    assert elsewhere.read_text(encoding="utf-8") == "mine"
    assert _is_our_index(path)


def test_a_database_that_is_not_ours_is_rebuilt(cli: Any) -> None:
    _fill()
    _all_right(cli)
    path = _index()
    with sqlite3.connect(path) as db:  # a planted trigger, and lies in the index
        db.execute("CREATE TRIGGER planted AFTER INSERT ON docs BEGIN DELETE FROM docs; END")
    _all_right(cli)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").fetchone() == (0,)
        db.execute("UPDATE meta SET value = '999' WHERE key = 'version'")
    _all_right(cli)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone() == (str(INDEX_VERSION),)


def test_another_process_write_is_seen_and_only_changed_papers_are_indexed_again(cli: Any) -> None:
    _fill(extra=50)
    _all_right(cli)
    with sqlite3.connect(_index()) as db:  # a mark on every stored text: one indexed again loses it
        db.execute("UPDATE docs SET text = text || ' (as first indexed)'")
    assert cli("note", "1706.03762", "--append", "Mixture of experts would help here.").code == 0
    assert _found(cli, "mixture experts") == ["1706.03762", "2101.03961"]
    with sqlite3.connect(_index()) as db:
        texts = dict(db.execute("SELECT id, text FROM docs").fetchall())
    assert len(texts) == len(PAPERS) + 50
    assert [pid for pid, text in texts.items() if not text.endswith(" (as first indexed)")] == ["1706.03762"]
    assert "mixture of experts would help here" in texts["1706.03762"].lower()
    assert cli("rm", "2101.03961").code == 0
    assert _found(cli, "mixture experts") == ["1706.03762"]


def test_without_a_usable_cache_folder_queries_still_answer(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill()
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("READLIST_CACHE", str(blocked))
    from readlist.cli import app as cli_app

    cli_app.settings.cache_clear()
    cli_app.library.cache_clear()
    _all_right(cli)
    assert blocked.read_text(encoding="utf-8") == "a file where the cache folder should be"


def test_a_first_build_reads_the_texts_one_shard_at_a_time(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 50,000 papers every shard's texts held at once were 400 MB more: the index is filled a shard's
    papers at a time, each shard let go before the next is read."""
    from readlist.core import texts

    _fill(extra=300)  # papers in (nearly) every shard
    held: list[int] = []
    read = texts.Shards.load

    def load(self: texts.Shards, n: int) -> dict[str, Any]:
        found = read(self, n)
        held.append(len(self._cache))
        return found

    monkeypatch.setattr(texts.Shards, "load", load)
    library = Library(load_settings())
    library.sync_search_index()
    assert len(held) > 32 and max(held) == 1  # many shards read, never two held
    with sqlite3.connect(_index()) as db:
        assert sorted(row[0] for row in db.execute("SELECT id FROM docs")) == sorted(library.snapshot().light)
    _all_right(cli)


def test_the_vocabulary_moved_on_word_by_word_is_the_one_read_whole(cli: Any) -> None:
    _fill(extra=5)
    _all_right(cli)
    assert cli("note", "1706.03762", "--append", "Zyxwords appear; Quokkas too.").code == 0
    assert cli("rm", "manual:filler-3").code == 0  # its number word ("3") is in no other paper
    assert _found(cli, "zyxword") == ["1706.03762"]  # one typo away: answered from the vocabulary
    with sqlite3.connect(_index()) as db:
        kept = db.execute("SELECT value FROM meta WHERE key = 'vocabulary'").fetchone()[0].split("\n")
        whole = [row[0] for row in db.execute("SELECT term FROM vocab")]
    assert "zyxwords" in kept and "quokkas" in kept and "3" not in kept
    assert kept == whole
