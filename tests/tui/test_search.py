"""The filter's matching and the model's views and sorts, without a screen."""

from __future__ import annotations

import time

from readlist.core.models import Paper
from readlist.tui.changes import merge_notes
from readlist.tui.model import PaperModel
from readlist.tui.search import SearchIndex, edits1, haystack


def index(*texts: str) -> SearchIndex:
    return SearchIndex([haystack(t, [], [], "") for t in texts])


def test_substring_any_case() -> None:
    idx = index("Switch Transformers", "RepVGG")
    assert idx.matching("TRANS", range(2)) == [0]
    assert idx.matching("vgg", range(2)) == [1]


def test_every_word_must_match() -> None:
    idx = index("Switch Transformers scaling", "Vision Transformers")
    assert idx.matching("transformers scaling", range(2)) == [0]


def test_one_typo_in_a_long_word_matches() -> None:
    idx = index("Switch Transformers", "Diffusion models", "Attention")
    assert idx.matching("tranformers", range(3)) == [0]  # a missing letter
    assert idx.matching("difusion", range(3)) == [1]
    assert idx.matching("atentoin", range(3)) == []  # two edits: no
    assert idx.matching("attnetion", range(3)) == [2]  # a swap


def test_short_words_need_no_typo_noise() -> None:
    idx = index("gan", "gap")
    assert idx.matching("gan", range(2)) == [0]


def test_edits1_covers_the_four_edits() -> None:
    variants = edits1("abc", "abcx")
    assert {"ab", "bac", "abx", "abcx", "xabc"} <= variants


def test_model_views_sort_and_rows() -> None:
    papers = [
        Paper(id="1", title="B paper", year=2020, added="2024-01-01", status="read"),
        Paper(id="2", title="A paper", year=2021, added="2024-01-02"),
        Paper(id="3", title="C paper", year=2019, added="2024-01-03", tags=["x"], notes="findme"),
    ]
    model = PaperModel.build(papers)
    assert [model.papers[i].id for i in model.rows("all")] == ["3", "2", "1"]
    assert model.counts() == {"to-read": 2, "reading": 0, "read": 1, "dropped": 0, "all": 3}
    by_title, by_year = model.sorted_by("title"), model.sorted_by("year")
    assert [by_title.papers[i].id for i in by_title.rows("all")] == ["2", "1", "3"]
    assert [by_year.papers[i].id for i in by_year.rows("all")] == ["2", "1", "3"]
    assert [model.papers[i].id for i in model.rows("all", "findme")] == ["3"]
    assert [model.papers[i].id for i in model.rows("all", "#x")] == ["3"]
    assert model.tags() == ["x"]


def test_filter_is_fast_at_ten_thousand_papers() -> None:
    words = "transformer attention diffusion graph network vision language scaling sparse retrieval".split()
    records = [
        {"id": f"{i}", "title": f"{words[i % 10]} {words[(i * 7) % 10]} study {i}", "authors": ["Ada Lovelace"],
         "tags": [words[i % 5]], "notes": "some notes" if i % 3 == 0 else "", "added": f"2024-01-{i % 28 + 1:02d}"}
        for i in range(10_000)
    ]  # fmt: skip
    model = PaperModel.from_records(records)
    model.index.warm()
    started = time.perf_counter()
    for query in ("t", "tr", "tra", "tran", "trans", "transf", "transfo", "transfomer"):
        rows = model.rows("all", query)
    elapsed = (time.perf_counter() - started) / 8
    assert rows and elapsed < 0.05, f"{elapsed * 1000:.1f} ms per keystroke"


def test_merge_notes_keeps_what_everyone_wrote() -> None:
    assert merge_notes("a", "a b", "a") == "a b"
    assert merge_notes("a", "a", "a c") == "a c"
    assert merge_notes("a", "a b", "a\n\nc") == "a b\n\nc\n"
    merged = merge_notes("a", "mine", "theirs")
    assert "mine" in merged and "theirs" in merged
