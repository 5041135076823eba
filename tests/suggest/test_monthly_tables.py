"""A Markdown log of monthly tables (``## 2024-07`` … ``## 2023-02``) is one selection per month: the month is
the group, as the curator wrote it. Tested on a fixture of readlist's own in that shape and on the real file
in ``../shared/real/md`` (skipped only where it is absent)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from readlist.sources.detect import parse_document
from tests.suggest.conftest import FIXTURES

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "real" / "md" / "llm-paper-daily-README_en.md"
LOG = FIXTURES / "daily-log-monthly.md"


def ids_by_month(text: str) -> dict[str, set[str]]:
    """The arXiv ids each ``## YYYY-MM`` section links, read from the text itself (not by the parser)."""
    found: dict[str, set[str]] = {}
    for section in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        month = section[:7]
        if re.fullmatch(r"\d{4}-\d\d", month):
            found[month] = set(re.findall(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})", section))
    return found


def test_each_month_heading_of_the_log_is_its_own_selection() -> None:
    text = LOG.read_text(encoding="utf-8")
    selections = parse_document(text, name=LOG.name)
    assert (
        {s.month: {p.arxiv_id for p in s.picks} for s in selections}
        == ids_by_month(text)
        == {
            "2024-02": {"2402.00011", "2402.00022"},
            "2024-01": {"2401.00033", "2401.00044", "2402.00011"},  # read again in January: a pick of both months
            "2023-12": {"2312.00055"},
        }
    )
    january = next(s for s in selections if s.month == "2024-01")
    assert [p.rank for p in january.picks] == [1, 2, 3]
    assert january.picks[0].title == "Small Models Reason Too"
    assert {s.title for s in selections} == {"A daily paper log"}


def test_a_month_asked_for_is_the_only_one_read() -> None:
    (selection,) = parse_document(LOG.read_text(encoding="utf-8"), name=LOG.name, month="2024-01")
    assert selection.month == "2024-01" and len(selection.picks) == 3
    assert parse_document(LOG.read_text(encoding="utf-8"), name=LOG.name, month="2023-06") == []


def test_one_month_heading_is_still_one_selection() -> None:
    text = "# Picks\n\n## 2024-02\n\n- [Sparse Routers](https://arxiv.org/abs/2402.00011)\n"
    (selection,) = parse_document(text, name="one.md")
    assert selection.month == "2024-02" and [p.arxiv_id for p in selection.picks] == ["2402.00011"]


@pytest.mark.skipif(not REAL.is_file(), reason="../shared/real/md is absent")
def test_the_real_log_is_17_months_and_641_papers() -> None:
    text = REAL.read_text(encoding="utf-8")
    selections = parse_document(text, name=REAL.name)
    by_month = {s.month: {p.arxiv_id for p in s.picks} for s in selections}
    assert by_month == ids_by_month(text)
    assert len(by_month) == 17 and min(by_month) == "2023-02" and max(by_month) == "2024-07"
    assert len(set().union(*by_month.values())) == 641
