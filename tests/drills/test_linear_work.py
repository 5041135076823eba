"""Sizes an attacker picks: repeated keys, endless keywords, look-alike tags and a note of megabytes.

The work must grow linearly (key suffixes are not tried one by one from `b`
for every entry), a paper's tags are capped and the cap is said, tags that
look alike are one tag, and the TUI renders a window of a huge note with the
way to read it whole. The timings themselves are the benchmark's
(`python -m tests.benchmark.hostile`): here the work is counted, not timed.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from readlist.core import citekey
from readlist.core.models import MAX_TAGS, normalize_tag

NFC = unicodedata.normalize("NFC", "café")
NFD = unicodedata.normalize("NFD", "café")
LOOK_ALIKES = ["moe", "mo\u200de", "m\u200boe", "ｍｏｅ", "\ufeffMoE", "MO\u00ade"]


def test_nfc_and_nfd_and_look_alikes_are_one_tag(cli) -> None:
    assert NFC != NFD
    assert cli("add", "--title", "Tag Look-alikes", "--tag", NFD).code == 0
    assert cli("tag", "manual:tag-look-alikes", NFC, *LOOK_ALIKES).code == 0
    assert cli("show", "manual:tag-look-alikes", "--json").json["tags"] == [NFC, "moe"]
    assert cli("list", "--tag", "ｍｏｅ", "--json").json[0]["id"] == "manual:tag-look-alikes"


def test_imports_normalise_tags(cli, tmp_path: Path) -> None:
    bib = tmp_path / "tags.bib"
    bib.write_text(
        f"@misc{{one, title = {{Imported Tags}}, keywords = {{{NFD}, ｍｏｅ, m\u200boe}}}}\n", encoding="utf-8"
    )
    csl = tmp_path / "tags.json"
    csl.write_text(json.dumps([{"id": "two", "title": "CSL Tags", "keyword": f"{NFD}, mo\u200de"}]), encoding="utf-8")
    assert cli("import", "bibtex", str(bib)).code == 0
    assert cli("import", "csl", str(csl)).code == 0
    tags = {r["title"]: r["tags"] for r in cli("list", "--json").json}
    assert tags == {"Imported Tags": [NFC, "moe"], "CSL Tags": [NFC, "moe"]}


def test_normalize_tag_drops_format_characters_and_folds_width() -> None:
    assert {normalize_tag(t) for t in LOOK_ALIKES} == {"moe"}
    assert normalize_tag(NFD) == normalize_tag(NFC) == NFC


def test_typing_more_tags_than_a_paper_holds_is_refused(cli, home: Path) -> None:
    assert cli("add", "--title", "Too Many Tags").code == 0
    before = (home / "library.json").read_bytes()
    r = cli("tag", "manual:too-many-tags", *(f"t{i}" for i in range(MAX_TAGS + 1)))
    assert r.code == 2 and f"at most {MAX_TAGS:,}" in r.err
    assert (home / "library.json").read_bytes() == before


@pytest.mark.parametrize("fmt", ["bibtex", "csl"])
def test_thirty_thousand_keywords_are_capped_and_said(cli, tmp_path: Path, fmt: str) -> None:
    words = [f"kw{i}" for i in range(30_000)]
    if fmt == "bibtex":
        src = tmp_path / "kw.bib"
        src.write_text("@misc{kw, title = {Keywords Galore}, keywords = {" + ", ".join(words) + "}}\n")
    else:
        src = tmp_path / "kw.json"
        src.write_text(json.dumps([{"id": "kw", "title": "Keywords Galore", "keyword": ", ".join(words)}]))
    r = cli("import", fmt, str(src))
    assert r.code == 0, r.err
    assert f"{30_000 - MAX_TAGS:,} keyword(s) past the first {MAX_TAGS:,} left out" in r.out + r.err
    [row] = cli("list", "--json").json
    assert row["tags"] == words[:MAX_TAGS]


def test_one_key_repeated_is_made_free_in_linear_work(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entries = 2_000
    bib = tmp_path / "same.bib"
    bib.write_text("".join(f"@misc{{same, title = {{Paper number {i}}}}}\n" for i in range(entries)))
    tried = 0
    real = citekey.suffix

    def counting(n: int) -> str:
        nonlocal tried
        tried += 1
        return real(n)

    monkeypatch.setattr(citekey, "suffix", counting)
    assert cli("import", "bibtex", str(bib)).code == 0
    keys = [r["key"] for r in cli("list", "--json").json]
    assert len(keys) == len(set(k.lower() for k in keys)) == entries
    assert tried <= 4 * entries, f"{tried:,} key suffixes tried for {entries:,} entries"


async def test_a_note_of_megabytes_shows_a_window_and_the_way_to_read_it_whole(cli, home: Path) -> None:
    from readlist.core.config import load_settings
    from readlist.core.library import Library
    from readlist.tui.app import ReadlistApp
    from tests.tui.conftest import screen_words

    assert cli("add", "--title", "Huge Note").code == 0
    line = "A line of a very long note, *with* some `Markdown` in it.\n"
    library = Library(load_settings())
    library.set_notes("manual:huge-note", line * (1_000_000 // len(line)))
    app = ReadlistApp(library, opener=lambda url: None)
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(500):
            if len(app.screen_stack) > 1 and getattr(app.screen, "loaded", False):
                break
            await pilot.pause(0.02)
        await pilot.press("v")  # the reading view, then its end
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        words = screen_words(app)
        assert "the note goes on for" in words and "e in the list opens it whole in $EDITOR" in words
