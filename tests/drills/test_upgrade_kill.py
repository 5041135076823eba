"""A readlist killed with SIGKILL while it upgrades a library (schema 2 -> 3, on its first write) loses nothing.

About 15 s on a quiet machine (8 kills, each with a fresh copy of a 1,500-paper schema-2 library)."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from readlist.core.config import load_settings
from readlist.core.library import Library
from readlist.core.light import expand
from tests.benchmark.corpus import seed_store

ROOT = Path(__file__).resolve().parents[2]
KILLS = 8
KNOWN = {"library.json", "library.json.bak", "library.json.lock", "library.json.v2.bak", "library.texts"}
KNOWN |= {"completion-words.txt"}


def _as_schema_2(library: Path) -> None:
    """Rewrite a library as readlist's schema 2 wrote it: every light record in full, explicit nulls and all."""
    data = json.loads(library.read_text(encoding="utf-8"))
    data["papers"] = {pid: expand(record) for pid, record in data["papers"].items()}
    data["meta"]["schema"] = {"version": 2}
    library.write_text(json.dumps(data), encoding="utf-8")


def _everything(home: Path) -> dict[str, dict[str, object]]:
    warnings: list[str] = []
    papers = {pid: dict(r) for pid, r in Library(load_settings(), on_problem=warnings.append).snapshot().papers.items()}
    assert not warnings, warnings  # never a missing text or a record left out
    return papers


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_kill_during_the_upgrade_loses_nothing(home: Path, tmp_path: Path) -> None:
    seed_store(home / "library.json", 1500)  # ~1.5 MB in full: the upgrade spends real time parsing and writing
    _as_schema_2(home / "library.json")
    pristine = tmp_path / "pristine"
    shutil.copytree(home, pristine)
    original = (home / "library.json").read_bytes()
    before = _everything(home)
    target = sorted(before)[len(before) // 2]
    rng = random.Random(20261207)
    outcomes = {"as before": 0, "upgraded": 0}
    for kill in range(KILLS):
        shutil.rmtree(home)
        shutil.copytree(pristine, home)
        proc = subprocess.Popen(
            [sys.executable, "-m", "readlist", "status", target, "dropped"],
            cwd=ROOT, env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(rng.uniform(0.05, 0.8))
        os.kill(proc.pid, signal.SIGKILL)
        _, err = proc.communicate(timeout=30)
        finished = proc.returncode == 0

        stored = json.loads((home / "library.json").read_text(encoding="utf-8"))  # never torn
        upgraded = stored["meta"]["schema"]["version"] == 3
        assert upgraded or (home / "library.json").read_bytes() == original, f"kill {kill}: a schema-2 file changed"
        assert not finished or upgraded, f"kill {kill}: the write returned but the file was not upgraded: {err}"
        outcomes["upgraded" if upgraded else "as before"] += 1

        after = _everything(home)
        if upgraded:
            assert after[target]["status"] == "dropped"
            # Every other paper, every field of it, reads exactly as before the upgrade.
            assert {pid: r for pid, r in after.items() if pid != target} == {
                pid: r for pid, r in before.items() if pid != target
            }, f"kill {kill}: a paper changed in the upgrade"
            assert (home / "library.json.v2.bak").read_bytes() == original  # the old file, whole
        else:
            assert after == before
        backup = home / "library.json.v2.bak"
        if backup.exists():
            assert backup.read_bytes() == original, f"kill {kill}: the kept schema-2 file is not the original"
        strays = {n for n in os.listdir(home) if n.endswith(".tmp")}
        assert set(os.listdir(home)) - strays <= KNOWN, set(os.listdir(home)) - strays - KNOWN

        again = subprocess.run(
            [sys.executable, "-m", "readlist", "tag", target, "after-the-kill"],
            cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert again.returncode == 0, again.stderr  # the next write finishes the upgrade, or just writes
        assert ("upgraded" in again.stderr) != upgraded
        final = Library(load_settings()).snapshot().light
        assert "after-the-kill" in final[target]["tags"] and set(final) == set(before)
    print(outcomes)
