"""Real libraries from JabRef, Mendeley and Better BibTeX, imported and exported whole.

The documents are read from ``../shared/real/bib`` (never copied here); each
test skips only where that folder is absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from readlist.core.library import Library
from readlist.formats.bibtex.entry import split_tags

BIB = Path(__file__).resolve().parents[2] / ".." / "shared" / "real" / "bib"
JABREF = BIB / "jabref-testjabref.bib"
MENDELEY = BIB / "mendeley-desktop-export.bib"
BETTER_BIBTEX = BIB / "zotero-betterbibtex-export.bib"

pytestmark = pytest.mark.skipif(not BIB.is_dir(), reason="../shared/real/bib is absent")


def test_a_jabref_library_comes_back_byte_for_byte(cli, lib: Library, tmp_path: Path) -> None:
    """Groups, `file` fields, two alignment styles, % lines and the jabref-meta group tree."""
    r = cli("import", "bibtex", str(JABREF))
    assert r.code == 0, r.err
    assert "Added 156 papers" in r.err and "Kept with this file's entries: 2 @comment" in r.err
    out = tmp_path / "back.bib"
    r = cli("export", "bibtex", "--out", str(out))
    assert r.code == 0, r.err
    assert out.read_bytes() == JABREF.read_bytes()
    # Groups are tags; `file` fields are kept as written.
    tags = {t for p in lib.papers() for t in p.tags}
    assert {"covid", "covid-subgroup"} <= tags
    fields = [{name.lower() for name in p.origin["fields"]} for p in lib.papers() if isinstance(p.origin, dict)]
    assert sum(1 for names in fields if "file" in names) == 33
    # An edit rewrites that entry only; the file's blocks and other entries stay as written.
    paper = next(p for p in lib.papers() if p.key == "Smolla2020")
    assert cli("tag", paper.id, "cosmic-rays").code == 0
    edited = cli("export", "bibtex").out
    assert edited.startswith("% Encoding: UTF-8\n") and "@Comment{jabref-meta: grouping:\n" in edited
    assert "@article{Smolla2020,\n" in edited and "keywords = {cosmic-rays}" in edited
    assert edited.count("\n@Article{") == JABREF.read_text(encoding="utf-8").count("\n@Article{") - 1
    # Any other selection leaves the blocks out, and says so.
    r = cli("export", "bibtex", "--tag", "covid")
    assert "jabref-meta" not in r.out
    assert "Left out the file-level blocks (@comment, @preamble, @string) of jabref-testjabref.bib" in r.err


def test_mendeleys_tags_are_kept(cli, lib: Library) -> None:
    source = MENDELEY.read_text(encoding="utf-8")
    written = dict(re.findall(r"^@\w+\{([^,\s]+),\n(?:(?!^@).*\n)*?mendeley-tags = \{([^}]*)\}", source, re.M))
    assert len(written) >= 25
    r = cli("import", "bibtex", str(MENDELEY))
    assert r.code == 0, r.err
    by_key = {}
    for paper in lib.papers():
        for entry_key in [paper.key, *(str(e.get("key")) for e in paper.other_entries)]:
            by_key[entry_key] = paper
    for key, tags in written.items():
        assert set(split_tags(tags)) <= set(by_key[key].tags), key
    out = cli("export", "bibtex").out
    for key, tags in written.items():
        assert re.search(rf"\{{{re.escape(key)},\n(?:.*\n)*?\s*mendeley-tags = \{{{re.escape(tags)}\}}", out), key


def test_a_better_bibtex_export_comes_back_byte_for_byte(cli, tmp_path: Path) -> None:
    assert cli("import", "bibtex", str(BETTER_BIBTEX)).code == 0
    out = tmp_path / "back.bib"
    assert cli("export", "bibtex", "--out", str(out)).code == 0
    assert out.read_bytes() == BETTER_BIBTEX.read_bytes()
