"""A full disk and a read-only READLIST_HOME: one clear line, exit 1, the old file intact, no temp file.

Each case runs twice: for real where the machine allows it (a 1 MB tmpfs that the
write overflows; a read-only bind mount of READLIST_HOME; both need root and are
skipped otherwise), and simulated in-process by making the store's system calls
fail with ENOSPC / EROFS / EACCES, which runs everywhere. As root, chmod 0o555
does not stop writes, hence the mounts.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.benchmark.corpus import seed_store
from tests.conftest import run_process

PAPERS = 300  # ~0.6 MB: the library fits a 1 MB disk once, not twice
WRITES = [
    ("status", "{id}", "read"),
    ("tag", "{id}", "full-disk"),
    ("note", "{id}", "--append", "a note that must not be lost silently"),
    ("add", "--title", "A Paper Added On A Full Disk"),
    ("rm", "{id}"),
]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def temp_files(home: Path) -> list[str]:
    return [n for n in os.listdir(home) if n.endswith(".tmp")]


def assert_one_clear_line(err: str, *words: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"expected one line of error, got: {err!r}"
    assert lines[0].startswith("readlist: "), lines[0]
    assert "Traceback" not in err and "internal error" not in err, err
    for word in words:
        assert word in lines[0], f"{word!r} missing from {lines[0]!r}"


def _mount(*args: str) -> bool:
    if sys.platform != "linux" or os.geteuid() != 0:
        return False
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


@pytest.fixture
def full_disk_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "tiny"
    home.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(home)):
        pytest.skip("cannot mount a tmpfs here (needs root on Linux); the simulated full disk still runs")
    monkeypatch.setenv("READLIST_HOME", str(home))
    try:
        yield home
    finally:
        _umount(home)


@pytest.fixture
def read_only_home(home: Path) -> Iterator[Path]:
    home.mkdir(parents=True, exist_ok=True)
    seeded = seed_store(home / "library.json", 20)
    if not _mount("--bind", str(home), str(home)):
        pytest.skip("cannot bind-mount here (needs root on Linux); the simulated read-only home still runs")
    try:
        if not _mount("-o", "remount,bind,ro", str(home), str(home)):
            pytest.skip("cannot remount read-only here")
        yield home
    finally:
        _umount(home)
    assert seeded


@pytest.mark.parametrize("command", WRITES, ids=[w[0] for w in WRITES])
def test_full_disk_real_tmpfs(full_disk_home: Path, command: tuple[str, ...]) -> None:
    library = full_disk_home / "library.json"
    paper_id = seed_store(library, PAPERS)[0]["id"]
    # The light records are about a third of the library: fill the disk so that they fit once, not twice.
    free = os.statvfs(full_disk_home).f_bavail * os.statvfs(full_disk_home).f_frsize
    (full_disk_home / "filler").write_bytes(b"\0" * max(0, free - library.stat().st_size // 2))
    before = digest(library)
    r = run_process(*(a.format(id=paper_id) for a in command))
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert_one_clear_line(r.stderr, "library.json", "No space left on device")
    assert digest(library) == before
    assert temp_files(full_disk_home) == []
    # Reading still works on the full disk.
    shown = run_process("show", paper_id, "--json")
    assert shown.returncode == 0 and '"id"' in shown.stdout
    assert "must not be lost silently" not in shown.stdout  # a text written before its record failed is not shown


def test_read_only_home_real_mount(read_only_home: Path) -> None:
    library = read_only_home / "library.json"
    before = digest(library)
    paper_id = json.loads(run_process("list", "--json").stdout)[0]["id"]
    for command in WRITES:
        r = run_process(*(a.format(id=paper_id) for a in command))
        assert r.returncode == 1, (command, r.returncode, r.stderr)
        assert_one_clear_line(r.stderr, "library.json", "Read-only file system")
        assert digest(library) == before
        assert temp_files(read_only_home) == []
    listed = run_process("list", "--json")
    assert listed.returncode == 0 and paper_id in listed.stdout, "a read-only library must still be readable"


# -- simulated: the store's system calls fail -------------------------------------------------


def _enospc(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _erofs(*args: object, **kwargs: object) -> None:
    raise OSError(errno.EROFS, os.strerror(errno.EROFS))


def _eacces(*args: object, **kwargs: object) -> None:
    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))


SIMULATIONS = {
    # A disk that fills while the temp file is written and flushed.
    "enospc-on-fsync": ("fsync", _enospc, "No space left on device"),
    # A read-only file system refuses the rename that would replace the library.
    "erofs-on-replace": ("replace", _erofs, "Read-only file system"),
    # A directory the user may not write to refuses the temp file.
    "eacces-on-temp-file": ("open", _eacces, "Permission denied"),
}


@pytest.mark.parametrize("case", sorted(SIMULATIONS))
@pytest.mark.parametrize("command", WRITES, ids=[w[0] for w in WRITES])
def test_full_or_read_only_disk_simulated(
    cli, home: Path, monkeypatch: pytest.MonkeyPatch, case: str, command: tuple[str, ...]
) -> None:
    library = home / "library.json"
    paper_id = seed_store(library, 20)[0]["id"]
    before = digest(library)
    name, failure, words = SIMULATIONS[case]
    target = os
    with monkeypatch.context() as patch:
        patch.setattr(target, name, failure)
        r = cli(*(a.format(id=paper_id) for a in command))
    assert r.code == 1, (r.code, r.err)
    assert_one_clear_line(r.err, "library.json", words)
    assert digest(library) == before
    assert temp_files(home) == []
    assert cli("show", paper_id).code == 0
