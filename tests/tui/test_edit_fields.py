"""`E` in the TUI: the highlighted paper's fields in $EDITOR, as `readlist edit` opens them; `u` undoes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from readlist.core.library import Library
from tests.tui.conftest import SIZE, said, settle, stored


def with_editor(library: Library, command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = library.settings.__class__(**{**library.settings.__dict__, "editor": command})
    monkeypatch.setattr(library, "settings", settings)


def replacing(tmp_path: Path, old: str, new: str) -> str:
    """An editor command that replaces ``old`` by ``new`` in the file it is given."""
    script = tmp_path / "fix.py"
    script.write_text(
        "import sys\nfrom pathlib import Path\np = Path(sys.argv[1])\n"
        f"p.write_text(p.read_text(encoding='utf-8').replace({old!r}, {new!r}), encoding='utf-8')\n",
        encoding="utf-8",
    )
    return f"{sys.executable} {script}"


async def test_E_edits_the_fields_and_u_undoes(
    seeded: Library, make_app, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with_editor(seeded, replacing(tmp_path, "year: 2021", "year: 2022"), monkeypatch)
    app = make_app(seeded)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        record = stored(seeded, "2101.03961")
        assert record is not None and record["year"] == 2022 and record["edited"] == ["year"]
        assert "Saved year" in said(app)
        await pilot.press("u")
        await settle(pilot)
        record = stored(seeded, "2101.03961")
        assert record is not None and record["year"] == 2021 and record["edited"] == []


async def test_E_with_a_bad_edit_given_up_changes_nothing(
    seeded: Library, make_app, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with_editor(seeded, replacing(tmp_path, "year: 2021", "year: soon"), monkeypatch)
    before = stored(seeded, "2101.03961")
    app = make_app(seeded)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        assert "year must be a year" in said(app)
        assert stored(seeded, "2101.03961") == before


async def test_the_palette_offers_it_and_runs_it(
    seeded: Library, make_app, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from readlist.tui.actions import palette_rows
    from readlist.tui.commands import screen_commands

    assert any(a.name == "edit_fields" and a.title for a in palette_rows())
    with_editor(seeded, replacing(tmp_path, "year: 2021", "year: 2022"), monkeypatch)
    app = make_app(seeded)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert "Edit the paper's fields…" in {c.title for c in screen_commands(app.screen)}
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Edit the paper")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        record = stored(seeded, "2101.03961")
        assert record is not None and record["year"] == 2022


async def test_adding_the_arxiv_paper_of_a_saved_doi_merges_and_u_puts_the_doi_paper_back(
    arxiv, seeded: Library, make_app
) -> None:
    from readlist.core.library import Found

    doi = "10.1007/978-3-030-72240-1_26"  # the loopback catalog's 2101.08751 names it
    seeded.add_doi(doi, Found(values={"title": "Rethink Training of BERT Rerankers", "doi": doi}), tags=["ir"])
    before = stored(seeded, f"doi:{doi}")
    app = make_app(seeded)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("a")
        app.screen.query_one("#add-refs").value = "2101.08751"
        await pilot.press("enter")
        await pilot.pause()
        await settle(pilot)
        merged = stored(seeded, "2101.08751")
        assert merged is not None and merged["doi"] == doi and merged["tags"] == ["ir"]
        assert stored(seeded, f"doi:{doi}") is None
        assert "merged into one" in said(app)
        await pilot.press("u")
        await settle(pilot)
        assert stored(seeded, "2101.08751") is None
        assert stored(seeded, f"doi:{doi}") == before
