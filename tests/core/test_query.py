"""The one query language: every operator, typos, ids, and the three ways to run it agreeing.

`readlist list -q`, the TUI filter and export all compile the same text with
``compile_query`` and run it with ``query.run``; the words are answered by a
scan of the texts (``ScanText``), the TUI's word index (``TextIndex``) or the
SQLite search index (``SearchIndex``). Each must give the same papers.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readlist.core.errors import BadInput
from readlist.core.query import compile_query, filter_records, run, sort_records, text_term
from readlist.core.query_index import TextIndex, WordAnswers
from readlist.core.search_index import IndexedText, SearchIndex


def paper(pid: str, title: str, **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"id": pid, "title": title, "authors": [], "abstract": "", "notes": "", "tags": []}
    record.update(status="to-read", year=None, published=None, source="arxiv", added="2024-01-01T00:00:00+00:00")
    return {**record, **extra}


LIBRARY = [
    paper("2101.03961", "Switch Transformers: Scaling to Trillion Parameter Models",
          authors=["William Fedus", "Barret Zoph", "Noam Shazeer"], year=2021, tags=["moe", "scaling"],
          abstract="A simplified mixture-of-experts router sends each token to a single expert.",
          notes="Capacity factor 1.25 was enough.", status="reading"),
    paper("2103.00020", "Learning Transferable Visual Models From Natural Language Supervision",
          authors=["Alec Radford", "Jong Wook Kim"], year=2021, tags=["vision"], source="suggestion:zeta-alpha",
          abstract="Image and text encoders trained contrastively become zero-shot classifiers."),
    paper("1706.03762", "Attention Is All You Need", authors=["Ashish Vaswani", "Noam Shazeer"], year=2017,
          tags=["transformers", "classic"], status="read", abstract="Attention alone, no recurrence."),
    paper("doi:10.1145/3442188.3445922", "On the Dangers of Stochastic Parrots",
          authors=["Emily M. Bender", "Timnit Gebru"], year=2021, source="manual", tags=["ethics"]),
    paper("hep-th/9711200", "The Large N Limit of Superconformal Field Theories and Supergravity",
          authors=["Juan Maldacena"], published="1997-11-27", status="dropped", notes="AdS/CFT, the classic."),
    paper("2012.15723", "Making Pre-trained Language Models Better Few-shot Learners",
          authors=["Tianyu Gao", "Adam Fisch", "Danqi Chen"], year=2020, source="bibtex",
          abstract="Prompt-based fine-tuning with demonstrations in 2020 style."),
]  # fmt: skip


def ids(query: str, records: list[dict[str, Any]] = LIBRARY) -> list[str]:
    """The ids a query selects, checked to be the same through every TextSearch."""
    compiled = compile_query(query)
    direct = [r["id"] for r in compiled.filter(records)]
    index = TextIndex(records)
    scanned = [records[i]["id"] for i in index.select(compiled, range(len(records)))]
    index.warm()
    indexed = [records[i]["id"] for i in index.select(compiled, range(len(records)))]
    assert direct == scanned == indexed == through_sqlite(compiled, records), query
    return direct


_INDEXED: list[tuple[list[dict[str, Any]], SearchIndex]] = []


def through_sqlite(compiled: Any, records: list[dict[str, Any]]) -> list[str]:
    """The ids the SQLite search index selects (an in-memory index, kept for the last list of records)."""
    if _INDEXED and _INDEXED[0][0] is records:
        index = _INDEXED[0][1]
    else:
        index = SearchIndex(Path(":memory:"))
        index.sync({r["id"]: r for r in records}, stamp=None)
        _INDEXED[:] = [(records, index)]
    return [records[i]["id"] for i in run(compiled, records, range(len(records)), IndexedText(index, records))]


# -- free words -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SWITCH transformers", ["2101.03961"]),  # title, any case
        ("danqi", ["2012.15723"]),  # an author
        ("mixture experts", ["2101.03961"]),  # the abstract: "mixture-of-experts"
        ("capacity factor", ["2101.03961"]),  # the notes
        ("ethics", ["doi:10.1145/3442188.3445922"]),  # a tag, as a free word
        ("2103.00020", ["2103.00020"]),  # an id
        ("arXiv:2103.00020", ["2103.00020"]),  # an id as arXiv writes it
        ("doi:10.1145/3442188", ["doi:10.1145/3442188.3445922"]),  # doi: is an id, not a field
        ("hep-th/9711200", ["hep-th/9711200"]),
        ("shazeer attention", ["1706.03762"]),  # every word must match
        ("trans", ["2101.03961", "2103.00020", "1706.03762"]),  # a word typed so far
        ("zzzz", []),
    ],
)
def test_free_words_look_in_title_authors_abstract_notes_tags_and_id(query: str, expected: list[str]) -> None:
    assert ids(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("swtich", ["2101.03961"]),  # two letters swapped
        ("swich", ["2101.03961"]),  # a letter missing
        ("switsh", ["2101.03961"]),  # a wrong letter
        ("swittch", ["2101.03961"]),  # an extra letter
        ("maldacenna", ["hep-th/9711200"]),  # in an author's name
        ("trnasformers", ["2101.03961", "1706.03762"]),
        ("contrastivly", ["2103.00020"]),  # in the abstract
        ("swtihc", []),  # two typos: no
        ("atentoin", []),
    ],
)
def test_one_typo_in_words_of_four_letters_or_more(query: str, expected: list[str]) -> None:
    assert ids(query) == expected


def test_short_words_and_numbers_match_only_as_typed() -> None:
    records = [paper("1", "gan"), paper("2", "gap"), paper("3", "year 2020"), paper("4", "year 2021")]
    assert ids("gan", records) == ["1"]  # one typo in three letters would match everything
    assert ids("2021", records) == ["4"]  # a number is not a word with a typo
    assert ids('"year 2020"', records) == ["3"]


def test_phrases_match_as_typed_and_never_across_fields() -> None:
    assert ids('"mixture-of-experts router"') == ["2101.03961"]
    assert ids('"mixture experts"') == []
    assert ids('"parameter models william"') == [], "title and authors are separate fields"
    assert ids('"unclosed quote stays a query') == []


# -- fields -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("author:shazeer", ["2101.03961", "1706.03762"]),
        ('author:"noam shazeer" attention', ["1706.03762"]),
        ("author:SHAZ", ["2101.03961", "1706.03762"]),
        ("tag:moe", ["2101.03961"]),
        ("#moe", ["2101.03961"]),
        ("#MOE", ["2101.03961"]),
        ("tag:mo", []),  # a tag matches exactly
        ("status:reading", ["2101.03961"]),
        ("status:done", ["1706.03762"]),  # the aliases `readlist status` accepts
        ("status:to-read", ["2103.00020", "doi:10.1145/3442188.3445922", "2012.15723"]),
        ("year:2021", ["2101.03961", "2103.00020", "doi:10.1145/3442188.3445922"]),
        ("year:2017..2020", ["1706.03762", "2012.15723"]),
        ("year:..2000", ["hep-th/9711200"]),  # from the published date when there is no year
        ("year:2021..", ["2101.03961", "2103.00020", "doi:10.1145/3442188.3445922"]),
        ("source:zeta", ["2103.00020"]),
        ("source:manual", ["doi:10.1145/3442188.3445922"]),
        ("id:2101.03961,1706.03762", ["2101.03961", "1706.03762"]),
        ("Tag:moe Status:reading", ["2101.03961"]),
    ],
)
def test_field_operators(query: str, expected: list[str]) -> None:
    assert ids(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("shazeer -attention", ["2101.03961"]),
        ("-tag:moe -#vision -status:read -status:dropped", ["doi:10.1145/3442188.3445922", "2012.15723"]),
        ("year:2021 -source:manual", ["2101.03961", "2103.00020"]),
        ("author:shazeer -swtich", ["1706.03762"]),  # an excluded word forgives a typo too
        ('-"language" -author:maldacena', ["2101.03961", "1706.03762", "doi:10.1145/3442188.3445922"]),
        ("- -", [r["id"] for r in LIBRARY]),  # a lone dash is nothing
    ],
)
def test_minus_excludes(query: str, expected: list[str]) -> None:
    assert ids(query) == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status:reed", "unknown status 'reed': use one of to-read, reading, read, dropped"),
        ("year:21", "year:21 is not a year"),
        ("year:2020..21", "is not a year"),
        ("year:..", "is not a year"),
    ],
)
def test_bad_fields_say_how_to_write_them(query: str, message: str) -> None:
    with pytest.raises(BadInput, match=re.escape(message)):
        compile_query(query)


def test_empty_fields_while_typing_are_no_terms() -> None:
    assert ids("tag:") == ids("#") == ids("status:") == ids("  ") == [r["id"] for r in LIBRARY]


def test_a_query_is_compiled_once() -> None:
    assert compile_query("swtich tag:moe") is compile_query("swtich tag:moe")


def test_filter_records_maps_list_options_onto_the_language() -> None:
    from readlist.core.models import Status

    chosen = filter_records(LIBRARY, status=Status.READING, tag="MOE", search="swtich")
    assert [r["id"] for r in chosen] == ["2101.03961"]
    assert filter_records(LIBRARY, status=Status.READ, search="swtich") == []


def test_sort_by_author_and_reversed() -> None:
    by_author = [r["id"] for r in sort_records(LIBRARY, "author")]
    assert by_author[:2] == ["doi:10.1145/3442188.3445922", "2101.03961"]  # Bender, Fedus
    assert [r["id"] for r in sort_records(LIBRARY, "author", reverse=True)] == by_author[::-1]


# -- the index agrees, and stays fast and linear ------------------------------------------------

WORDS = ["switch", "swtich", "router", "expert", "experts", "mixture", "gan", "gap", "2021", "a-b", "noam", "über"]


@settings(max_examples=150, deadline=None)
@given(
    texts=st.lists(st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join), min_size=1, max_size=8),
    query=st.lists(st.sampled_from([*WORDS, "-switch", "swich", "exprt", '"mixture router"', "#a"]), max_size=3),
)
def test_index_scan_and_tinydb_agree_on_any_query(texts: list[str], query: list[str]) -> None:
    records = [paper(str(n), t, abstract=texts[(n + 1) % len(texts)]) for n, t in enumerate(texts)]
    ids(" ".join(query), records)


def test_index_built_from_the_previous_state_answers_the_same() -> None:
    old = TextIndex(LIBRARY)
    old.warm()
    changed = [dict(r) for r in reversed(LIBRARY)]
    changed[0] = dict(changed[0], notes="Now about zebras.")
    del changed[1]
    changed.append(paper("2401.00001", "A Switch for Zebras"))
    for index in (TextIndex(changed, old), TextIndex(changed, old, changed=[changed[0]["id"], "2401.00001"])):
        index.warm()
        for query in ("zebras", "zebra", "swtich", "mixture", "classic", "-zebras"):
            got = [changed[i]["id"] for i in index.select(compile_query(query), range(len(changed)))]
            assert got == [r["id"] for r in compile_query(query).filter(changed)], query


def test_the_tui_words_follow_the_search_index_and_read_the_papers_changed_since() -> None:
    index = SearchIndex(Path(":memory:"))
    index.sync({r["id"]: r for r in LIBRARY}, stamp=None)
    numbered = index.doc_ids()
    doc_ids = [numbered.get(n) for n in range(max(numbered) + 1)]
    words = WordAnswers(index.docs_matching, doc_ids, None, index.ids_matching_among)
    old = TextIndex(LIBRARY)
    old.attach(words)
    changed = [dict(r) for r in reversed(LIBRARY)]
    changed[0] = dict(changed[0], notes="Now about zebras.")
    del changed[1]
    changed.append(paper("2401.00001", "A Switch for Zebras", tags=["moe"]))
    queries = ("zebras", "zebra", "swtich", "mixture", "classic", "-zebras", "#moe switch", "#moe -zebra",
               "status:read attention", "status:read -attention", '"parameter models"', "2101.03961")  # fmt: skip
    for new in (TextIndex(changed, old), TextIndex(changed, old, changed=[changed[0]["id"], "2401.00001"])):
        assert new.follow() and new.words is words  # no word index of its own: the changed papers are read
        assert new.stale == {changed[0]["id"], "2401.00001"}
        for query in queries:
            got = [changed[i]["id"] for i in new.select(compile_query(query), range(len(changed)))]
            assert got == [r["id"] for r in compile_query(query).filter(changed)], query
    fresh = TextIndex(LIBRARY)
    fresh.attach(words)
    for query in queries:
        got = [LIBRARY[i]["id"] for i in fresh.select(compile_query(query), range(len(LIBRARY)))]
        assert got == [r["id"] for r in compile_query(query).filter(LIBRARY)], query


def test_a_hostile_megabyte_is_searched_in_linear_time() -> None:
    records = [paper("1", "a" * 1_000_000), paper("2", "ab" * 500_000), paper("3", "aaab " * 200_000)]
    started = time.perf_counter()
    for query in ("aaaab", "abab", "aaaa", '"aaab aaab"'):
        compile_query(query).filter(records)
    assert time.perf_counter() - started < 1.0 * 4


@pytest.mark.parametrize("field", ["added", "title", "year", "status", "author", "published"])
def test_sort_order_gives_the_sorted_records_positions(field: str) -> None:
    from readlist.core.query import sort_order

    for reverse in (False, True):
        order = sort_order(LIBRARY, field, reverse=reverse)
        assert [LIBRARY[i] for i in order] == sort_records(LIBRARY, field, reverse=reverse)


def test_only_the_last_large_answer_is_kept_and_answers_stay_right() -> None:
    from readlist.core.query_index import Answers

    answers = Answers(papers=100)
    small, large, larger = set(range(10)), set(range(60)), set(range(90))
    first, second, third = text_term("swi"), text_term("s"), text_term("sw")
    answers.put(first, small)
    answers.put(second, large)
    answers.put(third, larger)  # the next letter typed: the large answer before it is let go
    assert answers.get(first) == small and first in answers
    assert answers.get(third) == larger and answers.get(second) is None and second not in answers
    # The TUI's words, asked letter by letter as typed and again on a backspace, answer as a scan does.
    index = SearchIndex(Path(":memory:"))
    index.sync({r["id"]: r for r in LIBRARY}, stamp=None)
    numbered = index.doc_ids()
    words = WordAnswers(index.docs_matching, [numbered.get(n) for n in range(max(numbered) + 1)], None)
    tui = TextIndex(LIBRARY)
    tui.attach(words)
    for typed in ("a", "at", "att", "atte", "att", "at", "a"):
        got = [LIBRARY[i]["id"] for i in tui.select(compile_query(typed), range(len(LIBRARY)))]
        assert got == [r["id"] for r in compile_query(typed).filter(LIBRARY)], typed
