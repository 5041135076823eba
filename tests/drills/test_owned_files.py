"""Files readlist owns are opened as what they must be: the lock, the backup and the export ledger.

An attacker who can plant a file beside the library (a sync, a shared folder)
puts a symlink to the user's own file, a FIFO or a folder where readlist keeps
its lock, backup or ledger. readlist opens these with O_NOFOLLOW and checks
the descriptor: the user's file is never written, nothing hangs, and the one
line names the file that is in the way.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from tests.conftest import run_process

BOUND = 20.0  # a hang would be the failure; the real figures are well under a second
SECRET = "the user's own file: must never be overwritten\n"


@pytest.fixture
def one_paper(cli) -> str:
    assert cli("add", "--title", "Planted Links", "--year", "2020").code == 0
    return str(cli("list", "--json").json[0]["id"])


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "victim.txt"
    victim.write_text(SECRET, encoding="utf-8")
    return victim


def test_a_lock_file_linked_to_a_users_file_is_never_written(cli, home: Path, tmp_path: Path, one_paper: str) -> None:
    victim = _victim(tmp_path)
    lock = home / "library.json.lock"
    lock.unlink()
    lock.symlink_to(victim)
    before = (home / "library.json").read_bytes()
    r = cli("tag", one_paper, "moe")
    assert r.code == 1
    assert r.err.strip().startswith(f"readlist: {lock} is a symlink, not a regular file; readlist keeps its lock file")
    assert victim.read_text(encoding="utf-8") == SECRET
    assert (home / "library.json").read_bytes() == before
    assert lock.is_symlink()


def test_a_read_through_a_linked_library_never_writes_a_link_planted_beside_its_target(
    cli, home: Path, tmp_path: Path, one_paper: str
) -> None:
    synced = tmp_path / "synced"
    synced.mkdir()
    (home / "library.json").rename(synced / "library.json")
    (home / "library.json.lock").unlink()
    (home / "library.json").symlink_to(synced / "library.json")
    victim = _victim(tmp_path)
    (synced / "library.json.lock").symlink_to(victim)
    # Someone else's edit: the next read checks the file and would keep its stamp in the lock.
    text = (synced / "library.json").read_text(encoding="utf-8").replace("Planted Links", "Planted Links, edited")
    (synced / "library.json").write_text(text, encoding="utf-8")
    r = cli("list")
    assert r.code == 0 and "Planted Links, edited" in r.out
    assert victim.read_text(encoding="utf-8") == SECRET
    assert (synced / "library.json.lock").is_symlink()


def test_an_export_ledger_linked_to_a_users_file_is_never_written(
    cli, home: Path, tmp_path: Path, one_paper: str
) -> None:
    victim = _victim(tmp_path)
    (home / "exports.json").symlink_to(victim)
    out = tmp_path / "refs.bib"
    r = cli("export", "bibtex", "--out", str(out))
    assert r.code == 1
    assert f"{home / 'exports.json'} is a symlink, not a regular file" in r.err
    assert victim.read_text(encoding="utf-8") == SECRET
    assert not out.exists()  # refused before anything was written


@pytest.mark.parametrize("command", [["list"], ["show", "ID"]])
def test_a_fifo_in_place_of_the_lock_never_hangs_a_read(cli, home: Path, one_paper: str, command: list[str]) -> None:
    lock = home / "library.json.lock"
    lock.unlink()
    os.mkfifo(lock)
    start = time.monotonic()
    r = run_process(*[one_paper if word == "ID" else word for word in command], timeout=BOUND)
    assert time.monotonic() - start < BOUND
    assert r.returncode == 0, r.stderr
    assert "Planted Links" in r.stdout
    assert stat.S_ISFIFO(os.lstat(lock).st_mode)


def test_a_fifo_in_place_of_the_lock_is_named_by_a_write(cli, home: Path, one_paper: str) -> None:
    lock = home / "library.json.lock"
    lock.unlink()
    os.mkfifo(lock)
    before = (home / "library.json").read_bytes()
    r = run_process("tag", one_paper, "moe", timeout=BOUND)
    assert r.returncode == 1
    assert r.stderr.strip().startswith(f"readlist: {lock} is a FIFO (named pipe), not a regular file")
    assert (home / "library.json").read_bytes() == before


def test_a_backup_that_is_a_folder_is_named_in_the_message(cli, home: Path, one_paper: str) -> None:
    backup = home / "library.json.bak"
    if backup.exists():
        backup.unlink()
    backup.mkdir()
    (backup / "keep").write_text("someone's file", encoding="utf-8")
    before = (home / "library.json").read_bytes()
    r = cli("tag", one_paper, "moe")
    assert r.code == 1
    assert r.err.strip().startswith(f"readlist: could not keep the backup {backup} (library.json.bak is a folder)")
    assert (home / "library.json").read_bytes() == before
    assert (backup / "keep").read_text(encoding="utf-8") == "someone's file"


def test_a_pure_cache_in_a_fifo_or_a_link_is_never_read_and_is_replaced_safely(tmp_path: Path) -> None:
    from readlist.core.files import read_cache, write_cache

    victim = _victim(tmp_path)
    for name, plant in (("link", lambda p: p.symlink_to(victim)), ("fifo", os.mkfifo), ("dir", os.mkdir)):
        cache = tmp_path / f"{name}.cache"
        plant(cache)
        assert read_cache(cache, 1_000_000) is None  # a FIFO would hang here; a link would read the victim
        write_cache(cache, b"rebuilt")
        assert read_cache(cache, 1_000_000) == b"rebuilt"
        assert stat.S_ISREG(os.lstat(cache).st_mode) and stat.S_IMODE(os.lstat(cache).st_mode) == 0o600
    assert victim.read_text(encoding="utf-8") == SECRET
    big = tmp_path / "big.cache"
    big.write_bytes(b"x" * 2000)
    assert read_cache(big, 1000) is None
