"""Schema 1 -> 2 on the first write: texts apart, an insertion sequence, tags normalised; the old file kept."""

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
    assert len(upgrade) == 1 and "schema 2" in upgrade[0]
    assert "'MoE' -> 'moe'" in upgrade[0] and "'Deep Learning' -> 'deep-learning'" in upgrade[0]
    assert (home / "library.json.v1.bak").read_bytes() == raw

    stored = json.loads((home / "library.json").read_text(encoding="utf-8"))
    assert stored["meta"]["schema"] == {"version": 2}
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
    (home / "library.json").write_text('{"meta": {"schema": {"version": 3}}, "papers": {}}', encoding="utf-8")
    result = cli("list")
    assert result.code == 1
    assert len(result.err.strip().splitlines()) == 1 and "schema 3" in result.err and "newer readlist" in result.err
