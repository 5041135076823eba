"""The library file: atomic, locked, backed up, and never overwritten when unreadable."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import orjson
import pytest

from readlist.core.errors import CorruptLibrary, StoreError
from readlist.core.store import SCHEMA_VERSION, Store


def test_records_are_keyed_by_their_own_id(tmp_path: Path) -> None:
    store = Store(tmp_path / "library.json")
    with store.transaction() as tx:
        tx.put_papers({"2101.03961": {"id": "2101.03961"}})
        tx.put_papers({"hep-th/9711200": {"id": "hep-th/9711200"}})
    data = json.loads((tmp_path / "library.json").read_text(encoding="utf-8"))
    assert set(data["papers"]) == {"2101.03961", "hep-th/9711200"}
    assert data["meta"]["schema"] == {"version": SCHEMA_VERSION}
    joined = store.snapshot().papers.get("hep-th/9711200")
    given = {"id": "hep-th/9711200", "seq": 2, "abstract": "", "notes": "", "blurb": "", "origin": None}
    assert joined is not None and {k: joined[k] for k in given} == given and joined["other_entries"] == []
    # A field the record lacked reads as its default, never as one derived from the id.
    assert joined["url"] is None and joined["status_history"] == [] and joined["tags"] == []


def test_writes_outside_a_transaction_are_refused(tmp_path: Path) -> None:
    store = Store(tmp_path / "library.json")
    with pytest.raises(RuntimeError, match="transaction"):
        store.table("papers").insert({"id": "x"})
    assert not (tmp_path / "library.json").exists()


def test_a_transaction_commits_once_or_not_at_all(tmp_path: Path) -> None:
    store = Store(tmp_path / "library.json")
    with store.transaction() as tx:
        tx.put_papers({"a": {"id": "a"}})
    before = (tmp_path / "library.json").read_bytes()
    with pytest.raises(ValueError), store.transaction() as tx:
        tx.put_papers({"b": {"id": "b"}})
        raise ValueError("boom")
    assert (tmp_path / "library.json").read_bytes() == before


def test_unicode_is_stored_as_utf8(tmp_path: Path) -> None:
    store = Store(tmp_path / "library.json")
    with store.transaction() as tx:
        tx.put_papers({"a": {"id": "a", "notes": "Ünïcödé ✓ — עברית"}})
    (shard,) = (tmp_path / "library.texts").glob("*.json")  # the notes are kept with the texts
    assert "Ünïcödé ✓ — עברית".encode() in shard.read_bytes()


def test_backup_holds_the_previous_good_state(tmp_path: Path) -> None:
    store = Store(tmp_path / "library.json")
    with store.transaction() as tx:
        tx.put_papers({"a": {"id": "a"}})
    first = (tmp_path / "library.json").read_bytes()
    with store.transaction() as tx:
        tx.put_papers({"b": {"id": "b"}})
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
        with store.transaction() as tx:
            tx.put_papers({key: {"id": key}})
    path.write_bytes(content)
    with pytest.raises(CorruptLibrary) as info, store.transaction() as tx:
        tx.put_papers({"c": {"id": "c"}})
    message = str(info.value)
    assert "library.json" in message and reason in message
    assert "library.json.bak" in message and "cp " in message  # how to restore
    assert path.read_bytes() == content
    with pytest.raises(CorruptLibrary):
        dict(store.snapshot().papers)
    assert list(json.loads((tmp_path / "library.json.bak").read_text())["papers"]) == ["a"]


def test_first_write_has_no_backup_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    store = Store(path)
    with store.transaction() as tx:
        tx.put_papers({"a": {"id": "a"}})
    path.write_bytes(b"{")
    with pytest.raises(CorruptLibrary, match="no backup yet"):
        dict(store.snapshot().papers)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    path.write_text(json.dumps({"meta": {"schema": {"version": SCHEMA_VERSION + 1}}, "papers": {}}))
    with pytest.raises(StoreError, match="newer readlist"):
        dict(Store(path).snapshot().papers)


def test_reads_see_other_writers_without_caching(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    reader, writer = Store(path), Store(path)
    assert dict(reader.snapshot().papers) == {}
    stamp = reader.stamp()
    with writer.transaction() as tx:
        tx.put_papers({"a": {"id": "a"}})
    assert list(dict(reader.snapshot().papers)) == ["a"]
    assert reader.stamp() != stamp


def _add_many(path: str, prefix: str, count: int) -> None:
    store = Store(Path(path))
    for i in range(count):
        with store.transaction() as tx:
            tx.put_papers({f"{prefix}{i}": {"id": f"{prefix}{i}"}})


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
    records = dict(Store(path).snapshot().papers)
    assert len(records) == 120
    json.loads(path.read_text(encoding="utf-8"))


def test_unwritable_directory_gives_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "library.json"
    store = Store(path)
    with store.transaction() as tx:
        tx.put_papers({"a": {"id": "a"}})
    before = path.read_bytes()

    def no_space(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(StoreError, match=r"No space left on device.*unchanged"), store.transaction() as tx:
        tx.put_papers({"b": {"id": "b"}})
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["library.json", "library.json.lock"]


def test_written_stamp_is_the_file_as_this_writer_left_it(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    mine, other = Store(path), Store(path)
    assert mine.written_stamp() is None
    with mine.transaction() as tx:
        tx.put_papers({"a": {"id": "a"}})
    assert mine.written_stamp() == mine.stamp()
    with other.transaction() as tx:
        tx.put_papers({"b": {"id": "b"}})
    assert mine.written_stamp() != mine.stamp()  # someone wrote after us


def test_a_symlinked_library_is_written_through_the_link(tmp_path: Path) -> None:
    synced = tmp_path / "synced"
    synced.mkdir()
    (tmp_path / "home").mkdir()
    link = tmp_path / "home" / "library.json"
    link.symlink_to(synced / "library.json")
    (synced / "library.json").write_text(json.dumps({"papers": {"a": {"id": "a"}}}))
    store = Store(link)
    for key in ("b", "c"):
        with store.transaction() as tx:
            tx.put_papers({key: {"id": key}})
    assert link.is_symlink()  # the link stays a link
    assert set(json.loads((synced / "library.json").read_text())["papers"]) == {"a", "b", "c"}
    # The lock and the backup live beside the real file, in the synced folder.
    assert (synced / "library.json.bak").exists() and (synced / "library.json.lock").exists()
    assert sorted(p.name for p in (tmp_path / "home").iterdir()) == ["library.json"]


def test_a_dangling_library_link_is_an_error_naming_the_target(tmp_path: Path) -> None:
    link = tmp_path / "library.json"
    link.symlink_to(tmp_path / "unmounted" / "library.json")
    store = Store(link)
    with pytest.raises(StoreError, match=r"unmounted/library\.json, which does not exist"):
        store.snapshot()
    with pytest.raises(StoreError, match="does not exist"), store.transaction() as tx:
        tx.put_papers({"a": {"id": "a"}})
    assert link.is_symlink() and not (tmp_path / "unmounted").exists()


MALFORMED = [
    ({"id": "bad", "title": 5}, "title is 5, not text"),
    ([1, 2], "is list, not an object"),
    ({"title": "no id"}, "has no 'id'"),
    ({"id": "other", "title": "x"}, "its id is 'other'"),
    ({"id": "bad", "tags": "moe"}, "tags is 'moe', not a list of text"),
    ({"id": "bad", "status": "someday"}, "status is 'someday'"),
]


@pytest.mark.parametrize(("record", "why"), MALFORMED)
def test_a_malformed_record_is_skipped_by_reads_and_blocks_writes(tmp_path: Path, record: object, why: str) -> None:
    path = tmp_path / "library.json"
    path.write_text(json.dumps({"papers": {"good": {"id": "good", "title": "Fine"}, "bad": record}}))
    before = path.read_bytes()
    snapshot = Store(path).snapshot()
    assert list(snapshot.papers) == ["good"]
    assert len(snapshot.problems) == 1 and "'bad'" in snapshot.problems[0] and why in snapshot.problems[0]
    with pytest.raises(StoreError, match="Fix or delete that record") as info, Store(path).transaction() as tx:
        tx.put_papers({"new": {"id": "new"}})
    assert why in str(info.value)
    assert path.read_bytes() == before  # never rewritten silently


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b'{"meta": {"schema": "one"}, "papers": {}}', "meta.schema should be"),
        (b"[" * 200_000, "not valid JSON"),
    ],
)
def test_malformed_files_give_one_line(tmp_path: Path, content: bytes, why: str) -> None:
    path = tmp_path / "library.json"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=why) as info:
        Store(path).snapshot()
    assert "\n" not in str(info.value)


def test_control_characters_are_cleaned_as_read_and_never_written(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    evil = "Evil \x1b]0;owned\x07 \x1b[2J\x9b31m \u202eTitle"
    path.write_text(json.dumps({"papers": {"a": {"id": "a", "title": evil, "notes": "line\none\x1b[31m"}}}))
    record = Store(path).snapshot().papers["a"]
    assert not any(c in record["title"] for c in "\x1b\x07\x9b\u202e")
    assert record["notes"].startswith("line\none")  # newlines stay in notes
    with Store(path).transaction() as tx:
        tx.put_papers({"b": {"id": "b", "title": "new \x9d title"}})
    raw = path.read_text(encoding="utf-8")
    assert not any(c in raw for c in "\x1b\x07\x9b\x9d\u202e") and "\\u001b" not in raw


def test_a_command_parses_the_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "library.json"
    store = Store(path)
    with store.transaction() as tx:
        tx.put_papers({"a": {"id": "a"}})
    parses = []
    real = orjson.loads
    monkeypatch.setattr(orjson, "loads", lambda raw: parses.append(1) or real(raw))
    fresh = Store(path)
    for _ in range(5):
        assert list(fresh.snapshot().papers) == ["a"]
    assert len(parses) == 1
    with Store(path).transaction() as tx:  # another process writes: the next read parses again
        tx.put_papers({"b": {"id": "b"}})
    assert list(fresh.snapshot().papers) == ["a", "b"]


def test_a_file_changed_after_readlist_wrote_it_is_checked_again(tmp_path: Path) -> None:
    """Records readlist wrote itself are trusted; the same file edited by hand afterwards is checked again."""
    path = tmp_path / "library.json"
    with Store(path).transaction() as tx:
        tx.put_papers({"a": {"id": "a", "title": "Fine"}})
    assert Store(path).snapshot().problems == ()
    data = json.loads(path.read_text(encoding="utf-8"))
    data["papers"]["a"]["title"] = "Evil \x1b]0;owned\x07"
    data["papers"]["b"] = {"id": "b", "title": 5}
    path.write_text(json.dumps(data), encoding="utf-8")
    snapshot = Store(path).snapshot()
    assert snapshot.papers["a"]["title"] == "Evil  ]0;owned "
    assert list(snapshot.papers) == ["a"] and "title is 5" in snapshot.problems[0]


def test_someone_elses_clean_file_is_checked_once_and_a_later_edit_again(tmp_path: Path) -> None:
    """A synced or restored file is checked on its first read only; an edit after that is checked again."""
    path = tmp_path / "library.json"
    with Store(path).transaction() as tx:
        tx.put_papers({"a": {"id": "a", "title": "Fine"}})
    data = json.loads(path.read_text(encoding="utf-8"))
    data["papers"]["b"] = {"id": "b", "title": "Also fine"}
    path.write_text(json.dumps(data), encoding="utf-8")  # as a sync would: readlist did not write this
    stamp = os.stat(path)
    assert sorted(Store(path).snapshot().papers) == ["a", "b"]
    remembered = (tmp_path / "library.json.lock").read_text().split()
    assert remembered == [str(stamp.st_ino), str(stamp.st_mtime_ns), str(stamp.st_size)]
    assert path.read_bytes() == json.dumps(data).encode()  # the read wrote nothing into the library

    data["papers"]["b"]["title"] = "Evil \x1b[2J"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert Store(path).snapshot().papers["b"]["title"] == "Evil  [2J"
    assert Store(path).snapshot().papers["b"]["title"] == "Evil  [2J"  # cleaned again: never remembered as clean


def test_a_file_with_a_malformed_record_is_never_remembered_as_clean(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    path.write_text(json.dumps({"papers": {"a": {"id": "a", "title": 5}}}), encoding="utf-8")
    for _ in range(2):
        assert "title is 5" in Store(path).snapshot().problems[0]
    assert not (tmp_path / "library.json.lock").exists() or not (tmp_path / "library.json.lock").read_text().strip()


@pytest.mark.parametrize("planted", ["\x1b[2J", "\x9b31m", "\u202e", "\r", "\\\\\x07"])
@pytest.mark.parametrize("ascii_only", [False, True])
def test_a_text_shard_changed_by_hand_is_cleaned_as_read(tmp_path: Path, planted: str, ascii_only: bool) -> None:
    path = tmp_path / "library.json"
    store = Store(path)
    with store.transaction() as tx:
        tx.put_papers({"a": {"id": "a", "title": "A", "abstract": "plain \\bf text", "notes": "n"}})
    (shard,) = (tmp_path / "library.texts").glob("*.json")
    data = json.loads(shard.read_text(encoding="utf-8"))
    data["texts"]["a"]["abstract"] = f"before {planted} after"
    shard.write_text(json.dumps(data, ensure_ascii=ascii_only), encoding="utf-8")
    abstract = Store(path).snapshot().papers["a"]["abstract"]
    assert abstract.startswith("before ") and abstract.endswith(" after")
    assert not any(c in abstract for c in "\x1b\x9b\u202e\r\x07")


def test_a_write_after_a_read_parses_the_file_once_unless_another_writer_came_between(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "library.json"
    with Store(path).transaction() as tx:
        tx.put_papers({"a": {"id": "a", "tags": ["x"]}})
    parses = []
    real = orjson.loads
    monkeypatch.setattr(orjson, "loads", lambda raw: parses.append(1) or real(raw))
    store = Store(path)
    assert list(store.snapshot().papers) == ["a"]  # what an add looks at before it asks arXiv
    with store.transaction() as tx:  # the same file under the lock: not parsed again
        tx.put_papers({"b": {"id": "b"}})
    assert len(parses) == 1
    with Store(path).transaction() as tx:  # another writer replaces the file
        tx.put_papers({"c": {"id": "c"}})
    with store.transaction() as tx:
        assert set(tx.light) == {"a", "b", "c"}  # parsed again: its write is kept
    assert len(parses) == 3


def test_a_failed_write_leaves_the_next_one_reading_the_file_as_it_is(tmp_path: Path) -> None:
    from readlist.core.models import Paper

    path = tmp_path / "library.json"
    store = Store(path)
    with store.transaction() as tx:
        tx.put_papers({"a": {"id": "a", "tags": ["x"], "files": [{"path": "f.pdf"}]}})
    with pytest.raises(RuntimeError), store.transaction() as tx:
        paper = Paper.from_dict(dict(tx.papers["a"]))
        paper.tags.append("lost")  # a change that is never put, then the write fails
        paper.files[0]["path"] = "g.pdf"
        raise RuntimeError("the write fails")
    assert store.snapshot().papers["a"]["tags"] == ["x"]
    with store.transaction() as tx:
        assert tx.papers["a"]["tags"] == ["x"] and tx.papers["a"]["files"] == [{"path": "f.pdf"}]


@pytest.mark.parametrize(
    "planted",
    [{"abstract": 7}, {"notes": None}, {"blurb": ["x"]}, {"origin": "x"}, {"other_entries": [1]},
     {"other_entries": None}, {"other_entries": {}}, {"gen": 5}, "not an object"],
)  # fmt: skip
def test_a_text_of_the_wrong_shape_in_a_shard_counts_as_missing(tmp_path: Path, planted: object) -> None:
    path = tmp_path / "library.json"
    with Store(path).transaction() as tx:
        tx.put_papers({"a": {"id": "a", "abstract": "A's text", "origin": {"type": "x"}, "other_entries": [{}]}})
    (shard,) = (tmp_path / "library.texts").glob("*.json")
    data = json.loads(shard.read_text(encoding="utf-8"))
    good = data["texts"]["a"]
    assert Store(path).snapshot().papers["a"]["abstract"] == "A's text"
    data["texts"]["a"] = {**good, **planted} if isinstance(planted, dict) else planted
    shard.write_text(json.dumps(data), encoding="utf-8")
    warned: list[str] = []
    store = Store(path)
    store.warn = warned.append
    paper = store.snapshot().papers["a"]
    assert (paper["abstract"], paper["origin"], paper["other_entries"]) == ("", None, [])
    assert len(warned) == 1 and "missing" in warned[0]
