"""The named operations of the front door: each is one transaction, all or none, and keeps what it replaced
for an undo (``Before``) when asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from readlist.core.config import load_settings
from readlist.core.errors import BadInput
from readlist.core.library import Before, Library
from readlist.core.models import MAX_TAGS, Status
from readlist.core.suggestions import Suggestion, Suggestions


@pytest.fixture
def library(home: Path) -> Library:
    lib = Library(load_settings())
    for title in ("Switch Transformers", "Attention Is All You Need"):
        lib.add_manual(title=title, authors=["Ada Lovelace"], year=2021, tags=["ml"])
    return lib


def ids(library: Library) -> list[str]:
    return sorted(p.id for p in library.papers())


def test_change_many_changes_every_paper_or_none(library: Library) -> None:
    first, second = ids(library)
    library.tag(second, [f"t{n}" for n in range(MAX_TAGS - 1)])  # one more tag is the most it can take

    def two_tags(paper):  # type: ignore[no-untyped-def]
        if paper.add_tags(["new", "other"]):
            raise BadInput("too many tags")

    with pytest.raises(BadInput):
        library.change_many([first, second], two_tags)
    assert "new" not in library.find(first).tags, "the first paper's change did not land alone"

    before = Before()
    changed = library.change_many([first, second], lambda p: p.set_status(Status.READ), before=before)
    assert [p.status for p in changed] == [Status.READ, Status.READ]
    assert {pid: p.status for pid, p in before.papers.items() if p} == {first: Status.TO_READ, second: Status.TO_READ}
    Suggestions(library).restore(before.papers.items())
    assert [library.find(i).status for i in (first, second)] == [Status.TO_READ, Status.TO_READ]


def test_accept_with_tags_and_its_undo(library: Library) -> None:
    table = Suggestions(library)
    table._put([Suggestion(key="2101.03961", title="Switch Transformers", arxiv_id="2101.03961")])
    before = Before()
    [paper] = table.accept(["arXiv:2101.03961"], {"arXiv:2101.03961": ["moe"]}, before=before)
    assert "moe" in library.find("2101.03961").tags and paper.tags == library.find("2101.03961").tags
    assert table.find("2101.03961").state == "accepted"
    assert before.papers == {"2101.03961": None} and before.suggestions["2101.03961"]["state"] == "new"

    suggestions = [Suggestion.from_dict(r) for r in before.suggestions.values()]
    table.restore(before.papers.items(), suggestions)
    assert library.get("2101.03961") is None and table.find("2101.03961").state == "new"


def test_an_edited_key_must_be_free_in_the_key_service(library: Library) -> None:
    first, second = ids(library)
    taken = library.find(first).key
    assert taken
    with pytest.raises(BadInput, match=f"already {first}'s"):
        library.edit_fields(second, {"key": taken.upper()})  # keys compare without case, as BibTeX does
    before = Before()
    library.edit_fields(second, {"key": "mine2021"}, before=before)
    assert library.find(second).key == "mine2021" and before.papers[second] is not None
    assert before.papers[second].key != "mine2021"  # type: ignore[union-attr]
