"""Weekly tables ("ML Papers of the Week"): dates, years, months, one pick per row, titles, non-arXiv rows.

The fixture ``weekly-sample.md`` is written for these tests in the shape of
dair-ai's file (see tests/suggest/test_real_weekly.py for the real one).
"""

from __future__ import annotations

from datetime import date

import pytest

from readlist.core.errors import BadInput
from readlist.sources.detect import parse_document
from readlist.sources.model import RawPick, Selection
from readlist.sources.potw import read_range, read_week, split_title, week_label
from tests.suggest.conftest import fixture_text

SAMPLE = "weekly-sample.md"


def sample(month: str | None = None) -> dict[str, Selection]:
    return {s.month or "": s for s in parse_document(fixture_text(SAMPLE), name=SAMPLE, month=month)}


def picks(month: str) -> list[RawPick]:
    return sample()[month].picks


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("January 30 - February 5", (1, 30), (2, 5)),
        ("Jan 30-Feb 5", (1, 30), (2, 5)),
        ("May 29-June 4", (5, 29), (6, 4)),
        ("May 22-28", (5, 22), (5, 28)),
        ("Feb 13 - 19", (2, 13), (2, 19)),
        ("Mar 20-Mar 26", (3, 20), (3, 26)),
        ("October 2 - October 8", (10, 2), (10, 8)),  # no "to" found inside "October"
        ("October 2 to October 8", (10, 2), (10, 8)),
        ("December 30 - January 5", (12, 30), (1, 5)),
    ],
)
def test_week_ranges_are_read_in_every_style(text: str, first: tuple[int, int], last: tuple[int, int]) -> None:
    found = read_range(text)
    assert found is not None and found[:2] == (first, last)


def test_a_range_with_its_own_years() -> None:
    assert read_range("Dec 25, 2022 - Dec 31, 2022") == ((12, 25), (12, 31), (2022, 2022))
    assert read_range("no dates here") is None


def test_heading_year_follows_the_parenthesis() -> None:
    week = read_week("Top ML Papers of the Week (December 30 - January 5) - 2025")
    assert week is not None and week.own_year == 2025
    assert week.dated(2025, names_month=True) == (date(2024, 12, 30), date(2025, 1, 5))
    assert read_week("Top ML Papers of the Week (Oct 30 - Nov 5)").own_year is None  # type: ignore[union-attr]
    assert read_week("ML Papers of The Week") is None


def test_week_labels() -> None:
    assert week_label(date(2024, 6, 3), date(2024, 6, 9)) == "June 3–9, 2024"
    assert week_label(date(2024, 5, 27), date(2024, 6, 2)) == "May 27 – June 2, 2024"
    assert week_label(date(2024, 12, 30), date(2025, 1, 5)) == "December 30, 2024 – January 5, 2025"


def test_every_week_is_filed_under_its_month_and_year() -> None:
    weeks = {month: sorted({p.week for p in s.picks}) for month, s in sample().items()}
    assert weeks == {
        "2023-02": ["2023-01-30"],
        "2023-05": ["2023-05-22"],
        "2023-06": ["2023-05-29"],
        "2023-10": ["2023-10-23"],  # October weeks are found
        "2023-11": ["2023-10-30"],
        "2023-12": ["2023-12-25"],  # no year in the heading: the week after it (2024) dates it
        "2024-01": ["2024-01-01"],
        "2024-05": ["2024-05-27"],
        "2024-06": ["2024-06-03", "2024-06-10"],
        "2025-01": ["2024-12-30", "2025-01-06"],  # "- 2025" names January 2025's week
    }


def test_table_of_contents_years_are_not_section_years() -> None:
    # The contents' last heading is "## 2023", right above the 2025 weeks: they stay 2025's.
    assert "2023-01" not in sample()
    assert [p.week for p in picks("2025-01")][-1] == "2025-01-06"


def test_one_pick_per_row_with_week_and_number_in_week_order() -> None:
    june = picks("2024-06")
    assert [(p.rank, p.week, p.number) for p in june] == [
        (1, "2024-06-03", 1),
        (2, "2024-06-03", 2),
        (3, "2024-06-03", 3),
        (4, "2024-06-10", 1),
        (5, "2024-06-10", 2),
    ]
    assert june[0].week_label == "June 3–9, 2024"
    # A paper picked in two weeks of the month: two picks (one suggestion once recorded).
    assert [p.arxiv_id for p in june].count("2406.00002") == 2


def test_untitled_rows_take_their_leading_phrase_not_the_blurb() -> None:
    january = {p.number: p for p in picks("2025-01") if p.week == "2025-01-06"}
    assert january[1].title == "Tiny Recursive Solvers"  # two spaces end it
    assert january[1].blurb.startswith("This paper shows that a two-layer network")
    assert "\n● It beats larger models" in january[1].blurb  # the <br>● bullets become lines
    assert january[2].title == "Sparse Memory Layers"  # " - " ends it
    assert january[3].title == "An Agent Runtime for Long Tasks"  # no separator: "Introduces" starts the blurb
    assert january[3].blurb.startswith("Introduces a runtime")


def test_rows_not_on_arxiv_are_picks_with_their_link_and_label() -> None:
    card = next(p for p in picks("2025-01") if p.title == "Frontier Model Card")
    assert card.arxiv_id is None and card.url == "https://example.org/cards/frontier.pdf"
    assert card.links[0] == {"label": "system card", "url": "https://example.org/cards/frontier.pdf"}
    assert card.search is False  # a list without authors: arXiv is not searched by title
    nature = next(p for p in picks("2025-01") if p.title == "Protein Folding in the Wild")
    assert nature.url == "https://www.nature.com/articles/example-0001" and nature.arxiv_id is None
    speech = next(p for p in picks("2024-05") if p.title == "Speech Without Text")
    assert speech.url == "https://example.org/speech"  # no "Paper" link: the project page, not the tweet
    report = next(p for p in picks("2024-06") if p.title == "Open Weights Report")
    assert report.url == "https://example.org/open-weights-report.pdf"


def test_bold_titles_and_arxiv_links() -> None:
    june = picks("2024-06")
    assert june[1].title == "Long-Context Retrieval" and june[1].arxiv_id == "2406.00002"
    assert june[1].blurb == "combines retrieval with long-context readers."
    assert {"label": "code", "url": "https://github.com/example/mdt"} in june[2].links


def test_month_option_keeps_that_month_only() -> None:
    assert list(sample("2024-06")) == ["2024-06"]
    assert sample("2022-01") == {}


def test_leading_phrase_rules() -> None:
    assert split_title("s1: Simple test-time scaling  Researchers from a lab introduce s1.", []) == (
        "s1: Simple test-time scaling",
        "Researchers from a lab introduce s1.",
    )
    assert split_title("Bold Name - what it does", ["Bold Name"]) == ("Bold Name", "what it does")
    assert split_title("Short Title", []) == ("Short Title", "")
    long_text = " ".join(["word"] * 40)
    title, blurb = split_title(long_text, [])
    assert title.endswith("…") and blurb == long_text


def test_old_style_file_ascending_without_years_uses_the_file_name() -> None:
    name = "ml-papers-of-the-week-2021.md"
    selections = parse_document(fixture_text(name), name=name)
    assert [s.month for s in selections] == ["2021-01", "2021-02"]
    january = selections[0]
    assert [(p.rank, p.arxiv_id, p.title, p.week) for p in january.picks] == [
        (1, "2101.03961", "Switch Transformers", "2021-01-04"),
        (2, "2101.03697", "RepVGG", "2021-01-04"),
        (3, "2101.08751", "Rethinking BERT rerankers", "2021-01-25"),
        (4, "2101.03961", "Switch Transformers", "2021-01-25"),  # picked again the week after
    ]
    february = selections[1].picks
    assert [(p.arxiv_id, p.title, p.url) for p in february] == [
        ("2101.04535", "Adversary Instantiation", "https://arxiv.org/abs/2101.04535"),
        (None, "A paper without arXiv", "https://example.org/post"),  # kept, with its link
    ]


def test_weekly_list_without_any_year_needs_a_month() -> None:
    text = (
        "## Top ML Papers of the Week (March 1 - March 7)\n"
        "| 1) **X** - y | [Paper](https://arxiv.org/abs/2103.00001) |\n"
    )
    with pytest.raises(BadInput, match="--month"):
        parse_document(text, name="weeks.md")
    [s] = parse_document(text, name="weeks.md", month="2021-03")
    assert s.picks[0].week == "2021-03-01"
