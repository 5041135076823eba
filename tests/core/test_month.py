"""Months, the unit curated selections come in: what a person types, labels, days and the week rule."""

from __future__ import annotations

from datetime import date

import pytest

from readlist.core.errors import BadInput
from readlist.core.month import Month, month_label


def test_a_month_as_typed() -> None:
    forms = ("2021-01", "2021/1", "January 2021", "jan 2021", " Jan. 2021 ")
    assert {Month.parse(text) for text in forms} == {Month(2021, 1)}
    assert str(Month.parse("sept 2024")) == "2024-09"
    for bad in ("2021-13", "2021-00", "13-2021", "soon", ""):
        with pytest.raises(BadInput, match="not a month"):
            Month.parse(bad)


def test_stored_keys_and_labels() -> None:
    assert Month.from_key("2021-01") == Month(2021, 1)
    assert Month.from_key("2021-1") is None and Month.from_key("2021-13") is None and Month.from_key("") is None
    assert Month(2021, 1).label == month_label("2021-01") == "January 2021"
    assert month_label("someday") == "someday"  # a stored value that is no month is shown as it is


def test_a_month_named_in_text() -> None:
    assert Month.named_in("Best of arXiv — December 2023 edition") == Month(2023, 12)
    assert Month.named_in("no month here, only 2023") is None


def test_days_and_arithmetic() -> None:
    leap = Month(2024, 2)
    assert (leap.first, leap.last, len(leap.days())) == (date(2024, 2, 1), date(2024, 2, 29), 29)
    assert leap.days(until=date(2024, 2, 3)) == [date(2024, 2, 1), date(2024, 2, 2), date(2024, 2, 3)]
    assert leap.days(until=date(2024, 1, 31)) == []
    assert Month(2024, 12).shifted(1) == Month(2025, 1) and Month(2025, 1).shifted(-13) == Month(2023, 12)
    assert [m.key for m in Month(2024, 11).through(Month(2025, 2))] == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert Month(2025, 2).through(Month(2024, 11)) == []
    assert Month(2024, 12) < Month(2025, 1)


@pytest.mark.parametrize(
    ("start", "end", "month"),
    [
        (date(2023, 1, 30), date(2023, 2, 5), "2023-02"),  # 2 days of January, 5 of February
        (date(2024, 5, 27), date(2024, 6, 2), "2024-05"),  # 5 of May
        (date(2023, 5, 29), date(2023, 6, 4), "2023-06"),  # 3 of May, 4 of June
        (date(2024, 12, 30), date(2025, 1, 5), "2025-01"),
        (date(2023, 1, 1), date(2023, 1, 8), "2023-01"),  # "Jan 1-8": an eight-day week
        (date(2024, 3, 26), date(2024, 3, 31), "2024-03"),  # six days
    ],
)
def test_a_week_belongs_to_the_month_holding_4_of_its_7_days(start: date, end: date, month: str) -> None:
    assert Month.of_week(start, end).key == month
