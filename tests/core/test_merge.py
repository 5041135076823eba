"""The one three-way merge policy: nothing either side wrote is lost, and conflicts are said."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from readlist.core.merge import CONFLICT_MARKER, merge_notes, merge_tags, merge_value


def test_a_side_that_did_not_change_takes_the_other() -> None:
    assert merge_value("to-read", "read", "to-read").value == "read"
    assert merge_value("to-read", "to-read", "dropped").value == "dropped"
    assert merge_notes("a", "a\n", "b").value == "b"


def test_a_status_changed_on_both_sides_is_a_conflict_the_saved_edit_wins() -> None:
    merged = merge_value("to-read", "read", "dropped")
    assert merged.conflict and merged.value == "read"


def test_tags_merge_as_sets() -> None:
    merged = merge_tags(["moe", "old"], ["moe", "mine"], ["theirs", "moe", "old"])
    assert merged.value == ["theirs", "moe", "mine"] and not merged.conflict


def test_appends_on_both_sides_are_both_kept() -> None:
    merged = merge_notes("First.", "First.\n\nMine.", "First.\n\nTheirs.")
    assert merged.value == "First.\n\nMine.\n\nTheirs." and not merged.conflict


def test_a_rewrite_and_an_append_combine() -> None:
    assert merge_notes("First.", "Rewritten.", "First.\n\nAdded.").value == "Rewritten.\n\nAdded."
    assert merge_notes("First.", "First.\n\nAdded.", "Rewritten.").value == "Rewritten.\n\nAdded."


def test_two_rewrites_keep_both_texts_under_a_marker() -> None:
    merged = merge_notes("Old.", "Rewritten here.", "Rewritten there.")
    assert merged.conflict
    assert merged.value == f"Rewritten here.\n\n{CONFLICT_MARKER}\n\nRewritten there."


@given(st.text(), st.text(), st.text())
def test_no_text_is_ever_lost(base: str, mine: str, theirs: str) -> None:
    value = merge_notes(base, mine, theirs).value
    for side in (mine, theirs):
        changed = side.rstrip() != base.rstrip()
        if changed:
            assert side.strip() in value or side[len(base.rstrip()) :].strip("\n") in value
