"""Upgrades on the first write, the old file kept: schema 1 -> 3 (texts apart, an insertion sequence, tags
normalised, compact light records) and schema 2 -> 3 (compact light records, nothing else changed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

V1 = {
    "meta": {"schema": {"version": 1}},
    "papers": {
        "2101.03961": {
            "id": "2101.03961", "title": "Switch Transformers", "authors": ["William Fedus"], "year": 2021,
            "abstract": "Routing each token to one expert.", "notes": "Capacity factor 1.25.", "status": "reading",
            "tags": ["MoE", "moe", "Deep Learning"], "added": "2024-03-05T10:00:00+00:00", "source": "arxiv",
        },
        "1706.03762": {
            "id": "1706.03762", "title": "Attention Is All You Need", "authors": ["Ashish Vaswani"], "year": 2017,
            "abstract": "Attention alone.", "notes": "", "status": "read", "tags": ["classic"],
            "added": "2024-03-01T10:00:00+00:00", "source": "arxiv",
        },
    },
}  # fmt: skip


def _write_v1(home: Path) -> bytes:
    home.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(V1).encode()
    (home / "library.json").write_bytes(raw)
    return raw


def test_a_schema_1_library_is_read_as_it_is_without_a_write(cli: Any, home: Path) -> None:
    raw = _write_v1(home)
    shown = cli("show", "2101.03961", "--json")
    assert shown.code == 0 and shown.json["notes"] == "Capacity factor 1.25."
    assert cli("list", "-q", "expert").out.startswith("2101.03961")
    assert (home / "library.json").read_bytes() == raw
    assert not (home / "library.texts").exists()


def test_the_first_write_upgrades_after_keeping_the_old_file(cli: Any, home: Path) -> None:
    raw = _write_v1(home)
    result = cli("status", "1706.03762", "dropped")
    assert result.code == 0, result.err
    upgrade = [line for line in result.err.splitlines() if "upgraded" in line]
    assert len(upgrade) == 1 and "schema 3" in upgrade[0]
    assert "'MoE' -> 'moe'" in upgrade[0] and "'Deep Learning' -> 'deep-learning'" in upgrade[0]
    assert (home / "library.json.v1.bak").read_bytes() == raw

    stored = json.loads((home / "library.json").read_text(encoding="utf-8"))
    assert stored["meta"]["schema"] == {"version": 3}
    light = stored["papers"]
    assert "abstract" not in light["2101.03961"] and "notes" not in light["2101.03961"]
    assert light["2101.03961"]["tags"] == ["moe", "deep-learning"]  # merged, in their order
    assert (light["1706.03762"]["seq"], light["2101.03961"]["seq"]) == (1, 2)  # the order they were added
    assert any((home / "library.texts").glob("*.json"))

    whole = cli("show", "2101.03961", "--json").json
    assert whole["abstract"] == "Routing each token to one expert." and whole["notes"] == "Capacity factor 1.25."
    assert cli("show", "1706.03762", "--json").json["status"] == "dropped"
    again = cli("tag", "1706.03762", "x")
    assert again.code == 0 and "upgraded" not in again.err  # once


def test_an_older_readlist_meeting_a_newer_library_names_the_version(cli: Any, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "library.json").write_text('{"meta": {"schema": {"version": 4}}, "papers": {}}', encoding="utf-8")
    result = cli("list")
    assert result.code == 1
    assert len(result.err.strip().splitlines()) == 1 and "schema 4" in result.err and "newer readlist" in result.err
    assert "reads up to 3" in result.err


# A schema-2 library as that readlist wrote it: every light record in full, explicit nulls and empty lists.
V2_RECORD = {
    "id": "2101.03961", "title": "Switch Transformers", "version": "v3", "authors": ["William Fedus"],
    "year": 2021, "published": None, "updated": None, "categories": ["cs.LG"], "primary_category": "cs.LG",
    "url": "https://arxiv.org/abs/2101.03961", "pdf_url": "https://arxiv.org/pdf/2101.03961v3", "doi": None,
    "journal_ref": None, "comment": None, "status": "read",
    "status_history": [{"status": "to-read", "date": "2024-03-05T10:00:00+00:00"},
                       {"status": "read", "date": "2024-03-09T18:30:00+00:00"}],
    "tags": ["moe"], "added": "2024-03-05T10:00:00+00:00", "modified": None, "pending": False, "source": "arxiv",
    "latest_version": None, "key": "fedus2021switch", "venue": {}, "type": None, "edited": [], "files": [],
    "seq": 1, "text": "",
}  # fmt: skip
V2_MANUAL = {
    **V2_RECORD, "id": "manual:notes-on-moe", "title": "Notes on MoE", "url": None, "pdf_url": None,
    "categories": [], "primary_category": None, "status": "to-read", "key": "notes2021moe", "seq": 2,
    "status_history": [], "venue": {"journal": "Workshop"}, "doi": "10.1234/moe",
}  # fmt: skip


def _write_v2(home: Path, records: list[dict[str, Any]]) -> bytes:
    home.mkdir(parents=True, exist_ok=True)
    raw = json.dumps({"meta": {"schema": {"version": 2}}, "papers": {r["id"]: r for r in records}}).encode()
    (home / "library.json").write_bytes(raw)
    return raw


def test_a_schema_2_library_becomes_compact_on_its_first_write_and_reads_the_same(cli: Any, home: Path) -> None:
    raw = _write_v2(home, [V2_RECORD, V2_MANUAL])
    before = cli("list", "--json").json
    assert (home / "library.json").read_bytes() == raw  # reading never upgrades

    result = cli("tag", "manual:notes-on-moe", "later")
    assert result.code == 0, result.err
    upgrade = [line for line in result.err.splitlines() if "upgraded" in line]
    assert len(upgrade) == 1 and "schema 3" in upgrade[0] and "library.json.v2.bak" in upgrade[0]
    assert (home / "library.json.v2.bak").read_bytes() == raw

    stored = json.loads((home / "library.json").read_text(encoding="utf-8"))
    assert stored["meta"]["schema"] == {"version": 3}
    switch = stored["papers"]["2101.03961"]
    # Only what differs from the default: no nulls, no empty lists, no links arXiv's id gives, no first change.
    assert switch == {
        "id": "2101.03961", "title": "Switch Transformers", "version": "v3", "authors": ["William Fedus"],
        "year": 2021, "primary_category": "cs.LG", "status": "read",
        "history": [["read", "2024-03-09T18:30:00+00:00"]], "tags": ["moe"],
        "added": "2024-03-05T10:00:00+00:00", "key": "fedus2021switch", "seq": 1,
    }  # fmt: skip
    manual = stored["papers"]["manual:notes-on-moe"]
    assert manual["status_history"] == [] and "url" not in manual and manual["venue"] == {"journal": "Workshop"}

    after = {p["id"]: p for p in cli("list", "--json").json}
    expected = {p["id"]: p for p in before}
    expected["manual:notes-on-moe"]["tags"] = ["moe", "later"]
    assert after["manual:notes-on-moe"]["modified"] is not None
    expected["manual:notes-on-moe"]["modified"] = after["manual:notes-on-moe"]["modified"]
    assert after == expected  # every field reads as it did, in the same order
    assert {pid: list(p) for pid, p in after.items()} == {pid: list(p) for pid, p in expected.items()}
    assert cli("show", "2101.03961", "--json").json == next(p for p in before if p["id"] == "2101.03961")
    again = cli("tag", "2101.03961", "x")
    assert again.code == 0 and "upgraded" not in again.err  # once


def test_a_hand_written_record_with_explicit_nulls_reads_in_a_schema_3_library(cli: Any, home: Path) -> None:
    record = {**V2_RECORD, "url": None, "pdf_url": None}
    del record["categories"], record["status_history"]  # left out: derived
    home.mkdir(parents=True, exist_ok=True)
    data = {"meta": {"schema": {"version": 3}}, "papers": {"2101.03961": record}}
    (home / "library.json").write_text(json.dumps(data), encoding="utf-8")
    shown = cli("show", "2101.03961", "--json")
    assert shown.code == 0, shown.err
    paper = shown.json
    assert paper["url"] is None and paper["pdf_url"] is None  # an explicit null is no link
    assert paper["categories"] == ["cs.LG"] and paper["doi"] is None and paper["venue"] == {}
    assert paper["status_history"] == [{"status": "to-read", "date": "2024-03-05T10:00:00+00:00"}]
    assert cli("status", "2101.03961", "reading").code == 0  # and it is writable
    assert cli("show", "2101.03961", "--json").json["status"] == "reading"


def test_a_malformed_history_is_named_and_blocks_writes(cli: Any, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    record = {"id": "2101.03961", "title": "Switch", "added": "2024-03-05T10:00:00+00:00", "history": [["read"]]}
    data = {"meta": {"schema": {"version": 3}}, "papers": {"2101.03961": record}}
    (home / "library.json").write_text(json.dumps(data), encoding="utf-8")
    listed = cli("list", "--json")
    assert listed.json == [] and "history" in listed.err and "[status, date]" in listed.err
    assert cli("tag", "2101.03961", "x").code != 0


def test_a_first_write_that_fails_upgrades_nothing_and_says_nothing_of_it(cli: Any, home: Path) -> None:
    raw = _write_v2(home, [V2_RECORD])
    failed = cli("status", "1706.03762", "read")  # not in the library
    assert failed.code == 1 and "upgraded" not in failed.err
    assert (home / "library.json").read_bytes() == raw
    (home / "library.json").write_bytes(raw.replace(b"Switch Transformers", b"Switch Transformers!"))
    done = cli("status", "2101.03961", "reading")
    assert done.code == 0 and "upgraded" in done.err
    # The kept file is the one just before the upgrade, not the one the failed write looked at.
    assert b"Switch Transformers!" in (home / "library.json.v2.bak").read_bytes()
