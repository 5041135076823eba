"""The model behind the library screen: views, sorts, the filter in the query language, without a screen."""

from __future__ import annotations

from readlist.core.models import Paper
from readlist.tui.model import PaperModel


def model(*papers: Paper, sort: str = "added", reverse: bool = False) -> PaperModel:
    return PaperModel.from_records([p.to_dict() for p in papers], sort, reverse)


PAPERS = (
    Paper(id="1", title="B paper", authors=["Zoe Zed"], year=2020, added="2024-01-01", status="read"),
    Paper(id="2", title="A paper", authors=["Al Alpha"], year=2021, added="2024-01-02", abstract="mixture of experts"),
    Paper(id="3", title="C paper", authors=["Mo Mid"], year=2019, added="2024-01-03", tags=["x"], notes="findme"),
)


def ids(m: PaperModel, view: str = "all", query: str = "") -> list[str]:
    return [m.papers[i].id for i in m.rows(view, query)]


def test_views_and_counts() -> None:
    m = model(*PAPERS)
    assert ids(m) == ["3", "2", "1"]
    assert ids(m, "read") == ["1"]
    assert m.counts() == {"to-read": 2, "reading": 0, "read": 1, "dropped": 0, "all": 3}


def test_sorts_by_title_year_author_and_reversed() -> None:
    assert ids(model(*PAPERS, sort="title")) == ["2", "1", "3"]
    assert ids(model(*PAPERS, sort="year")) == ["2", "1", "3"]
    assert ids(model(*PAPERS, sort="author")) == ["2", "3", "1"]  # Alpha, Mid, Zed
    assert ids(model(*PAPERS, sort="author", reverse=True)) == ["1", "3", "2"]
    assert ids(model(*PAPERS).sorted_by("added", reverse=True)) == ["1", "2", "3"]


def test_the_filter_is_the_query_language_and_the_counts_follow_it() -> None:
    m = model(*PAPERS)
    assert ids(m, "all", "findme") == ["3"]
    assert ids(m, "all", "#x") == ["3"]
    assert ids(m, "all", "mixture experts") == ["2"]  # the abstract
    assert ids(m, "all", "2") == ["2"]  # the id
    assert ids(m, "all", "-paper") == []
    shown = m.filtered("read", "paper year:2020..")
    assert shown.counts == {"to-read": 1, "reading": 0, "read": 1, "dropped": 0, "all": 2}
    assert [m.papers[i].id for i in shown.rows] == ["1"]
    assert m.filtered("all", "status:someday").error.startswith("unknown status 'someday'")
    assert m.filtered("all", "staus:reading").error.startswith("unknown field 'staus' (did you mean status?)")
    m.index.warm()
    assert ids(m, "all", "mixtrue") == ["2"]  # a typo, through the word index


def test_a_change_shown_at_once_keeps_the_index_in_step() -> None:
    m = model(*PAPERS)
    m.index.warm()
    changed = Paper.from_dict(PAPERS[0].to_dict())
    changed.notes = "zebra"
    after = m.with_papers([changed])
    assert after.index.warmed, "built from the previous index at once"
    assert ids(after, "all", "zebra") == ["1"]
    assert ids(after, "all", "findme") == ["3"]


def test_tags_most_used_first() -> None:
    m = model(*PAPERS, Paper(id="4", tags=["y", "x"]))
    assert m.tags() == ["x", "y"]
