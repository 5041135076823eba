"""Resolving picks on arXiv against the loopback arXiv: renames match, sequels and strangers do not."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from readlist.core.arxiv_api import ArxivClient, get_client
from readlist.core.config import load_settings
from readlist.sources.model import RawPick
from readlist.sources.resolve import author_agreement, resolve, title_agreement
from tests.arxiv_server import CATALOG, ArxivServer


def paper(arxiv_id: str, title: str, authors: list[str], day: str) -> dict[str, Any]:
    published = (day + "-01")[:10] + "T00:00:00Z"
    return {
        "id": arxiv_id, "title": title, "authors": authors, "summary": "Written for readlist's tests.",
        "published": published, "versions": [published], "primary_category": "cs.LG", "categories": ["cs.LG"],
    }  # fmt: skip


SEQUELS = [
    # A look-alike sequel by the same first author, a year later.
    paper("2203.01111", "RepVGG: Making VGG-style ConvNets Great Again, Again", ["Xiaohan Ding"], "2022-03-02"),
    paper("2203.02222", "GENIE 2: A Leaderboard for Human-in-the-loop Evaluation of Text", ["D. Khashabi"], "2022-03"),
    paper("2106.03333", "Making Pre-trained Language Models Better Zero-shot Learners", ["Tianyu Gao"], "2021-06-01"),
    # The same title by somebody else.
    paper("2102.04444", "Learning to Rank Papers", ["Ada Lovelace"], "2021-02-01"),
]


@pytest.fixture
def traps(monkeypatch: pytest.MonkeyPatch) -> Iterator[ArxivServer]:
    catalog = json.loads(Path(CATALOG).read_text(encoding="utf-8")) + SEQUELS
    server = ArxivServer(catalog).start()
    monkeypatch.setenv("READLIST_ARXIV_API", server.url)
    yield server
    server.stop()


def client() -> ArxivClient:
    return get_client(load_settings())


def test_renamed_title_matches_on_name_words_and_first_author(traps: ArxivServer) -> None:
    pick = RawPick(9, "GENIE: A Leaderboard for Human-in-the-loop Evaluation of Text", ["Daniel Khashabi"])
    report = resolve([pick], client(), month="2021-01")
    assert pick.arxiv_id == "2101.06561"  # renamed on arXiv; "GENIE 2" (2022) is not taken
    assert pick.metadata and pick.metadata["title"].startswith("GENIE: Toward Reproducible")
    assert report.resolved == 1 and report.requests == 2  # phrase search, then words + surname


def test_sequel_by_the_same_authors_does_not_match(traps: ArxivServer) -> None:
    # The original is not on this arXiv: only its sequels are.
    server_papers = traps.papers
    del server_papers["2101.03697"], server_papers["2012.15723"]
    picks = [
        RawPick(2, "RepVGG: Making VGG-style ConvNets Great Again", ["Xiaohan Ding"]),
        RawPick(3, "Making Pre-trained Language Models Better Few-shot Learners", ["Tianyu Gao", "Adam Fisch"]),
    ]
    report = resolve(picks, client(), month="2021-01")
    assert [p.arxiv_id for p in picks] == [None, None]
    assert report.not_found == picks


def test_same_title_by_another_first_author_does_not_match(traps: ArxivServer) -> None:
    pick = RawPick(1, "Learning to Rank Papers", ["Grace Hopper"])
    resolve([pick], client(), month="2021-01")
    assert pick.arxiv_id is None


def test_organisation_author_and_case_differences(traps: ArxivServer) -> None:
    pick = RawPick(10, "Asymmetric Self-Play for Automatic Goal Discovery in Robotic Manipulation", ["OpenAI"])
    clip = RawPick(1, "Learning Transferable Visual Models from Natural Language Supervision", ["Alec Radford"])
    resolve([pick, clip], client(), month="2021-01")
    assert pick.arxiv_id == "2101.04882"
    assert clip.arxiv_id == "2103.00020"  # not linked from the post: found by its title


def test_linked_picks_are_fetched_in_one_request(traps: ArxivServer) -> None:
    picks = [RawPick(i, "", arxiv_id=a) for i, a in enumerate(["2101.03961", "2101.03697", "2012.15723"], 1)]
    report = resolve(picks, client(), month="2021-01")
    assert report.requests == 1 and len(traps.requests) == 1
    assert "id_list=" in traps.requests[0]
    assert all(p.metadata for p in picks)


def test_dead_arxiv_link_falls_back_to_the_title(traps: ArxivServer) -> None:
    pick = RawPick(4, "Switch Transformers: Scaling to Trillion Parameter Models with Simple and Efficient Sparsity",
                   ["William Fedus"], arxiv_id="2101.99001")  # fmt: skip
    resolve([pick], client(), month="2021-01")
    assert pick.arxiv_id == "2101.03961"


def test_network_failure_leaves_picks_unresolved(arxiv: ArxivServer) -> None:
    arxiv.fail_next = 10
    pick = RawPick(1, "RepVGG: Making VGG-style ConvNets Great Again", ["Xiaohan Ding"])
    report = resolve([pick], client(), month="2021-01")
    assert report.error is not None and "arXiv" in str(report.error)
    assert report.unresolved == [pick] and pick.arxiv_id is None


@pytest.mark.parametrize(
    ("wanted", "found", "expected"),
    [
        ("Towards Generalisation in Deep Nets", "Towards Generalization in Deep Nets", "close"),
        ("Making VGG-style ConvNets Great Again", "Making VGG-Style Convnets Great Again", "exact"),
        ("Switch Transformers: Scaling Up", "Switch Transformers II: Scaling Up", None),
        ("Efficient Attention", "More Efficient Attention for Long Documents", None),
        ("GENIE: A Leaderboard for Human Evaluation of Text", "GENIE: Human Evaluation for Text Generation", "renamed"),
    ],
)
def test_title_agreement(wanted: str, found: str, expected: str | None) -> None:
    assert title_agreement(wanted, found) == expected


def test_author_agreement() -> None:
    assert author_agreement(["Emily M. Bender"], ["Emily M Bender", "Timnit Gebru"])
    assert author_agreement(["OpenAI"], ["OpenAI OpenAI", "Matthias Plappert"])
    assert author_agreement(["Jürgen Schmidhuber"], ["Jurgen Schmidhuber"])
    assert not author_agreement(["Alec Radford"], ["Jong Wook Kim", "Alec Radford"])  # second author is not first
    assert not author_agreement([], ["Anyone"])
