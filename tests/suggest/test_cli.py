"""The suggestion commands end to end: pull, suggestions, accept, dismiss."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.arxiv_server import ArxivServer
from tests.conftest import dead_url
from tests.suggest.conftest import FIXTURES, SourceServer, fixture_text, write_config


def rows(cli: Any, *args: str) -> dict[str, dict[str, Any]]:
    result = cli("suggestions", "--json", "--all", *args)
    assert result.code == 0, result.err
    return {r["key"]: r for r in result.json}


def stored(home: Path) -> dict[str, Any]:
    return json.loads((home / "library.json").read_text(encoding="utf-8"))


def test_pull_seed_gives_ten_resolved_suggestions(cli: Any, arxiv: ArxivServer, seed: Path, no_builtin: Path) -> None:
    cli("add", "2101.03961")
    result = cli("pull", "--from", str(seed))
    assert result.code == 0, result.err
    assert "10 new suggestions" in result.err
    assert "not on arXiv, kept as a suggestion: On the Dangers of Stochastic Parrots" in result.err
    found = rows(cli)
    assert len(found) == 10
    by_rank = {r["rank"]: r for r in found.values()}
    assert by_rank[1]["arxiv_id"] == "2103.00020"  # found by its title: the post links no arXiv page
    assert by_rank[9]["arxiv_id"] == "2101.06561"  # renamed on arXiv
    assert by_rank[9]["title"].startswith("GENIE: Toward")
    assert by_rank[5]["arxiv_id"] is None and by_rank[5]["key"].startswith("manual:")
    assert by_rank[4]["in_library"] is True and by_rank[2]["in_library"] is False
    for r in found.values():
        assert (r["source"], r["month"], r["state"]) == ("zeta-alpha", "2021-01", "new")
        assert len(r["blurb"]) > 100 and r["title"] and r["authors"]
    assert by_rank[1]["url"] == "https://arxiv.org/abs/2103.00020"


def test_pulling_again_changes_nothing_and_asks_arxiv_nothing(
    cli: Any, arxiv: ArxivServer, seed: Path, no_builtin: Path, home: Path
) -> None:
    cli("pull", "--from", str(seed))
    before, asked = stored(home)["suggestions"], len(arxiv.requests)
    result = cli("pull", "--from", str(seed))
    assert result.code == 0 and "0 new suggestions, 0 new picks" in result.err
    assert stored(home)["suggestions"] == before
    assert len(arxiv.requests) == asked


def test_accept_needs_no_network_and_keeps_blurb_and_source(
    cli: Any, arxiv: ArxivServer, seed: Path, no_builtin: Path
) -> None:
    cli("pull", "--from", str(seed))
    arxiv.fail_next = 100  # arXiv is gone: accepting uses the metadata fetched while pulling
    parrots = next(k for k in rows(cli) if k.startswith("manual:"))
    result = cli("accept", "arXiv:2101.00408", parrots)
    assert result.code == 0, result.err
    paper = cli("show", "2101.00408", "--json").json
    assert paper["status"] == "to-read" and paper["pending"] is False
    assert paper["tags"] == ["zeta-alpha"]
    assert paper["abstract"] and paper["blurb"].startswith("unlike the previous paper")
    assert paper["source"] == "suggestion:zeta-alpha"
    manual = cli("show", parrots, "--json").json
    assert (
        manual["title"].startswith("On the Dangers of Stochastic Parrots") and manual["authors"][0] == "Emily M. Bender"
    )
    assert manual["year"] == 2021 and manual["tags"] == ["zeta-alpha"]
    states = {k: r["state"] for k, r in rows(cli).items()}
    assert states["2101.00408"] == states[parrots] == "accepted"
    fresh = cli("suggestions", "--json").json
    assert len(fresh) == 8


def test_dismissed_never_comes_back_from_another_source(
    cli: Any, arxiv: ArxivServer, seed: Path, no_builtin: Path
) -> None:
    cli("pull", "--from", str(seed))
    assert cli("dismiss", "https://arxiv.org/abs/2101.03697").code == 0
    result = cli("pull", "--from", str(FIXTURES / "ml-papers-of-the-week-2021.md"))
    assert result.code == 0, result.err
    found = rows(cli)
    assert found["2101.03697"]["state"] == "dismissed"
    assert "2101.03697" not in {r["key"] for r in cli("suggestions", "--json").json}
    assert "2101.03697" not in {r["key"] for r in cli("suggestions", "--json", "--source", "papers-of-the-week").json}


def test_same_paper_from_two_sources_is_one_suggestion(
    cli: Any, arxiv: ArxivServer, seed: Path, no_builtin: Path, home: Path
) -> None:
    cli("pull", "--from", str(seed))
    result = cli("pull", "--from", str(FIXTURES / "hf-daily-2021-01-13.json"))
    assert result.code == 0 and "0 new suggestions, 3 new picks" in result.err
    found = rows(cli)
    assert len(found) == 10
    switch = stored(home)["suggestions"]["2101.03961"]
    assert sorted(p["source"] for p in switch["picks"]) == ["hf-daily", "zeta-alpha"]
    hf = [r["key"] for r in cli("suggestions", "--json", "--source", "hf-daily").json]
    assert hf == ["2101.03961", "2101.04882", "2101.04535"]  # by best rank: HF's 1, 2, 3 beat the post's 4, 10, 8
    accepted = cli("accept", "2101.03961")
    assert accepted.code == 0
    assert sorted(cli("show", "2101.03961", "--json").json["tags"]) == ["hf-daily", "zeta-alpha"]


def test_fresh_install_shows_the_shipped_january_selection_offline(cli: Any, home: Path, seed: Path) -> None:
    found = rows(cli)  # arXiv is unreachable in tests by default
    assert len(found) == 10
    assert {r["month"] for r in found.values()} == {"2021-01"}
    assert {r["source"] for r in found.values()} == {"zeta-alpha"}
    assert found["2101.06561"]["title"].startswith("GENIE: Toward")
    assert found["doi:10.1145/3442188.3445922"]["arxiv_id"] is None
    assert all(20 < len(r["blurb"]) < 200 for r in found.values())
    result = cli("accept", "2101.03697")
    assert result.code == 0 and "pending" in result.err
    paper = cli("show", "2101.03697", "--json").json
    assert paper["pending"] is True and paper["title"].startswith("RepVGG") and paper["tags"] == ["zeta-alpha"]
    cli("dismiss", "2101.04535")
    assert len(rows(cli)) == 10  # loaded once: nothing comes back


def test_pulled_post_replaces_shipped_blurbs_and_merges(cli: Any, arxiv: ArxivServer, seed: Path) -> None:
    shipped = rows(cli)
    assert len(shipped) == 10
    result = cli("pull", "--from", str(seed))
    assert result.code == 0, result.err
    found = rows(cli)
    assert set(found) == set(shipped)  # the same ten, the Parrots paper under its DOI
    assert found["2101.03697"]["blurb"].startswith("SOTA is not everything")
    assert found["2101.03697"]["rank"] == 2


def test_pull_from_with_arxiv_down_keeps_linked_picks_and_retries(
    cli: Any, no_builtin: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = FIXTURES / "zeta-alpha-2021-01.html"
    result = cli("pull", "--from", str(post))
    assert result.code == 1
    assert "arXiv" in result.err and "pull again" in result.err
    assert "Traceback" not in result.err
    found = rows(cli)
    assert set(found) == {"2101.03697", "2012.15723", "2101.03961", "2101.06561"}  # linked: kept
    server = ArxivServer().start()
    try:
        monkeypatch.setenv("READLIST_ARXIV_API", server.url)
        result = cli("pull", "--from", str(post))
    finally:
        server.stop()
    assert result.code == 0, result.err
    found = rows(cli)
    assert len(found) == 6 and "2103.00020" in found and "doi:10.1145/3442188.3445922" in found


def source_config(config_file: Path, web: SourceServer, **urls: str) -> None:
    tables = {
        "zeta-alpha": urls.get("zeta", web.url("/blog")),
        "papers-of-the-week": urls.get("potw", web.url("/potw/{year}.md")),
        "hf-daily": urls.get("hf", web.url("/api/daily_papers")),
    }
    text = "[sources.builtin]\nenabled = false\n"
    for name, url in tables.items():
        text += f'\n[sources.{name}]\nurl = "{url}"\n'
    write_config(config_file, text)


def serve_sources(web: SourceServer) -> None:
    listing = '<html><body><a href="/post/best-of-arxiv-january-2021">Best of arXiv — January 2021</a></body></html>'
    web.add("/blog", listing)
    web.add("/post/best-of-arxiv-january-2021", fixture_text("zeta-alpha-2021-01.html"))
    web.add("/potw/2021.md", fixture_text("ml-papers-of-the-week-2021.md"), "text/plain; charset=utf-8")
    web.add("/api/daily_papers?date=2021-01-13", fixture_text("hf-daily-2021-01-13.json"), "application/json")


def test_first_pull_takes_the_last_complete_month_then_each_month_since(
    cli: Any, arxiv: ArxivServer, web: SourceServer, config_file: Path, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    serve_sources(web)
    source_config(config_file, web)
    monkeypatch.setattr("readlist.sources.pull.today", lambda: date(2021, 2, 10))
    result = cli("pull")
    assert result.code == 0, result.err
    assert "Pulled 2021-01:" in result.err
    assert not any("2021-02" in r for r in web.requests)  # the first pull takes January only
    picks = {k: sorted((p["source"], p["month"]) for p in s["picks"]) for k, s in stored(home)["suggestions"].items()}
    assert picks["2103.00020"] == [("zeta-alpha", "2021-01")]  # the post found through the listing
    assert picks["2101.03961"] == [
        ("hf-daily", "2021-01"),
        ("papers-of-the-week", "2021-01"),  # weeks of January 4 and 25: one suggestion, two picks
        ("papers-of-the-week", "2021-01"),
        ("zeta-alpha", "2021-01"),
    ]
    assert picks["2101.04535"] == [("hf-daily", "2021-01")]
    assert len(rows(cli)) == 9  # six from the post, Rethink from the weeks, Self-play and Adversary from HF
    state = stored(home)["sources"]
    assert {k: v.get("last_month") for k, v in state.items()} == {
        "zeta-alpha": "2021-01",
        "papers-of-the-week": "2021-01",
        "hf-daily": "2021-01",
    }
    web.requests.clear()
    result = cli("pull")
    assert result.code == 0, result.err
    assert "Pulled 2021-02:" in result.err
    assert "Best of arXiv · February 2021: no post for it" in result.err  # said, not an error
    assert not any("2021-01" in r for r in web.requests)  # January is done; only February is asked
    assert any("date=2021-02-01" in r for r in web.requests)
    picks = {k: sorted((p["source"], p["month"]) for p in s["picks"]) for k, s in stored(home)["suggestions"].items()}
    assert picks["2101.04535"] == [("hf-daily", "2021-01"), ("papers-of-the-week", "2021-02")]
    assert picks["manual:a-paper-without-arxiv"] == [("papers-of-the-week", "2021-02")]


def test_network_failure_names_the_source_and_the_next_pull_retries(
    cli: Any, arxiv: ArxivServer, web: SourceServer, config_file: Path, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    serve_sources(web)
    source_config(config_file, web, zeta=dead_url().replace("/api/query", "/blog"))
    monkeypatch.setattr("readlist.sources.pull.today", lambda: date(2021, 2, 10))
    result = cli("pull")
    assert result.code == 1
    assert "Best of arXiv (zeta-alpha)" in result.err and "cannot reach" in result.err
    found = rows(cli)
    assert "2101.03697" in found  # the other sources were pulled
    assert "2103.00020" not in found
    state = stored(home)["sources"]
    assert "last_month" not in state["zeta-alpha"] and state["papers-of-the-week"]["last_month"] == "2021-01"
    source_config(config_file, web)
    result = cli("pull")
    assert result.code == 0, result.err
    assert "2103.00020" in rows(cli) and stored(home)["sources"]["zeta-alpha"]["last_month"] == "2021-01"


def test_suggestions_filters_and_plain_output(cli: Any, arxiv: ArxivServer, seed: Path, no_builtin: Path) -> None:
    cli("pull", "--from", str(seed))
    cli("pull", "--from", str(FIXTURES / "ml-papers-of-the-week-2021.md"))
    feb = cli("suggestions", "--json", "--month", "2021-02").json
    assert sorted(r["key"] for r in feb) == ["2101.04535", "manual:a-paper-without-arxiv"]
    plain = cli("suggestions", "--month", "January 2021")
    assert plain.code == 0
    lines = plain.out.splitlines()
    assert len(lines) == 10 and lines[0].split("\t")[:4] == ["2103.00020", "new", "2021-01", "1"]
    assert cli("suggestions", "--month", "someday").code == 2
    filed = {r["source"] for r in cli("suggestions", "--json", "--all").json}
    assert filed and all(cli("suggestions", "--json", "--source", name).json for name in filed)
    # An unknown source is bad input, for suggestions as for pull.
    for command in ("suggestions", "pull"):
        r = cli(command, "--source", "nope")
        assert r.code == 2 and r.err.startswith("readlist: no source 'nope': the sources are "), (command, r.err)


def test_unknown_keys_and_bad_input(cli: Any, no_builtin: Path, config_file: Path) -> None:
    result = cli("accept", "2101.03961")
    assert result.code == 1 and "no suggestion '2101.03961'" in result.err
    assert cli("dismiss").code == 2
    assert cli("pull", "--from", "/nonexistent/post.txt").code == 2
    write_config(config_file, '[sources.hf-daily]\nurl = "ftp://example.org"\n')
    result = cli("pull")
    assert result.code == 2 and "sources.hf-daily" in result.err


def test_suggestions_list_the_shipped_selection_without_writing(cli, home, tmp_path) -> None:
    """The shipped selection is read from package data; `suggestions` never writes library.json."""
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    assert cli("add", "--title", "A Paper Kept By Hand").code == 0
    path = home / "library.json"
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    r = cli("suggestions", "--json")
    assert r.code == 0, r.err
    assert len(r.json) == 10 and {s["source"] for s in r.json} == {"zeta-alpha"}
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime
    assert cli("dismiss", "2101.03697").code == 0  # acting on one stores it, and only it
    stored_keys = set(json.loads(path.read_text(encoding="utf-8"))["suggestions"])
    assert stored_keys == {"2101.03697"}
    assert len(cli("suggestions", "--json").json) == 9
