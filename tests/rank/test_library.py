"""Ranking through the Library: the store is only read, the cache lands in READLIST_CACHE."""

from __future__ import annotations

from pathlib import Path

import pytest

from readlist.core.config import Settings, load_settings
from readlist.core.library import Library
from readlist.core.models import Status
from readlist.core.rank.ranking import proposed_tags, rank_suggestions, ranking_ready
from readlist.core.suggestions import Pick, Suggestion, Suggestions
from tests.rank import corpus


def build_library() -> tuple[Library, dict[str, str]]:
    """The test library and month, entered through the Library's own operations; returns titles -> ids."""
    library = Library(load_settings())
    ids = {}
    for _, title, status, tags, abstract in corpus.LIBRARY:
        paper, _ = library.add_manual(title=title, tags=tags, status=Status(status), abstract=abstract)
        ids[title] = paper.id
    items = []
    for record in corpus.suggestion_records():
        suggestion = Suggestion.from_dict(record)
        picks, suggestion.picks = suggestion.picks, []
        items += [(suggestion, Pick(p["source"], p["month"], p["rank"], p["blurb"])) for p in picks]
    Suggestions(library).record_picks(items)
    return library, ids


def month(library: Library) -> list[Suggestion]:
    return Suggestions(library).select(month=corpus.MONTH)


def test_ranking_reads_the_store_and_writes_only_the_cache(home: Path, tmp_path: Path) -> None:
    library, ids = build_library()
    table = month(library)
    store_before = (library.settings.library_path.read_bytes(), library.stamp())
    assert not ranking_ready(library)
    ranking = rank_suggestions(library, table)
    assert (library.settings.library_path.read_bytes(), library.stamp()) == store_before
    assert sorted(p.name for p in home.iterdir()) == sorted(p.name for p in home.iterdir() if "library" in p.name)
    cache = tmp_path / "cache"
    assert library.settings.cache_dir == cache
    assert [p.suffix for p in cache.iterdir()] == [".npz"]
    assert ranking_ready(library)
    assert sum(corpus.on_topic(k) for k in ranking.keys[:5]) >= 4
    item = ranking.get("2610.10008")
    assert item is not None and set(item.like) <= set(ids.values())


def test_a_change_to_the_library_makes_ranking_not_ready(home: Path) -> None:
    library, ids = build_library()
    rank_suggestions(library, month(library))
    library.set_status(ids["Hash Layers: Routing Without Learning in Sparse Experts"], Status.DROPPED)
    assert not ranking_ready(library)
    rank_suggestions(library, month(library))
    assert ranking_ready(library)


def test_dismissing_in_the_library_reranks(home: Path) -> None:
    library, _ = build_library()
    scaling = [k for k in corpus.CURATOR_ORDER if corpus.TOPIC[k] == "scaling"]
    before = rank_suggestions(library, month(library))
    Suggestions(library).dismiss(scaling[:3])
    after = rank_suggestions(library, month(library))
    for key in scaling[3:]:
        assert after.keys.index(key) > before.keys.index(key) + 5


def test_proposed_tags_for_one_suggestion(home: Path) -> None:
    library, _ = build_library()
    table = Suggestions(library)
    assert proposed_tags(library, table.find("2610.10005"))[0] == "diffusion"
    assert proposed_tags(library, table.find("2610.10009"))[0] == "molecules"
    assert proposed_tags(library, table.find("2610.20029")) == []


def test_an_empty_library_keeps_the_curators_order(home: Path) -> None:
    library = Library(load_settings())
    table = Suggestions(library).select()  # the shipped January 2021 selection
    assert table
    ranking = rank_suggestions(library, table)
    assert not ranking.ranked and ranking.keys == [s.key for s in table]
    assert ranking.note is not None and "holds 0 papers" in ranking.note
    assert ranking_ready(library)


def test_cache_dir_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    env = {"READLIST_CONFIG": str(tmp_path / "none.toml"), "READLIST_HOME": str(tmp_path)}
    assert load_settings(env).cache_dir == platformdirs.user_cache_path("readlist", appauthor=False)
    assert Settings(home=tmp_path).cache_dir == platformdirs.user_cache_path("readlist", appauthor=False)
    assert load_settings({**env, "READLIST_CACHE": str(tmp_path / "c")}).cache_dir == tmp_path / "c"
    config = tmp_path / "config.toml"
    config.write_text(f'cache_dir = "{tmp_path / "from-file"}"\n', encoding="utf-8")
    env["READLIST_CONFIG"] = str(config)
    assert load_settings(env).cache_dir == tmp_path / "from-file"
    assert load_settings({**env, "READLIST_CACHE": str(tmp_path / "c")}).cache_dir == tmp_path / "c"
