"""biblatex's own example bibliography, imported and exported entry by entry.

The real document is read from ``../shared/real`` (never copied here); the test
skips only where that folder is absent. bibtexparser reads both files, so the
check does not rest on readlist's own parser.
"""

from __future__ import annotations

import re
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

from readlist.core.library import Library
from readlist.formats.bibtex.latex import decode

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "real"
EXAMPLES = REAL / "biblatex-examples.bib"
NAME_FIELDS = frozenset("author editor translator bookauthor editora commentator annotator holder afterword "
                        "introduction foreword".split())  # fmt: skip

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real is absent")


def entries(text: str) -> dict[str, tuple[str, dict[str, str]]]:
    """key -> (type, lower-case field -> value), @string macros and # concatenation resolved."""
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    strings = {s.key.lower(): str(s.value) for s in library.strings}

    def resolve(value: str) -> str:
        if "#" not in value:
            return value
        parts = [p.strip() for p in value.split("#")]
        return "".join(strings.get(p.lower(), p.strip('{}"')) for p in parts)

    return {
        e.key: (e.entry_type.lower(), {f.key.lower(): resolve(str(f.value)) for f in e.fields}) for e in library.entries
    }


def surnames(value: str) -> list[str]:
    return [decode(" ".join(parse_single_name_into_parts(n).last)) for n in split_multiple_persons_names(value)]


def same(name: str, before: str, after: str) -> bool:
    if name in NAME_FIELDS:
        return surnames(before) == surnames(after)
    return decode(before) == decode(after)


def test_biblatex_examples_round_trip_entry_by_entry(cli, lib: Library, monkeypatch, tmp_path: Path) -> None:
    source = EXAMPLES.read_text(encoding="utf-8")
    original = entries(source)
    assert len(original) == 92
    r = cli("import", "bibtex", str(EXAMPLES))
    assert r.code == 0, r.err
    assert "Read 92 entries" in r.err
    first = cli("export", "bibtex").out
    exported = entries(first)
    intact = []
    for key, (kind, fields) in original.items():
        assert key in exported, f"{key} is missing from the export"
        out_kind, out_fields = exported[key]
        assert out_kind == kind, f"{key}: @{kind} came back as @{out_kind}"
        lost = [name for name in fields if name not in out_fields]
        changed = [name for name in fields if name in out_fields and not same(name, fields[name], out_fields[name])]
        assert not lost and not changed, f"{key}: lost {lost}, changed {changed}"
        intact.append(key)
    assert len(intact) == 92
    # Unedited and exactly this file's entries: the file itself, byte for byte (its @string blocks too).
    assert first == source
    # Another export (one more paper): each entry rewritten, months still months, eprint versions kept,
    # corporate names keep their braces.
    assert cli("add", "--title", "Something else", "--year", "2020").code == 0
    first = cli("export", "bibtex").out
    assert re.search(r"eprint = \{math/0307200v3\}", first)
    assert "{Robert Bosch GmbH} and {Daimler Chrysler AG}" in first
    # Export -> import -> export gives the same bytes.
    path = tmp_path / "first.bib"
    path.write_text(first, encoding="utf-8")
    monkeypatch.setenv("READLIST_HOME", str(tmp_path / "second-home"))
    assert cli("import", "bibtex", str(path)).code == 0
    assert cli("export", "bibtex").out == first


def test_biblatex_examples_know_their_papers(cli, lib: Library) -> None:
    r = cli("import", "bibtex", str(EXAMPLES))
    assert r.code == 0, r.err
    # Two entries for one arXiv paper stay one paper, both keys kept.
    assert "baez/online -> baez/article (same arXiv id)" in r.err
    baez = lib.get("math/0307200")
    assert baez is not None and baez.version == "v3" and baez.key == "baez/article"
    assert [e["key"] for e in baez.other_entries] == ["baez/online"]
    # Kullback 1959 and its 1997 reprint are two papers.
    by_key = {p.key: p for p in lib.papers()}
    assert by_key["kullback"].id != by_key["kullback:reprint"].id
    # Names by BibTeX's rules.
    assert by_key["aksin"].authors[0] == "Özge Aksın"
    assert by_key["knuth:ct:a"].authors == ["Donald E. Knuth"]
    # A crossref child shows its parent's venue.
    assert by_key["westfahl:space"].venue["booktitle"] == "Space and Beyond"
