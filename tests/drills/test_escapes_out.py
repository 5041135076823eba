"""Escape sequences, C1 controls and bidi overrides: stored clean, and stripped again on the way out.

The payloads are what took over tmux in the issue: clear the screen, set the
window title (OSC 0), write the clipboard (OSC 52), paint text (CSI, also as
the one-character C1 CSI U+009B), plus the bidi overrides that reorder what
is shown. The second wall is tested on records as an older readlist stored
them: every printer and exporter must strip them again by itself.
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from readlist.core.clean import is_clean
from readlist.core.models import Paper
from tests.arxiv_server import ArxivServer

PAYLOADS = [
    "\x1b[2J", "\x1b]0;owned\x07", "\x1b]52;c;aGk=\x07", "\x9b31m", "\x9d0;title\x9c", "\x1bP+q\x1b\\",
    "\u202eevil\u202c", "\u2066iso\u2069", "\u2028", "\x7f", "\x08\x08", "\r", "\x85",
]  # fmt: skip
DIRTY = "Evil " + " ".join(PAYLOADS) + " Title"
# What no output may hold: ESC, BEL, C1, bidi controls, DEL, line/paragraph separators, CR, backspace.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def dirty_record(paper_id: str = "2101.03961") -> dict[str, Any]:
    """A record as a readlist from before the clean boundary could have stored it."""
    return {
        "id": paper_id, "title": DIRTY, "authors": [DIRTY, "Second " + DIRTY], "year": 2021, "version": "v1",
        "abstract": DIRTY + "\n" + DIRTY, "notes": "line one " + DIRTY + "\nline two", "blurb": DIRTY,
        "tags": ["t" + "\x1b[31m", "\u202eevil"], "status": "reading", "categories": ["cs.LG\x9b"],
        "url": "https://arxiv.org/abs/2101.03961\x1b]8;;x\x07", "pdf_url": "https://arxiv.org/pdf/2101.03961\x9b",
        "doi": "10.1/\x1b[2J", "journal_ref": DIRTY, "comment": DIRTY, "source": "arxiv\x07",
        "added": "2026-01-01T00:00:00+00:00\x1b[2J", "status_history": [{"status": "reading", "date": "2026\x9b"}],
    }  # fmt: skip


def assert_inert(text: str) -> None:
    found = FORBIDDEN.search(text)
    assert found is None, f"{found[0]!r} at {found.start()}: {text[max(0, found.start() - 40) : found.start() + 40]!r}"


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_arxiv_metadata_carrying_c1_and_bidi_is_stored_and_shown_clean(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    hostile = "Sneaky \x9b2J\x9d0;owned\x9c \u202eTitle\u202c \x85 end"  # legal in XML 1.0, unlike ESC
    paper = {
        "id": "2101.03961", "title": hostile, "authors": ["Eve \x9b31m Mallory\u2066"], "summary": hostile,
        "published": "2021-01-11T18:00:00Z", "primary_category": "cs.LG\x9b", "categories": ["cs.LG\x9b"],
        "journal_ref": hostile, "doi": "10.1/x\x9b",
    }  # fmt: skip
    server = ArxivServer(catalog=[paper]).start()
    try:
        monkeypatch.setenv("READLIST_ARXIV_API", server.url)
        r = cli("add", "2101.03961")
    finally:
        server.stop()
    assert r.code == 0, r.err
    assert_inert(r.err)
    [record] = cli("list", "--json").json
    assert record["title"] == "Sneaky 2J 0;owned Title end"
    assert record["authors"] == ["Eve 31m Mallory"] and record["categories"] == ["cs.LG"]
    for out in (cli("show", "2101.03961"), cli("list"), cli("list", "--json"), cli("export", "markdown")):
        assert_inert(out.out + out.err)


def test_the_plain_and_json_printers_strip_again(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from readlist.cli.output import error, info, paper_line, paper_text, print_json, print_papers

    record = dirty_record()
    assert_inert(paper_line(record))
    assert paper_line(record).count("\t") == 5  # a tab in the data cannot add a column
    card = paper_text(Paper.from_dict(record))
    assert_inert(card)
    assert "Evil" in card and "line two" in card
    print_papers([record])
    info(f"Added {DIRTY}")
    error(f"cannot read {DIRTY}")
    out, err = capsys.readouterr()
    assert_inert(out + err)
    print_json([record])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and FORBIDDEN.search(out) is None
    assert json.loads(out) == [record], "--json stays exact: the characters are escaped, not dropped"


def test_the_rich_table_uses_text_not_markup(monkeypatch: pytest.MonkeyPatch) -> None:
    from readlist.cli.output import print_papers

    screen = Tty()
    monkeypatch.setattr(sys, "stdout", screen)
    monkeypatch.setenv("COLUMNS", "400")
    record = dirty_record()
    record["title"] = "[bold red]not markup[/bold red] " + DIRTY
    print_papers([record])
    shown = screen.getvalue()
    assert "[bold red]not markup[/bold red]" in re.sub(r"\x1b\[[0-9;]*m", "", shown)
    # Rich's own colours are SGR sequences (ESC [ ... m); nothing else may start with ESC.
    assert_inert(re.sub(r"\x1b\[[0-9;]*m", "", shown))


def test_markdown_documents_and_digests_strip_again() -> None:
    from readlist.formats.markdown.document import parse_document, render_document
    from readlist.formats.markdown.write import render_digest, render_index

    paper = Paper.from_dict(dirty_record())
    for text in (render_document(paper), render_digest([paper]), render_digest([paper], "tag"), render_index(
        [(paper, "a.md")], "status", "caption"
    )):  # fmt: skip
        assert_inert(text)
    document = parse_document(render_document(paper))
    assert document.notes.startswith("line one Evil ") and document.notes.endswith(" Title\nline two")
    assert is_clean(document.notes) and all(
        is_clean(v, multiline=False) for v in document.meta.values() if isinstance(v, str)
    )


def test_every_file_the_one_writer_writes_is_clean(tmp_path: Path, home: Path) -> None:
    from readlist.formats.files import write_export

    out = tmp_path / "refs.bib"
    write_export(out, "@misc{k, title = {" + DIRTY + "}}\n", home=home)
    text = out.read_text(encoding="utf-8")
    assert_inert(text)
    assert text.startswith("@misc{k, title = {Evil ") and text.endswith(" Title}}\n")


def test_messages_quoting_a_hostile_file_are_clean(cli, tmp_path: Path) -> None:
    assert cli("add", "--title", "Deep Residual Learning").code == 0
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text(f"---\nid: manual:deep-residual-learning\nstatus: '{DIRTY}'\n---\n", encoding="utf-8")
    (notes / "b.md").write_text(f"---\nid: '{DIRTY}'\n---\n", encoding="utf-8")
    (notes / "c\x1b[2J.md").write_text("no front matter\n", encoding="utf-8")
    (notes / "d.md").write_text("---\nid: manual:x\ntags: [\u202e, '\x1b]0;t\x07']\n---\n", encoding="utf-8")
    r = cli("import", "markdown", str(notes))
    assert r.code == 1 and r.err.count("skipped") == 4, r.err
    assert_inert(r.out + r.err)


def test_notes_imported_from_a_file_come_in_clean(cli, tmp_path: Path) -> None:
    assert cli("add", "--title", "Deep Residual Learning", "--note", "mine").code == 0
    notes = tmp_path / "notes"
    assert cli("export", "markdown", "--out", str(notes)).code == 0
    path = next(notes.glob("manual_*.md"))
    path.write_text(path.read_text(encoding="utf-8").replace("mine", "mine \x1b]52;c;aGk=\x07 \x9b2J\ttabbed"))
    assert cli("import", "markdown", str(notes)).code == 0
    [record] = cli("list", "--json").json
    assert record["notes"] == "mine  ]52;c;aGk=   2J\ttabbed"  # each control a space; the tab kept
