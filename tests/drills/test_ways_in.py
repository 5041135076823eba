"""Arbitrary Unicode, controls included, through every way in; no ESC, BEL or C1 control in any way out.

Ways in: arXiv metadata (a loopback arXiv; XML cannot carry C0 controls, so
those are left out there, but C1 and bidi controls are legal XML), a BibTeX
file, a curated selection pulled from a file, Markdown notes edited and
imported, and library.json edited by hand (papers and suggestions). Ways out:
`list`, `show` and `suggestions` (plain and --json), every message, and the
exported Markdown, BibTeX and CSL JSON, printed and written as files.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.arxiv_server import ArxivServer

# What no output may hold raw: ESC, BEL and the C1 controls (CSI U+009B, OSC U+009D, ...).
FORBIDDEN = re.compile("[\x1b\x07\x80-\x9f]")
PAYLOADS = ["\x1b[2J", "\x1b]0;owned\x07", "\x1b]52;c;aGk=\x07", "\x9b31m", "\x9d0;t\x9c", "\x07", "\x1b", "\x85"]
HOSTILE = st.lists(
    st.one_of(
        st.sampled_from(PAYLOADS),
        st.characters(exclude_categories=("Cs",)),  # every code point but lone surrogates (not writable as UTF-8)
        st.characters(min_codepoint=0, max_codepoint=0x9F),
        st.sampled_from(["\u202e", "\u2066", "\u2028", "\r\n", "\n", "\t", "\x7f", "é", "论文"]),
    ),
    min_size=1,
    max_size=12,
).map("".join)


def xml_legal(text: str) -> str:
    """What an XML 1.0 document can carry (C1 and bidi controls stay: they are legal XML)."""
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", text)


def bib_safe(text: str) -> str:
    """Text a BibTeX field holds without unbalancing its braces."""
    return re.sub(r"[{}\\@]", " ", text)


def line_safe(text: str) -> str:
    """Text a Markdown table cell holds on one line."""
    return re.sub(r"[|*\[\]()\r\n\u2028\u2029\x85]", " ", text)


def _catalog(t: list[str]) -> list[dict[str, Any]]:
    def paper(arxiv_id: str, title: str, who: str, about: str) -> dict[str, Any]:
        return {
            "id": arxiv_id, "title": "T " + xml_legal(title), "authors": ["A " + xml_legal(who)],
            "summary": xml_legal(about), "published": "2021-01-11T18:00:00Z", "primary_category": "cs.LG",
            "categories": ["cs.LG", xml_legal(who) or "cs.AI"], "journal_ref": xml_legal(about) or None,
        }  # fmt: skip

    return [paper("2101.03961", t[0], t[1], t[2]), paper("2101.03697", t[3], t[4], t[5])]


def _hand_edit(home: Path, t: list[str]) -> None:
    library = home / "library.json"
    data = json.loads(library.read_text(encoding="utf-8"))
    for i, record in enumerate(data.get("papers", {}).values()):
        record.update(title=t[i % 6], notes=t[(i + 1) % 6] + "\n" + t[(i + 2) % 6], authors=[t[(i + 3) % 6]])
        record.update(abstract=t[(i + 4) % 6], tags=["tag" + t[(i + 5) % 6]], journal_ref=t[i % 6])
    for i, record in enumerate(data.get("suggestions", {}).values()):
        record.update(title=t[(i + 2) % 6], blurb=t[(i + 3) % 6], authors=[t[(i + 4) % 6]])
    library.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


SIX = st.lists(HOSTILE, min_size=6, max_size=6)


@given(t=SIX)
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # each example runs ~20 commands: report, do not shrink
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_control_from_the_data_reaches_any_output(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, t: list[str]
) -> None:
    work = Path(tempfile.mkdtemp(dir=tmp_path))
    home = work / "home"
    monkeypatch.setenv("READLIST_HOME", str(home))
    texts: list[str] = []  # everything readlist printed, and every file it wrote

    def run(*args: str) -> Any:
        r = cli(*args)
        texts.append(r.out + r.err)
        assert "Traceback" not in r.err and "internal error" not in r.err, (args, r.err)
        return r

    server = ArxivServer(catalog=_catalog(t)).start()
    try:
        monkeypatch.setenv("READLIST_ARXIV_API", server.url)
        # 1. arXiv metadata
        run("add", "2101.03961", "--tag", "from-arxiv")
        # 2. a BibTeX file
        bib = work / "in.bib"
        bib.write_text(
            "@article{k1, title = {B " + bib_safe(t[0]) + "}, author = {" + bib_safe(t[1]) + " and Doe, Jane},"
            " abstract = {" + bib_safe(t[2]) + "}, keywords = {" + bib_safe(t[3]) + "}, annote = {"
            + bib_safe(t[4]) + "}, journal = {" + bib_safe(t[5]) + "}, year = {2020}}\n",
            encoding="utf-8",
        )  # fmt: skip
        run("import", "bibtex", str(bib))
        # 3. a curated selection, pulled from a file
        week = work / "ml-papers-of-the-week-2021.md"
        week.write_text(
            "# ML Papers of the Week\n\n## Top ML Papers of the Week (January 4 - January 10)\n"
            "| **Paper**  | **Links** |\n| ------------- | ------------- |\n"
            f"| 1) **P {line_safe(t[2])}** - {line_safe(t[3])}. | [Paper](https://arxiv.org/abs/2101.03697) |\n"
            f"| 2) **Q {line_safe(t[4])}** - {line_safe(t[5])}. | [Blog](https://example.org/post) |\n",
            encoding="utf-8",
        )
        run("pull", "--from", str(week), "--month", "2021-01")
        # 4. Markdown notes edited elsewhere and imported
        notes = work / "notes"
        run("export", "markdown", "--out", str(notes))
        for path in sorted(notes.glob("*.md")):
            if path.name == "index.md":
                continue
            text = path.read_text(encoding="utf-8")
            front, _, _ = text.partition("\n---\n")
            path.write_text(front + "\ntags: [" + json.dumps("m" + t[5]) + "]\n---\n\n" + t[0] + "\n" + t[1] + "\n")
        run("import", "markdown", str(notes))
        # 5. library.json edited by hand
        if (home / "library.json").exists():
            _hand_edit(home, t)
        # Every way out.
        records = json.loads(run("list", "--json").out)
        assert {r["source"] for r in records} >= {"arxiv", "bibtex"}, "a way in let nothing through"
        run("list")
        for record in records:
            run("show", record["id"])
        run("suggestions", "--all")
        suggestions = json.loads(run("suggestions", "--all", "--json").out)
        assert any(s["source"] == "papers-of-the-week" for s in suggestions), "the pulled selection is missing"
        run("export", "markdown")
        run("export", "markdown", "--out", str(work / "again"))
        run("export", "markdown", "--out", str(work / "digest.md"))
        run("export", "bibtex", "--out", str(work / "out.bib"))
        run("export", "csl", "--out", str(work / "out.json"))
        run("export", "csl")
    finally:
        server.stop()
    written = [*(work / "again").rglob("*.md"), work / "digest.md", work / "out.bib", work / "out.json"]
    texts += [path.read_text(encoding="utf-8") for path in written if path.is_file()]
    assert len(texts) > 12  # (notes/ is left out: it holds this test's own edits)
    for text in texts:
        found = FORBIDDEN.search(text)
        assert found is None, (
            f"{found[0]!r} reached the output: {text[max(0, found.start() - 60) : found.start() + 9]!r}"
        )
