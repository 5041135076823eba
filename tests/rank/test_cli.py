"""`suggestions` ordered by fit (--sort, --explain, --json fit and why) and `accept --auto-tag`."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_process
from tests.rank import corpus
from tests.rank.test_library import build_library


@pytest.fixture
def month(home: Path) -> dict[str, str]:
    """The three-topic library and its month, stored in READLIST_HOME; returns titles -> ids."""
    return build_library()[1]


def on_topic_share(keys: list[str], k: int) -> float:
    return sum(corpus.on_topic(key) for key in keys[:k]) / k


def test_suggestions_order_by_fit_with_fit_and_why(cli: Any, month: dict[str, str]) -> None:
    result = cli("suggestions", "--month", corpus.MONTH, "--json")
    assert result.code == 0, result.err
    assert result.err == ""
    rows = result.json
    keys = [r["key"] for r in rows]
    assert sorted(keys) == sorted(corpus.CURATOR_ORDER)
    assert on_topic_share(keys, 5) >= 0.8 and on_topic_share(keys, 10) >= 0.7
    fits = [r["fit"] for r in rows]
    assert all(isinstance(f, float) and 0 <= f <= 1 for f in fits) and fits == sorted(fits, reverse=True)
    top = rows[0]
    assert top["why"].startswith("like *") and f"(#{corpus.TOPIC[top['key']]})" in top["why"]
    assert {"source", "month", "rank", "in_library", "state"} <= set(top)  # the record it always printed


def test_each_month_by_fit_newest_month_first(cli: Any, month: dict[str, str]) -> None:
    from readlist.core.config import load_settings
    from readlist.core.library import Library
    from readlist.core.suggestions import Pick, Suggestion, Suggestions

    earlier = []  # a month before the corpus's: six of its picks again, under new ids
    for rank, (key, title, _, abstract) in enumerate(corpus.SUGGESTIONS[7:13], 1):
        new = "2609." + key[5:]
        s = Suggestion(key=new, title=title, arxiv_id=new, metadata={"title": title, "abstract": abstract})
        earlier.append((s, Pick("zeta-alpha", "2026-09", rank)))
    Suggestions(Library(load_settings())).record_picks(earlier)
    rows = cli("suggestions", "--json").json
    months = [r["month"] for r in rows]
    assert months == sorted(months, reverse=True) and set(months) == {corpus.MONTH, "2026-09"}
    for wanted in (corpus.MONTH, "2026-09"):
        fits = [r["fit"] for r in rows if r["month"] == wanted]
        assert fits == sorted(fits, reverse=True) and len(set(fits)) > 1


def test_sort_curator_keeps_the_curators_order(cli: Any, month: dict[str, str]) -> None:
    from readlist.core.config import load_settings
    from readlist.core.library import Library
    from readlist.core.suggestions import Suggestions

    curators = [s.key for s in Suggestions(Library(load_settings())).select(month=corpus.MONTH)]
    rows = cli("suggestions", "--month", corpus.MONTH, "--json", "--sort", "curator").json
    assert [r["key"] for r in rows] == curators
    assert all(r["fit"] is not None for r in rows)
    fit_rows = cli("suggestions", "--month", corpus.MONTH, "--json", "--sort", "fit").json
    assert [r["key"] for r in fit_rows] != curators
    result = cli("suggestions", "--sort", "newest")
    assert result.code == 2 and "use fit or curator" in result.err


def test_an_empty_library_keeps_the_curators_order_and_says_why(cli: Any, home: Path) -> None:
    result = cli("suggestions", "--json")
    assert result.code == 0
    rows = result.json
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows) and len(rows) == 10  # the shipped month
    assert all(r["fit"] is None for r in rows)
    lines = result.err.splitlines()
    assert lines == ["Your library holds 0 papers: suggestions keep the curators' order until it holds 5."]
    assert cli("suggestions", "--json", "--sort", "curator").err == ""


def test_plain_output_ends_with_fit_and_why(cli: Any, month: dict[str, str]) -> None:
    result = cli("suggestions", "--month", corpus.MONTH, "--explain")
    assert result.code == 0
    lines = [line.split("\t") for line in result.out.splitlines()]
    assert len(lines) == 40 and len({len(fields) for fields in lines}) == 1
    first = lines[0]
    assert first[0] in corpus.TOPIC and corpus.on_topic(first[0])
    assert float(first[-2]) >= float(lines[-1][-2])  # the fit, then the why line
    assert first[-1].startswith("like *")
    plain = [line.split("\t") for line in cli("suggestions", "--month", corpus.MONTH).out.splitlines()]
    assert [fields[:-1] for fields in plain] == [fields[:-2] for fields in lines]
    assert [fields[-1] for fields in plain] == [fields[-2] for fields in lines]


def test_table_shows_a_fit_bar_and_the_why_line(
    cli: Any, month: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "200")
    result = cli("suggestions", "--month", corpus.MONTH, "--explain")
    assert result.code == 0, result.err
    out = re.sub(r"\x1b\[[0-9;]*m", "", result.out)  # NO_COLOR keeps bold and italics
    bars = [line.split()[0] for line in out.splitlines() if line[:1] in "▁▂▃▄▅▆▇█" and line.strip()]
    assert len(bars) == 40
    assert "▁▂▃▄▅▆▇█".index(bars[0]) >= 5 and "▁▂▃▄▅▆▇█".index(bars[-1]) <= 2
    assert re.search(r"like (Token Routing|Message Passing|Equivariant|Expert|Denoising|Latent|Fine-Tuning)", out)
    assert (
        re.search(r"\x1b\[(?:\d+;)*3m", result.out) and "*" not in out
    )  # the names are set in italics, not between asterisks


def test_accept_auto_tag_applies_the_proposed_tags(cli: Any, month: dict[str, str]) -> None:
    result = cli("accept", "2610.10005", "2610.10009", "--auto-tag")
    assert result.code == 0, result.err
    assert "tagged #diffusion" in result.err and "tagged #molecules" in result.err
    diffusion = cli("show", "2610.10005", "--json").json
    molecules = cli("show", "2610.10009", "--json").json
    assert diffusion["tags"][0] == "zeta-alpha" and "diffusion" in diffusion["tags"]
    assert "molecules" in molecules["tags"] and "diffusion" not in molecules["tags"]
    assert diffusion["status"] == "to-read"
    cli("accept", "2610.10007")
    assert "diffusion" not in cli("show", "2610.10007", "--json").json["tags"]  # only with --auto-tag


def test_accept_auto_tag_with_a_small_library(cli: Any, home: Path) -> None:
    result = cli("accept", "2101.03961", "--auto-tag")  # a pick of the shipped month
    assert result.code == 0, result.err
    assert "No tags proposed: your library holds fewer than 5 papers" in result.err
    assert cli("show", "2101.03961", "--json").json["tags"] == ["zeta-alpha"]
    assert cli("accept", "2101.99999", "--auto-tag").code == 1  # not a suggestion: the usual one-line error


def test_help_and_plain_commands_never_import_numpy(home: Path) -> None:
    for args in (["--help"], ["list"], ["suggestions", "--sort", "curator", "--month", "1999-01"]):
        r = run_process(*args, env={"PYTHONPROFILEIMPORTTIME": "1"})
        assert r.returncode == 0, r.stderr
        imported = set(re.findall(r"\|\s+([\w.]+)$", r.stderr, re.M))
        assert "readlist.cli.main" in imported
        assert "numpy" not in imported and "readlist.core.rank.score" not in imported, args
