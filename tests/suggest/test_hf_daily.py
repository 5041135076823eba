"""Hugging Face daily papers in the API's real shape: parsing, malformed values, a month pulled from a server.

The shape is the one ``/api/daily_papers?date=YYYY-MM-DD`` answers, as its
public clients read it: RSSHub's ``lib/routes/huggingface/daily-papers.ts``
(``item.title``, ``item.paper.id``, ``item.paper.summary``, ``item.publishedAt``,
``item.paper.authors[].name``, ``item.paper.upvotes``) and the ``pyhfapi``
package's ``APIGetDailyPapersResponseItem`` (generated from the Hub's OpenAPI
spec: ``paper`` with ``id``, ``authors`` [{``_id``, ``name``, ``hidden``}],
``discussionId``, ``publishedAt``, ``summary``, ``title``, ``upvotes``,
``ai_summary``, ``ai_keywords``...; and at the top ``publishedAt``,
``submittedBy``, ``summary``, ``thumbnail``, ``title``, ``numComments``,
``isAuthorParticipating``). The entries below are written for these tests.
"""

from __future__ import annotations

import io
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from readlist.core.errors import BadInput
from readlist.sources.detect import parse_document
from tests.arxiv_server import ArxivServer
from tests.suggest.conftest import SourceServer, write_config


def entry(arxiv_id: str, upvotes: Any, day: str, title: str | None = None, **paper: Any) -> dict[str, Any]:
    """One daily-papers entry in the API's shape."""
    title = title or f"A Paper Numbered {arxiv_id}"
    return {
        "paper": {
            "id": arxiv_id,
            "authors": [
                {"_id": "6500aa" + arxiv_id[-4:], "name": "Grace Hopper", "hidden": False},
                {"_id": "6500bb" + arxiv_id[-4:], "name": "Alan Turing", "hidden": False,
                 "user": {"_id": "u1", "avatarUrl": "/a.png", "fullname": "Alan T", "isPro": False, "name": "alan",
                          "type": "user"}},
            ],
            "publishedAt": f"{day}T17:59:58.000Z",
            "submittedOnDailyAt": f"{day}T01:02:03.000Z",
            "title": title,
            "summary": "An abstract written for readlist's tests.",
            "upvotes": upvotes,
            "discussionId": "66" + arxiv_id.replace(".", ""),
            "ai_summary": "A one-line summary.",
            "ai_keywords": ["tests"],
            "githubRepo": None,
            **paper,
        },
        "publishedAt": f"{day}T00:00:00.000Z",
        "title": title,
        "summary": "An abstract written for readlist's tests.",
        "thumbnail": "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/x.png",
        "numComments": 2,
        "submittedBy": {"_id": "s1", "avatarUrl": "/s.png", "fullname": "Someone", "isPro": False,
                        "name": "someone", "type": "user"},
        "mediaUrls": [],
        "isAuthorParticipating": False,
    }  # fmt: skip


def test_real_shape_ranks_by_upvotes_and_keeps_authors_and_votes() -> None:
    day = [
        entry("2406.00010", 12, "2024-06-03"),
        entry("2406.00011", 340, "2024-06-03"),
        entry("2406.00012", 5.0, "2024-06-03"),
    ]
    [s] = parse_document(json.dumps(day), name="daily.json")
    assert (s.source, s.month) == ("hf-daily", "2024-06")
    assert [(p.rank, p.arxiv_id, p.upvotes) for p in s.picks] == [
        (1, "2406.00011", 340),
        (2, "2406.00010", 12),
        (3, "2406.00012", 5),  # a JSON float that is a whole number
    ]
    first = s.picks[0]
    assert first.title == "A Paper Numbered 2406.00011"
    assert first.authors == ["Grace Hopper", "Alan Turing"]
    assert first.blurb.startswith("340 upvotes on Hugging Face daily papers (2024-06-03). A one-line summary.")
    assert first.links == [{"label": "hugging face", "url": "https://huggingface.co/papers/2406.00011"}]


@pytest.mark.parametrize(
    "bad",
    [
        {"upvotes": "many"},
        {"upvotes": [1]},
        {"upvotes": {"n": 1}},
        {"upvotes": True},
        {"upvotes": -3},
        {"upvotes": 1.5},
        {"title": ["a", "list"]},
        {"id": 2406.0001},
        {"id": "not-an-arxiv-id"},
    ],
)
def test_malformed_values_skip_the_entry_and_say_so(bad: dict[str, Any]) -> None:
    good = entry("2406.00020", 7, "2024-06-04")
    broken = entry("2406.00021", 9, "2024-06-04")
    broken["paper"].update(bad)
    if "title" in bad:
        broken["title"] = bad["title"]
    [s] = parse_document(json.dumps([broken, good]), name="daily.json")
    assert [p.arxiv_id for p in s.picks] == ["2406.00020"]
    assert s.warnings == ["1 entry skipped: not in the daily papers' shape"]


def test_other_malformed_shapes_are_one_line_errors_or_skipped() -> None:
    odd = [{"paper": [1, 2]}, {"paper": {"id": "2406.00030", "title": "T", "upvotes": 3, "authors": "nobody"}}]
    [s] = parse_document(json.dumps(odd), name="daily.json", month="2024-06")
    assert [(p.arxiv_id, p.authors) for p in s.picks] == [("2406.00030", [])]
    with pytest.raises(BadInput, match="nested too deeply"):
        parse_document("[" * 200_000 + "]" * 200_000, name="deep.json")


def test_deep_json_from_the_command_line_is_one_line(cli: Any, tmp_path: Path, no_builtin: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    result = cli("pull", "--from", str(deep))
    assert result.code == 2 and "nested too deeply" in result.err
    assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1


def serve_june(web: SourceServer) -> list[tuple[str, int]]:
    """30 days of June 2024, ten papers a day (300), one paper featured twice: (id, best upvotes) served."""
    served: dict[str, int] = {}
    for day in range(1, 31):
        papers = []
        for n in range(10):
            arxiv_id = f"2406.{day:02d}{n:03d}"
            votes = (day * 37 + n * 101) % 500
            papers.append(entry(arxiv_id, votes, f"2024-06-{day:02d}"))
            served[arxiv_id] = votes
        if day == 12:
            papers.append(entry("2406.03004", 999, "2024-06-12"))  # featured again, with more votes
            served["2406.03004"] = 999
        web.add(f"/api/daily_papers?date=2024-06-{day:02d}", json.dumps(papers), "application/json")
    return sorted(served.items(), key=lambda kv: (-kv[1], kv[0]))


def hf_config(config_file: Path, web: SourceServer, top: int | None = None) -> None:
    text = f'[sources.builtin]\nenabled = false\n\n[sources.hf-daily]\nurl = "{web.url("/api/daily_papers")}"\n'
    if top is not None:
        text += f"top = {top}\n"
    write_config(config_file, text)


def test_a_month_pull_keeps_the_top_n_with_upvotes_and_shows_progress(
    cli: Any, arxiv: ArxivServer, web: SourceServer, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    arxiv.synthesize = True
    ranked = serve_june(web)
    hf_config(config_file, web, top=5)
    monkeypatch.setattr("readlist.sources.pull.today", lambda: date(2024, 7, 10))
    result = cli("pull", "--source", "hf-daily", "--month", "2024-06")
    assert result.code == 0, result.err
    # Not a terminal: the progress bar's plain-line equivalent, start and end of the 30 days.
    assert "Hugging Face daily papers: June 2024, 30 days ..." in result.err
    assert "Hugging Face daily papers: June 2024, 30 days: 30/30" in result.err
    assert sum("daily_papers?date=2024-06-" in r for r in web.requests) == 30
    rows = cli("suggestions", "--json").json
    assert [r["arxiv_id"] for r in rows] == [arxiv_id for arxiv_id, _ in ranked[:5]]
    assert rows[0]["arxiv_id"] == "2406.03004" and rows[0]["picks"][0]["upvotes"] == 999  # its better day
    assert rows[0]["blurb"].startswith("999 upvotes on Hugging Face daily papers (2024-06-12).")
    plain = cli("suggestions")
    assert plain.out.splitlines()[0].split("\t")[:4] == ["2406.03004", "new", "2024-06", "1"]


def test_the_default_top_is_30(
    cli: Any, arxiv: ArxivServer, web: SourceServer, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    arxiv.synthesize = True
    serve_june(web)
    hf_config(config_file, web)
    monkeypatch.setattr("readlist.sources.pull.today", lambda: date(2024, 7, 10))
    assert cli("pull", "--source", "hf-daily", "--month", "2024-06").code == 0
    assert len(cli("suggestions", "--json").json) == 30


def test_a_day_that_is_not_a_list_of_papers_names_the_source_and_url(
    cli: Any, arxiv: ArxivServer, web: SourceServer, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web.add("/api/daily_papers?date=2024-06-01", json.dumps({"error": "Invalid date"}), "application/json")
    web.add("/api/daily_papers?date=2024-06-02", "[" * 100_000, "application/json")
    hf_config(config_file, web)
    monkeypatch.setattr("readlist.sources.pull.today", lambda: date(2024, 7, 10))
    result = cli("pull", "--source", "hf-daily", "--month", "2024-06")
    assert result.code == 1
    assert "Hugging Face daily papers" in result.err and "date=2024-06-01" in result.err
    assert "Traceback" not in result.err


def test_the_progress_bar_draws_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from readlist.cli.suggest import _Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.setenv("COLUMNS", "100")
    with _Progress() as progress:
        for day in range(31):
            progress("Hugging Face daily papers: June 2024, 30 days", day, 30)
    shown = screen.getvalue()
    assert "Hugging Face daily papers: June 2024, 30 days" in shown and "30/30" in shown
