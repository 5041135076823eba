"""The ranking's cache: keyed by the store's stamp, rebuilt incrementally, never trusted blindly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from readlist.core.rank.score import Ranking, rank_records
from readlist.core.rank.vectors import Index, read_cache_stamp, stamp_text
from tests.rank import corpus

DOCS = len(corpus.LIBRARY) + len(corpus.SUGGESTIONS)


def rank_with(index: Index | None, papers: dict[str, dict[str, Any]], stamp: object) -> Ranking:
    month = corpus.suggestion_records()
    return rank_records(papers, month, all_suggestions={s["key"]: s for s in month}, stamp=stamp, index=index)


def cached_ids(path: Path) -> list[str]:
    with np.load(path, allow_pickle=False) as data:
        return data["ids"].tobytes().decode("utf-8").split("\n")


def same_ranking(a: Ranking, b: Ranking) -> None:
    assert a.keys == b.keys
    assert [i.why for i in a.items] == [i.why for i in b.items]
    assert [i.score for i in a.items] == pytest.approx([i.score for i in b.items], abs=1e-6)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "rank-test.npz"


def test_first_ranking_writes_the_cache_with_the_stamp(path: Path) -> None:
    index = Index(path)
    rank_with(index, corpus.paper_records(), (1, 2, 3))
    assert index.report.written and index.report.tokenised == DOCS and index.report.reused == 0
    assert read_cache_stamp(path) == stamp_text((1, 2, 3))
    assert sorted(cached_ids(path)) == sorted(
        ["p:" + p[0] for p in corpus.LIBRARY] + ["s:" + s[0] for s in corpus.SUGGESTIONS]
    )


def test_same_stamp_reuses_the_cache_and_writes_nothing(path: Path) -> None:
    papers = corpus.paper_records()
    first = rank_with(Index(path), papers, (1, 2, 3))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    index = Index(path)  # as a new process would
    second = rank_with(index, papers, (1, 2, 3))
    assert index.report.fresh and index.report.tokenised == 0 and not index.report.written
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    same_ranking(first, second)


def test_a_changed_paper_is_the_only_one_tokenised_again(path: Path) -> None:
    papers = corpus.paper_records()
    rank_with(Index(path), papers, (1, 2, 3))
    changed = "2601.00005"
    papers[changed] = dict(papers[changed], notes="Compare with the diffusion sampler of the latent model.")
    index = Index(path)
    incremental = rank_with(index, papers, (1, 2, 4))
    assert (index.report.tokenised, index.report.reused) == (1, DOCS - 1)
    assert read_cache_stamp(path) == stamp_text((1, 2, 4))
    same_ranking(incremental, rank_with(None, papers, None))


def test_removed_and_added_papers(path: Path) -> None:
    papers = corpus.paper_records()
    rank_with(Index(path), papers, 1)
    del papers["2603.00001"]
    papers["2609.00001"] = dict(papers["2603.00002"], id="2609.00001", title="Graph Networks for Crystal Structures")
    index = Index(path)
    ranking = rank_with(index, papers, 2)
    assert (index.report.tokenised, index.report.reused) == (1, DOCS - 1)
    ids = cached_ids(path)
    assert "p:2603.00001" not in ids and "p:2609.00001" in ids and len(ids) == DOCS
    same_ranking(ranking, rank_with(None, papers, None))


def test_a_status_change_needs_no_tokenising_but_changes_the_ranking(path: Path) -> None:
    papers = corpus.paper_records()
    before = rank_with(Index(path), papers, 1)
    for record in papers.values():
        if "molecules" in record["tags"]:
            record["status"] = "dropped"
    index = Index(path)
    after = rank_with(index, papers, 2)
    assert index.report.tokenised == 0 and index.report.written
    molecules = [k for k in corpus.CURATOR_ORDER if corpus.TOPIC[k] == "molecules"]
    assert all(after.keys.index(k) > before.keys.index(k) + 5 for k in molecules)


@pytest.mark.parametrize("garbage", [b"", b"not a zip file", b"PK\x03\x04" + b"\0" * 100])
def test_a_damaged_cache_is_rebuilt(path: Path, garbage: bytes) -> None:
    papers = corpus.paper_records()
    path.parent.mkdir(parents=True)
    path.write_bytes(garbage)
    index = Index(path)
    ranking = rank_with(index, papers, 7)
    assert index.report.tokenised == DOCS and index.report.written
    assert read_cache_stamp(path) == stamp_text(7)
    same_ranking(ranking, rank_with(None, papers, None))


def test_a_cache_folder_that_cannot_be_written_only_costs_time(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    index = Index(blocker / "rank.npz")
    ranking = rank_with(index, corpus.paper_records(), 1)
    assert not index.report.written and ranking.ranked
    assert blocker.read_text() == "a file where the cache folder would be"
    assert [p.name for p in tmp_path.iterdir()] == ["not-a-folder"]
