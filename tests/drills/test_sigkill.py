"""A writer killed with SIGKILL at random moments never tears or loses a write."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from readlist.core.config import load_settings
from readlist.core.library import Library
from tests.benchmark.corpus import seed_store

ROOT = Path(__file__).resolve().parents[2]
KILLS = 24
# Files that may live in READLIST_HOME: the library, its backup, the lock, and
# the temporary files of a write that was killed before its rename.
KNOWN = {"library.json", "library.json.bak", "library.json.lock", "library.json.bak.tmp", "library.texts"}


def _is_temp(name: str) -> bool:
    return name.startswith(".library.json.") and name.endswith(".tmp")


def _start_writer(seed: int) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.drills.writer", str(seed)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    assert proc.stdout is not None
    ready = proc.stdout.readline()
    assert ready == "ready\n", f"writer did not start: {ready!r} {proc.stderr.read() if proc.stderr else ''}"
    return proc


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_at_random_moments_loses_no_returned_write(home: Path) -> None:
    rng = random.Random(20260601)
    library_path = home / "library.json"
    seed_store(library_path, 250)  # ~0.5 MB: a write spends real time in dump, fsync and rename
    returned: list[list[str]] = []
    kills_mid_write = 0
    for kill in range(KILLS):
        proc = _start_writer(kill)
        time.sleep(rng.uniform(0.0, 0.25))
        os.kill(proc.pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=10)
        assert proc.returncode == -signal.SIGKILL, f"writer died on its own: {err}"
        lines = out.splitlines(keepends=True)
        returned += [line.split() for line in lines if line.endswith("\n")]

        # library.json always parses, and with its texts (library.texts/) holds every write that had returned.
        assert isinstance(json.loads(library_path.read_text(encoding="utf-8"))["papers"], dict)
        warnings: list[str] = []
        papers = dict(Library(load_settings(), on_problem=warnings.append).snapshot().papers)
        assert not warnings, f"kill {kill}: {warnings}"  # never a missing or torn text
        for write in returned:
            kind, paper_id = write[0], write[1]
            assert paper_id in papers, f"kill {kill}: returned write {write} lost"
            if kind == "note":
                assert f"note {write[2]}" in papers[paper_id]["notes"], f"kill {kill}: note {write} lost"
            elif kind == "tag":
                assert write[2] in papers[paper_id]["tags"], f"kill {kill}: tag {write} lost"

        # The backup is a complete older library, never a torn one.
        backup = home / "library.json.bak"
        if backup.exists():
            assert isinstance(json.loads(backup.read_text(encoding="utf-8"))["papers"], dict)

        # Leftovers of a killed write are temp files, and readlist reads library.json, not them.
        names = set(os.listdir(home))
        strays = {n for n in names if _is_temp(n)}
        kills_mid_write += bool(strays)
        assert names - strays <= KNOWN, f"unexpected files in READLIST_HOME: {names - strays - KNOWN}"
        for name in os.listdir(home / "library.texts") if (home / "library.texts").exists() else ():
            assert name.endswith((".json", ".json.bak", ".tmp")), name
            if name.endswith(".json"):
                assert isinstance(json.loads((home / "library.texts" / name).read_text(encoding="utf-8")), dict)

    adds = sum(1 for w in returned if w[0] == "add")
    assert adds > 15 and len(returned) > 40, (  # each write that changes a text writes its shard too
        f"the writer barely wrote ({len(returned)} writes): the drill proves nothing"
    )

    # One more clean write sweeps the temp files killed writers left behind.
    Library(load_settings()).append_note(returned[-1][1], "after the drill")
    assert not [n for n in os.listdir(home) if _is_temp(n)], "stale temp files of killed writers were never removed"
    print(f"{KILLS} kills, {len(returned)} returned writes, {kills_mid_write} kills left a temp file")
