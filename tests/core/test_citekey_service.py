"""One citation-key service: add, import placement and legacy keys claim keys in one place, in linear time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from readlist.core import citekey
from readlist.core.citekey import CitationKeys


def test_a_free_key_is_kept_and_a_taken_one_gets_the_next_letter() -> None:
    keys = CitationKeys(["Smith2021deep"])
    assert keys.claim("smith2021deep") == "smith2021deepb"  # compared without case, as BibTeX does
    assert keys.claim("smith2021deep") == "smith2021deepc"
    assert keys.claim("other") == "other"
    keys.release("smith2021deepb")
    assert keys.claim("smith2021deepb") == "smith2021deepb"


def test_six_thousand_entries_with_one_key_never_try_suffixes_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    real = citekey.suffix

    def counting(n: int) -> str:
        nonlocal calls
        calls += 1
        return real(n)

    monkeypatch.setattr(citekey, "suffix", counting)
    keys = CitationKeys()
    claimed = [keys.claim("dup") for _ in range(6000)]
    assert len(set(claimed)) == 6000 and claimed[:3] == ["dup", "dupb", "dupc"]
    assert calls < 3 * 6000  # one or two tries per entry, not 6000 * 6000 / 2


def test_an_import_of_many_entries_with_one_key_keeps_every_paper(cli: Any, tmp_path: Path) -> None:
    bib = tmp_path / "dups.bib"
    bib.write_text(
        "".join(f"@misc{{same, title = {{Paper {i}}}, author = {{Doe, Jane}}}}\n" for i in range(300)),
        encoding="utf-8",
    )
    result = cli("import", "bibtex", str(bib))
    assert result.code == 0, result.err
    listed = cli("list", "--json").json
    assert len(listed) == 300
    assert len({p["key"] for p in listed}) == 300
    assert len({p["id"] for p in listed}) == 300


def test_add_gives_the_next_free_key(cli: Any) -> None:
    for _ in range(3):
        assert cli("add", "--title", "Deep Things", "--authors", "Ann Smith", "--year", "2021").code == 0
    keys = sorted(p["key"] for p in cli("list", "--json").json)
    assert keys == ["smith2021deep", "smith2021deepb", "smith2021deepc"]
