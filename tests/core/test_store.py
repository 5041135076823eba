"""The library file: atomic, locked, backed up, and never overwritten when unreadable."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest

from readlist.core.errors import CorruptLibrary, StoreError
from readlist.core.store import SCHEMA_VERSION, Store


def test_records_are_keyed_by_their_own_id(tmp_path: Path) -> None:
    store = Store(tmp_path / "library.json")
    with store.transaction():
        store.papers.put("2101.03961", {"id": "2101.03961"})
        store.papers.put("hep-th/9711200", {"id": "hep-th/9711200"})
    data = json.loads((tmp_path / "library.json").read_text(encoding="utf-8"))
    assert set(data["papers"]) == {"2101.03961", "hep-th/9711200"}
    assert data["meta"]["schema"] == {"version": SCHEMA_VERSION}
    assert store.papers.record("hep-th/9711200") == {"id": "hep-th/9711200"}


def test_writes_outside_a_transaction_are_refused(tmp_path: Path) -> None:
    store = Store(tmp_path / "library.json")
    with pytest.raises(RuntimeError, match="transaction"):
        store.papers.put("x", {"id": "x"})
    assert not (tmp_path / "library.json").exists()


def test_a_transaction_commits_once_or_not_at_all(tmp_path: Path) -> None:
    store = Store(tmp_path / "library.json")
    with store.transaction():
        store.papers.put("a", {"id": "a"})
    before = (tmp_path / "library.json").read_bytes()
    with pytest.raises(ValueError), store.transaction():
        store.papers.put("b", {"id": "b"})
        raise ValueError("boom")
    assert (tmp_path / "library.json").read_bytes() == before


def test_unicode_is_stored_as_utf8(tmp_path: Path) -> None:
    store = Store(tmp_path / "library.json")
    with store.transaction():
        store.papers.put("a", {"id": "a", "notes": "Ünïcödé ✓ — עברית"})
    raw = (tmp_path / "library.json").read_bytes()
    assert "Ünïcödé ✓ — עברית".encode() in raw


def test_backup_holds_the_previous_good_state(tmp_path: Path) -> None:
    store = Store(tmp_path / "library.json")
    with store.transaction():
        store.papers.put("a", {"id": "a"})
    first = (tmp_path / "library.json").read_bytes()
    with store.transaction():
        store.papers.put("b", {"id": "b"})
    assert (tmp_path / "library.json.bak").read_bytes() == first
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"papers": {"1": {"id": "2101.0', "not valid JSON"),
        (b"", "empty"),
        (b"\xff\xfe garbage", "not UTF-8"),
        (b"[1, 2, 3]", "does not hold a table"),
    ],
)
def test_corrupt_file_is_refused_and_left_untouched(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "library.json"
    store = Store(path)
    for key in ("a", "b"):  # two writes: the backup holds the state after the first
        with store.transaction():
            store.papers.put(key, {"id": key})
    path.write_bytes(content)
    with pytest.raises(CorruptLibrary) as info, store.transaction():
        store.papers.put("c", {"id": "c"})
    message = str(info.value)
    assert "library.json" in message and reason in message
    assert "library.json.bak" in message and "cp " in message  # how to restore
    assert path.read_bytes() == content
    with pytest.raises(CorruptLibrary):
        store.papers.records()
    assert list(json.loads((tmp_path / "library.json.bak").read_text())["papers"]) == ["a"]


def test_first_write_has_no_backup_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    store = Store(path)
    with store.transaction():
        store.papers.put("a", {"id": "a"})
    path.write_bytes(b"{")
    with pytest.raises(CorruptLibrary, match="no backup yet"):
        store.papers.records()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    path.write_text(json.dumps({"meta": {"schema": {"version": SCHEMA_VERSION + 1}}, "papers": {}}))
    with pytest.raises(StoreError, match="newer readlist"):
        Store(path).papers.records()


def test_reads_see_other_writers_without_caching(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    reader, writer = Store(path), Store(path)
    assert reader.papers.records() == {}
    stamp = reader.stamp()
    with writer.transaction():
        writer.papers.put("a", {"id": "a"})
    assert list(reader.papers.records()) == ["a"]
    assert reader.stamp() != stamp


def _add_many(path: str, prefix: str, count: int) -> None:
    store = Store(Path(path))
    for i in range(count):
        with store.transaction():
            store.papers.put(f"{prefix}{i}", {"id": f"{prefix}{i}"})


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_add_many, args=(str(path), p, 40)) for p in ("a", "b")]
    for w in workers:
        w.start()
    _add_many(str(path), "c", 40)
    for w in workers:
        w.join(60)
        assert w.exitcode == 0
    records = Store(path).papers.records()
    assert len(records) == 120
    json.loads(path.read_text(encoding="utf-8"))


def test_unwritable_directory_gives_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "library.json"
    store = Store(path)
    with store.transaction():
        store.papers.put("a", {"id": "a"})
    before = path.read_bytes()

    def no_space(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(StoreError, match=r"No space left on device.*unchanged"), store.transaction():
        store.papers.put("b", {"id": "b"})
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["library.json", "library.json.lock"]


def test_written_stamp_is_the_file_as_this_writer_left_it(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    mine, other = Store(path), Store(path)
    assert mine.written_stamp() is None
    with mine.transaction():
        mine.papers.put("a", {"id": "a"})
    assert mine.written_stamp() == mine.stamp()
    with other.transaction():
        other.papers.put("b", {"id": "b"})
    assert mine.written_stamp() != mine.stamp()  # someone wrote after us
