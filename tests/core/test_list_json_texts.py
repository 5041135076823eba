"""``list --json`` prints each text as its shard holds it (one entry a line, see readlist.core.texts), and
what it prints is byte for byte what parsing the shard and printing its records gives, whatever the shard holds."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from readlist.core.store import Store
from readlist.core.texts import HEAVY_FIELDS, shard_of

PAPERS = {
    "a": {"id": "a", "title": "Ünïcode ☃", "abstract": "An abstract with \"quotes\", \\ and\nlines.", "notes": "n"},
    "b": {"id": "b", "title": "No text at all"},
    "c": {"id": "c", "title": "C", "origin": {"z": 1, "a": [1.5, None, {"d": "x"}]}, "other_entries": [{"key": "k"}]},
    "2101.03961": {"id": "2101.03961", "title": "Switch", "blurb": "a blurb", "tags": ["moe"]},
}  # fmt: skip


def _library(tmp_path: Path) -> Path:
    path = tmp_path / "library.json"
    with Store(path).transaction() as tx:
        tx.put_papers(PAPERS)
    return path


def _both_ways(path: Path) -> tuple[bytes, bytes, list[str], list[str]]:
    """list --json's bytes as printed from the shards' lines, and as the parsed records printed, with the
    warnings of each."""
    printed: list[bytes] = []
    warnings: list[list[str]] = []
    for encoded in (True, False):
        store = Store(path)
        heard: list[str] = []
        store.warn = heard.append
        papers = store.snapshot().papers
        ids = list(papers)
        if encoded:
            printed.append(b",".join(papers.joined_json(ids)))  # type: ignore[attr-defined]
        else:
            printed.append(b",".join(orjson.dumps(r) for r in papers.joined(ids)))  # type: ignore[attr-defined]
        warnings.append(heard)
    return printed[0], printed[1], warnings[0], warnings[1]


def _shard(path: Path, paper_id: str) -> Path:
    return path.with_name("library.texts") / f"{shard_of(paper_id):02x}.json"


def test_a_shard_is_written_one_entry_a_line_generation_first_every_field_given(tmp_path: Path) -> None:
    path = _library(tmp_path)
    raw = _shard(path, "a").read_bytes()
    assert raw.startswith(b'{"texts":{\n') and raw.endswith(b"\n}}")
    lines = raw.decode("utf-8").split("\n")[1:-1]
    assert any(line.startswith('"a":{"gen":"') for line in lines)
    for line in lines:
        ((_, entry),) = json.loads("{" + line.rstrip(",") + "}").items()
        assert list(entry) == ["gen", *HEAVY_FIELDS]
    stored = Store(path).snapshot().papers
    assert (stored["a"]["notes"], stored["a"]["blurb"], stored["a"]["origin"]) == ("n", "", None)


def test_list_json_prints_what_the_parsed_records_print(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from readlist.core import texts

    path = _library(tmp_path)
    whole_reads: list[Path] = []
    read = texts._read
    monkeypatch.setattr(texts, "_read", lambda shard: whole_reads.append(shard) or read(shard))
    papers = Store(path).snapshot().papers
    printed = b",".join(papers.joined_json(list(papers)))  # type: ignore[attr-defined]
    assert whole_reads == []  # every text printed from its line, none parsed into a record
    encoded, parsed, heard, _ = _both_ways(path)
    assert printed == encoded == parsed and not heard
    assert {r["id"]: r for r in json.loads(b"[" + encoded + b"]")}["c"]["origin"] == PAPERS["c"]["origin"]


def _replace(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def edit(raw: bytes) -> bytes:
        assert old in raw
        return raw.replace(old, new, 1)

    return edit


HAND_EDITS = {
    "an escape sequence written as an escape": _replace(b'"notes":"n"', b'"notes":"n \\u001b[2J"'),
    "a bidi control written raw": _replace(b'"notes":"n"', '"notes":"n \u202e"'.encode()),
    "a field of the wrong type": _replace(b'"notes":"n"', b'"notes":7'),
    "the id written with an escape": _replace(b'"a":{', b'"\\u0061":{'),
    "a space after the colon": _replace(b'"a":{', b'"a": {'),
    "another key": _replace(b'"notes":"n"', b'"notes":"n","mine":[1,2]'),
    "the generation last": lambda raw: raw.replace(b'"a":{"gen":', b'"a":{"x":0,"gen":', 1),
    "another generation": _replace(b'"a":{"gen":"', b'"a":{"gen":"0'),
    "no comma between lines": lambda raw: raw.replace(b",\n", b"\n", 1),
    "a line's garbage after its entry": lambda raw: raw.replace(b"},\n", b"}},\n", 1),
    "two lines with the same id": lambda raw: raw.replace(
        b'{"texts":{\n', b'{"texts":{\n"a":{"gen":"x","abstract":"first"},\n', 1
    ),
    "the whole file on one line": lambda raw: raw.replace(b",\n", b",").replace(b"{\n", b"{").replace(b"\n}", b"}"),
}


@pytest.mark.parametrize("edit", HAND_EDITS.values(), ids=HAND_EDITS.keys())
def test_a_shard_edited_by_hand_prints_as_its_parsed_records_do(tmp_path: Path, edit: Callable[[bytes], bytes]) -> None:
    path = _library(tmp_path)
    shard = _shard(path, "a")
    shard.write_bytes(edit(shard.read_bytes()))
    encoded, parsed, heard_encoded, heard_parsed = _both_ways(path)
    assert encoded == parsed
    assert heard_encoded == heard_parsed
    printed = encoded.decode("utf-8")
    assert "\x1b" not in printed and "\u202e" not in printed and "\\u001b" not in printed
