"""File names and the per-paper document: safe names, exact front matter, exact notes."""

from __future__ import annotations

import re

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from readlist.core.clean import clean_text, is_clean
from readlist.core.models import Paper
from readlist.formats.markdown.document import MARKER, dump_yaml, front_matter, parse_document, render_document
from readlist.formats.markdown.naming import paper_file_name

SAFE_NAME = re.compile(r"[A-Za-z0-9._+\-]+ [a-z0-9\-]+\.md")
# Text with the characters that break YAML and Markdown, plus anything unicode.
NASTY = st.lists(
    st.one_of(
        st.sampled_from([*":#|'\"-–—>*&!%@`{}[],?\n\r\t\\ ~^$_", "---", "...", "- ", ": ", " #", "\ufeff"]),
        st.characters(codec="utf-8"),
    ),
    max_size=30,
).map("".join)


def test_names_are_readable_and_safe() -> None:
    cases = {
        "2101.03961": ("Switch Transformers: Scaling", "2101.03961 switch-transformers-scaling.md"),
        "hep-th/9711200": ("The Large N Limit", "hep-th_9711200 the-large-n-limit.md"),
        "math.GT/0309136": ("Ricci flow", "math.GT_0309136 ricci-flow.md"),
        "doi:10.1145/3442188.3445922": ("Parrots?", "doi_10.1145_3442188.3445922 parrots.md"),
        "manual:attention-is-all-you-need": ("Attention", "manual_attention-is-all-you-need attention.md"),
    }
    for paper_id, (title, name) in cases.items():
        assert paper_file_name(Paper(id=paper_id, title=title)) == name


def test_odd_ids_get_a_hash_and_stay_safe() -> None:
    names = {
        paper_file_name(Paper(id=i, title="T"))
        for i in (
            "doi:10.1002/(sici)1097:<>|?*",
            "doi:10.1002/(sici)1097:<>|?+",
            "manual:Ünïcode/..",
            "manual:" + "x" * 300,
        )
    }
    assert len(names) == 4
    for name in names:
        assert SAFE_NAME.fullmatch(name) and "+" in name.split(" ")[0] and len(name) <= 120


@given(ids=st.lists(st.text(min_size=1, max_size=80), min_size=2, max_size=6, unique=True), title=st.text(max_size=200))
@settings(max_examples=150, deadline=None)
def test_distinct_ids_never_share_a_name_even_ignoring_case(ids: list[str], title: str) -> None:
    ids = [i if i.startswith(("doi:", "manual:")) else "manual:" + i for i in ids]
    names = [paper_file_name(Paper(id=i, title=title)) for i in ids]
    assert len({n.lower() for n in names}) == len(ids)
    for name in names:
        assert SAFE_NAME.fullmatch(name), name
        assert len(name) <= 120 and not name.startswith(".")


@given(title=NASTY, tags=st.lists(NASTY, max_size=4), authors=st.lists(NASTY, max_size=3), notes=NASTY, blurb=NASTY)
@settings(max_examples=150, deadline=None)
def test_front_matter_and_notes_come_back_exactly(
    title: str, tags: list[str], authors: list[str], notes: str, blurb: str
) -> None:
    paper = Paper(id="2101.03961", title=title, tags=tags, authors=authors, notes=notes, blurb=blurb, year=2021)
    text = render_document(paper)
    front = text.split("\n---\n", 1)[0].removeprefix("---\n")
    assert text.startswith("---\n") and "\r" not in front
    assert yaml.safe_load(front) == front_matter(paper)
    doc = parse_document(text)
    assert doc.meta == front_matter(paper)
    assert doc.notes == clean_text(notes)  # exactly the notes, less what readlist never stores or shows
    assert is_clean(text)


def test_front_matter_holds_every_field_in_order() -> None:
    paper = Paper(
        id="2101.03961", title="Switch: Transformers", authors=["A B"], year=2021, version="v3",
        pdf_url="https://arxiv.org/pdf/2101.03961v3", tags=["moe"], source="best-of-arxiv",
        added="2026-01-03T08:00:00+00:00",
        status="read", status_history=[{"status": "read", "date": "2026-02-01T09:00:00+00:00"}],
    )  # fmt: skip
    text = render_document(paper)
    assert text == (
        "---\n"
        "id: '2101.03961'\n"
        "title: 'Switch: Transformers'\n"
        "authors:\n- A B\n"
        "year: 2021\n"
        "url: https://arxiv.org/abs/2101.03961\n"
        "pdf: https://arxiv.org/pdf/2101.03961v3\n"
        "version: v3\n"
        "status: read\n"
        "tags:\n- moe\n"
        "added: '2026-01-03T08:00:00+00:00'\n"
        "read: '2026-02-01T09:00:00+00:00'\n"
        "source: best-of-arxiv\n"
        "---\n"
    )


def test_blurb_is_a_separate_section_that_parsing_ignores() -> None:
    paper = Paper(id="2101.03697", notes="my notes", blurb="Why: it is *neat*.")
    text = render_document(paper)
    assert text.endswith(f"---\n\nmy notes\n\n{MARKER}\n## Why it was picked\n\nWhy: it is *neat*.\n")
    assert parse_document(text.replace("it is *neat*", "edited blurb")).notes == "my notes"


def test_notes_quoting_the_marker_still_come_back() -> None:
    notes = f"before\n{MARKER}\nafter"
    assert parse_document(render_document(Paper(id="x:y", notes=notes))).notes == notes


def test_windows_line_ends_and_bom_are_read() -> None:
    text = render_document(Paper(id="2101.03961", title="T", notes="line one\nline two"))
    doc = parse_document("\ufeff" + text.replace("\n", "\r\n"))
    assert doc.meta["id"] == "2101.03961" and doc.notes == "line one\nline two"


YAML_TRAPS = [
    "yes", "No", "ON", "off", "TRUE", "null", "Null", "~", "=", "<<", "2021", "1e3", ".inf", "-.5", "0x1F",
    "0o17", "12:30", "2026-01-01", "2026-01-01T10:00:00Z", "&anchor", "*alias", "!tag", "%directive", "@at",
    "`tick", "? q", "- item", "a: b", "a #b", "a:", "[x]", "{y}", "|", ">", "'", '"', " lead", "trail ", "",
]  # fmt: skip
WORDS = st.lists(
    st.one_of(st.sampled_from(YAML_TRAPS), st.text(st.characters(codec="utf-8"), max_size=3)), max_size=4
).map("".join)


@given(value=WORDS, items=st.lists(WORDS, max_size=3), number=st.integers(min_value=-5, max_value=3000))
@settings(max_examples=300, deadline=None)
def test_dump_yaml_reads_back_as_the_same_values(value: str, items: list[str], number: int) -> None:
    values = {"id": value, "tags": items, "year": number, "empty": []}
    assert yaml.safe_load(dump_yaml(values)) == values
