"""Export from the palette: a path dialog, the export in a worker, a notification."""

from __future__ import annotations

from pathlib import Path

from readlist.core.library import Library
from tests.tui.conftest import SIZE, run_action, said, settle


async def export(pilot, action: str, path: Path) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await run_action(pilot.app, action)
    await pilot.pause()
    pilot.app.screen.query_one("#path-input").value = str(path)
    await pilot.press("enter")
    await settle(pilot)


async def test_export_markdown_digest_of_the_view(seeded: Library, make_app, tmp_path: Path) -> None:
    out = tmp_path / "notes.md"
    app = make_app(seeded)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await export(pilot, "export_markdown", out)
        text = out.read_text(encoding="utf-8")
        assert "Switch Transformers" in text and "Capacity factor 1.25 was enough." in text
        assert "RepVGG" not in text, "only the view's papers (To read)"
        assert f"Wrote a digest of 2 papers to {out} (To read)" in said(app)


async def test_export_bibtex_of_the_filtered_papers(seeded: Library, make_app, tmp_path: Path) -> None:
    out = tmp_path / "refs" / "papers.bib"
    app = make_app(seeded)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.screen.select_view("all")
        await settle(pilot)
        await pilot.press("slash", *"shazeer", "escape")
        await export(pilot, "export_bibtex", out)
        text = out.read_text(encoding="utf-8")
        assert text.count("@") == 2
        assert "2101.03961" in text and "1706.03762" in text
        assert f"Exported 2 papers (All, filter “shazeer”) to {out}" in said(app)


async def test_export_to_a_bad_path_notifies(seeded: Library, make_app, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    app = make_app(seeded)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await export(pilot, "export_bibtex", blocker / "papers.bib")
        assert not (blocker / "papers.bib").exists()
        assert said(app).startswith("export failed: ")
