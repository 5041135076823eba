"""`import csl` and `export csl` on real CSL JSON that other programs wrote (../shared/real/csl)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REAL_CSL = Path(__file__).resolve().parents[2] / ".." / "shared" / "real" / "csl"
FILES = sorted(REAL_CSL.glob("*.json")) if REAL_CSL.is_dir() else []

pytestmark = pytest.mark.skipif(not FILES, reason="../shared/real/csl is absent")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_real_csl_file_comes_back_item_by_item(cli, path: Path, tmp_path: Path, monkeypatch) -> None:
    source = json.loads(path.read_text(encoding="utf-8"))
    r = cli("import", "csl", str(path))
    assert r.code == 0, r.err
    printed = cli("export", "csl").out  # written as it is made, an item at a time
    exported = {item["id"]: item for item in json.loads(printed)}
    assert len(exported) == len(source)
    for item in source:
        assert exported[item["id"]] == item, item["id"]  # every field the program wrote, as it wrote it
    assert printed == json.dumps(json.loads(printed), ensure_ascii=False, indent=2) + "\n"  # json.dumps' layout
    # Export -> import -> export gives the same bytes.
    again = tmp_path / "again.json"
    again.write_text(printed, encoding="utf-8")
    monkeypatch.setenv("READLIST_HOME", str(tmp_path / "second-home"))
    assert cli("import", "csl", str(again)).code == 0
    assert cli("export", "csl").out == printed
