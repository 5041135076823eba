"""Real Markdown lists that open with an HTML header, read as Markdown: every pick, nothing from the header.

The documents are read from ``../shared/real/md`` (never copied here); the test
skips only where that folder is absent. The expected ids come from a reading of
the file's own links, not from the parser under test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from readlist.sources.detect import parse_document

MD = Path(__file__).resolve().parents[2] / ".." / "shared" / "real" / "md"
pytestmark = pytest.mark.skipif(not MD.is_dir(), reason="../shared/real/md is absent")


def linked_ids(text: str) -> set[str]:
    return set(re.findall(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})", text))


@pytest.mark.parametrize(("name", "count"), [("llm-paper-daily-README_en.md", 641), ("daily-hf-papers-README.md", 26)])
def test_every_pick_of_a_markdown_list_with_an_html_header(name: str, count: int) -> None:
    text = (MD / name).read_text(encoding="utf-8")
    assert text.lstrip().startswith(("<h2", "<div"))  # the header that once made it HTML
    picks = [p for s in parse_document(text, name=name) for p in s.picks]
    found = {p.arxiv_id for p in picks if p.arxiv_id}
    assert found == linked_ids(text) and len(found) == count
    header = text[: text.index("</div>")]
    assert not any(p.title and p.title in header and len(p.title) > 12 for p in picks)
