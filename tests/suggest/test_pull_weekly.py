"""Pulling weekly lists end to end: one month by default, week and number kept, the real file's months.

The loopback arXiv answers any well-formed new-style id (``synthesize``), so the
real file's ~1,100 arXiv picks resolve without a network.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.arxiv_server import ArxivServer
from tests.suggest.conftest import FIXTURES, SourceServer, write_config
from tests.suggest.test_real_weekly import DOC, REAL, truth

SAMPLE = FIXTURES / "weekly-sample.md"


def suggestions(cli: Any, *args: str) -> list[dict[str, Any]]:
    result = cli("suggestions", "--json", "--all", *args)
    assert result.code == 0, result.err
    return result.json  # type: ignore[no-any-return]


def test_without_month_the_latest_month_and_what_else_is_there(cli: Any, arxiv: ArxivServer, no_builtin: Path) -> None:
    arxiv.synthesize = True
    result = cli("pull", "--from", str(SAMPLE))
    assert result.code == 0, result.err
    assert "Pulled 2025-01:" in result.err
    assert "also holds 9 other months (2023-02 to 2024-06)" in result.err
    assert "--month YYYY-MM" in result.err and "--all-months" in result.err
    assert {p["month"] for r in suggestions(cli) for p in r["picks"]} == {"2025-01"}


def test_all_months_takes_every_month(cli: Any, arxiv: ArxivServer, no_builtin: Path) -> None:
    arxiv.synthesize = True
    result = cli("pull", "--from", str(SAMPLE), "--all-months")
    assert result.code == 0, result.err
    months = {p["month"] for r in suggestions(cli) for p in r["picks"]}
    assert len(months) == 10 and "also holds" not in result.err
    assert cli("pull", "--from", str(SAMPLE), "--all-months", "--month", "2024-06").code == 2


def test_a_month_the_file_does_not_hold_says_what_it_holds(cli: Any, no_builtin: Path) -> None:
    result = cli("pull", "--from", str(SAMPLE), "--month", "2022-03")
    assert result.code == 2
    assert "no selection for March 2022" in result.err and "(it holds 2023-02 to 2025-01, 10 months)" in result.err


def test_picks_keep_week_and_number_and_two_weeks_make_one_suggestion(
    cli: Any, arxiv: ArxivServer, no_builtin: Path
) -> None:
    arxiv.synthesize = True
    assert cli("pull", "--from", str(SAMPLE), "--month", "2024-06").code == 0
    rows = {r["key"]: r for r in suggestions(cli)}
    twice = rows["2406.00002"]
    assert [(p["month"], p["week"], p["number"]) for p in twice["picks"]] == [
        ("2024-06", "2024-06-03", 2),
        ("2024-06", "2024-06-10", 2),
    ]
    assert (twice["week"], twice["number"], twice["rank"]) == ("2024-06-03", 2, 2)
    report = rows["manual:open-weights-report"]
    assert report["arxiv_id"] is None and report["url"] == "https://example.org/open-weights-report.pdf"
    assert report["picks"][0]["week_label"] == "June 3–9, 2024" and report["picks"][0]["number"] == 1
    plain = cli("suggestions", "--month", "2024-06").out.splitlines()
    assert plain[0].split("\t")[8:10] == ["2024-06-03", "1"]  # week and number follow in-library (fit comes after)


def test_pulling_the_month_again_changes_nothing(cli: Any, arxiv: ArxivServer, no_builtin: Path, home: Path) -> None:
    arxiv.synthesize = True
    cli("pull", "--from", str(SAMPLE), "--month", "2024-06")
    before = json.loads((home / "library.json").read_text(encoding="utf-8"))["suggestions"]
    asked = len(arxiv.requests)
    result = cli("pull", "--from", str(SAMPLE), "--month", "2024-06")
    assert result.code == 0 and "0 new suggestions, 0 new picks" in result.err
    assert json.loads((home / "library.json").read_text(encoding="utf-8"))["suggestions"] == before
    assert len(arxiv.requests) == asked


def test_a_source_page_without_picks_is_an_error_naming_source_and_url(
    cli: Any, arxiv: ArxivServer, web: SourceServer, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web.add("/potw/README.md", "# ML Papers of the Week\n\nMoved to another site.\n", "text/plain; charset=utf-8")
    web.add("/blog", "<html><body><p>Our blog is being redesigned.</p></body></html>")
    config = "[sources.builtin]\nenabled = false\n[sources.hf-daily]\nenabled = false\n"
    config += f'[sources.papers-of-the-week]\nurl = "{web.url("/potw/README.md")}"\n'
    config += f'[sources.zeta-alpha]\nurl = "{web.url("/blog")}"\n'
    write_config(config_file, config)
    monkeypatch.setattr("readlist.sources.pull.today", lambda: date(2024, 7, 3))
    result = cli("pull")
    assert result.code == 1
    assert "0 new suggestions" not in result.err.splitlines()[-1]
    err = " ".join(result.err.split())
    assert f"ML Papers of the Week (papers-of-the-week): {web.url('/potw/README.md')} found no picks in it" in err
    assert "no weekly tables" in err
    assert f"Best of arXiv (zeta-alpha): {web.url('/blog')} lists no posts readlist can read" in err


def test_a_post_without_numbered_picks_is_an_error(
    cli: Any, arxiv: ArxivServer, web: SourceServer, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web.add("/blog", '<html><body><a href="/post/trends-in-ai-june-2024">Trends in AI — June 2024</a></body></html>')
    web.add("/post/trends-in-ai-june-2024", "<html><body><h1>Trends in AI — June 2024</h1><p>Video only.</p></html>")
    config = "[sources.builtin]\nenabled = false\n[sources.hf-daily]\nenabled = false\n"
    config += "[sources.papers-of-the-week]\nenabled = false\n"
    config += f'[sources.zeta-alpha]\nurl = "{web.url("/blog")}"\n'
    write_config(config_file, config)
    monkeypatch.setattr("readlist.sources.pull.today", lambda: date(2024, 7, 3))
    result = cli("pull")
    assert result.code == 1
    assert web.url("/post/trends-in-ai-june-2024") in result.err and "found no picks" in result.err


def test_a_source_whose_list_ends_before_the_month_says_so(
    cli: Any, arxiv: ArxivServer, web: SourceServer, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    arxiv.synthesize = True
    web.add("/potw/README.md", SAMPLE.read_text(encoding="utf-8"), "text/plain; charset=utf-8")
    config = "[sources.builtin]\nenabled = false\n[sources.hf-daily]\nenabled = false\n"
    config += "[sources.zeta-alpha]\nenabled = false\n"
    config += f'[sources.papers-of-the-week]\nurl = "{web.url("/potw/README.md")}"\n'
    write_config(config_file, config)
    monkeypatch.setattr("readlist.sources.pull.today", lambda: date(2025, 4, 3))
    result = cli("pull")  # a first pull: March 2025, which the list does not reach
    assert result.code == 0, result.err
    assert "ML Papers of the Week · March 2025: not in" in result.err and "(it holds 2023-02 to 2025-01;" in result.err
    assert "readlist pull --source papers-of-the-week --month YYYY-MM" in result.err


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real is absent")
def test_june_2024_of_the_real_file_with_weeks_numbers_and_non_arxiv_picks(
    cli: Any, arxiv: ArxivServer, no_builtin: Path
) -> None:
    arxiv.synthesize = True
    result = cli("pull", "--from", str(DOC), "--month", "2024-06")
    assert result.code == 0, result.err
    assert "ML Papers of the Week · June 2024: 40 picks" in result.err
    assert sum(1 for r in arxiv.requests if "id_list" in r) == 1  # the month's ids in one request
    rows = suggestions(cli)
    places = sorted((p["week"], p["number"]) for r in rows for p in r["picks"])
    assert places == sorted((r.week, r.number) for r in truth()["2024-06"])
    assert {p["month"] for r in rows for p in r["picks"]} == {"2024-06"}
    assert sum(1 for r in rows if r["arxiv_id"] is None) == sum(1 for r in truth()["2024-06"] if not r.arxiv_id)


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real is absent")
def test_every_month_of_the_real_file_as_stored(cli: Any, arxiv: ArxivServer, no_builtin: Path) -> None:
    """The whole file pulled once (--all-months): each month's stored picks are that month's rows."""
    arxiv.synthesize = True
    result = cli("pull", "--from", str(DOC), "--all-months")
    assert result.code == 0, result.err
    rows = suggestions(cli)
    stored: dict[str, set[tuple[str, int]]] = {}
    for r in rows:
        for p in r["picks"]:
            stored.setdefault(p["month"], set()).add((p["week"], p["number"]))
    for month, month_rows in truth().items():
        want = {(r.week, r.number) for r in month_rows}
        arxiv_rows = {(r.week, r.number) for r in month_rows if r.arxiv_id}
        got = stored.get(month, set())
        assert got <= want, month  # nothing from another month or year
        assert len(got & arxiv_rows) >= 0.99 * len(arxiv_rows), month
        assert len(got & (want - arxiv_rows)) >= 0.95 * len(want - arxiv_rows), month
    assert set(stored) == set(truth())
