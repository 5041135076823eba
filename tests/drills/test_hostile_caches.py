"""The ranking cache is untrusted input: a FIFO, a zip bomb, impossible shapes, NaN and a link to a device.

Anyone who can write the cache folder can plant any of these. Each must cost a
rebuild, never a hang, a crash, gigabytes of memory, a RuntimeWarning, a silent
wrong ranking or a file readable by others.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tracemalloc
import warnings
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from readlist.core.rank.score import Ranking, rank_records
from readlist.core.rank.vectors import Index, read_cache_stamp, stamp_text
from tests.rank import corpus

DOCS = len(corpus.LIBRARY) + len(corpus.SUGGESTIONS)
STAMP = (1, 2, 3)
BOUND = 30.0


def rank_with(index: Index | None) -> Ranking:
    month = corpus.suggestion_records()
    return rank_records(
        corpus.paper_records(), month, all_suggestions={s["key"]: s for s in month}, stamp=STAMP, index=index
    )


def arrays(path: Path) -> dict[str, Any]:
    with np.load(path, allow_pickle=False) as data:
        return {name: data[name] for name in data.files}


def rewrite(path: Path, **changes: Any) -> None:
    """The cache readlist wrote, with some arrays replaced, its stamp still matching."""
    data = arrays(path)
    data.update(changes)
    with open(path, "wb") as handle:
        np.savez(handle, **data)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "rank-drill.npz"


@pytest.fixture
def fresh(path: Path) -> Ranking:
    """The ranking with no cache, and a sound cache written for STAMP."""
    ranking = rank_with(Index(path))
    assert read_cache_stamp(path) == stamp_text(STAMP)
    return ranking


def assert_rebuilt(path: Path, fresh: Ranking) -> None:
    index = Index(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # inf or NaN must not print RuntimeWarning lines
        ranking = rank_with(index)
    assert index.report.tokenised == DOCS and index.report.written, "the bad cache was trusted"
    assert ranking.keys == fresh.keys
    assert [i.score for i in ranking.items] == pytest.approx([i.score for i in fresh.items], abs=1e-6)
    assert stat.S_IMODE(os.lstat(path).st_mode) == 0o600 and stat.S_ISREG(os.lstat(path).st_mode)


def test_a_term_count_of_ten_to_the_twelve_is_rebuilt(path: Path, fresh: Ranking) -> None:
    rewrite(path, sizes=np.array([10**12, DOCS], dtype=np.int64))
    assert_rebuilt(path, fresh)


def test_a_plan_with_100000_impossible_rows_is_rebuilt(path: Path, fresh: Ranking) -> None:
    rewrite(path, x_liked=np.arange(100_000, dtype=np.int64) + 10**9)
    assert_rebuilt(path, fresh)


def test_a_plan_of_another_shape_is_rebuilt(path: Path, fresh: Ranking) -> None:
    rewrite(path, x_profile_norms=np.ones((300, 300)))
    assert_rebuilt(path, fresh)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_and_inf_in_the_weights_are_rebuilt(path: Path, fresh: Ranking, bad: float) -> None:
    values = arrays(path)["w_values"].copy()
    values[::3] = bad
    rewrite(path, w_values=values)
    assert_rebuilt(path, fresh)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_and_inf_in_the_plan_are_rebuilt(path: Path, fresh: Ranking, bad: float) -> None:
    norms = arrays(path)["x_profile_norms"].copy()
    norms[:] = bad
    rewrite(path, x_profile_norms=norms)
    assert_rebuilt(path, fresh)


def test_a_zip_bomb_is_refused_by_its_directory(path: Path, fresh: Ranking) -> None:
    data = arrays(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for name, value in data.items():
            if name != "w_values":
                with bomb.open(name + ".npy", "w") as member:
                    np.lib.format.write_array(member, value)
        # 400 MB of zeros in a few hundred kilobytes: an .npy header, then the zeros.
        with bomb.open("w_values.npy", "w", force_zip64=True) as member:
            np.lib.format.write_array_header_1_0(
                member, {"descr": "<f8", "fortran_order": False, "shape": (50_000_000,)}
            )
            zeros = bytes(1 << 22)
            for _ in range(100):
                member.write(zeros)
    assert path.stat().st_size < 2_000_000
    tracemalloc.start()
    try:
        assert_rebuilt(path, fresh)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100_000_000, f"{peak / 1e6:.0f} MB to read a bomb"


def test_a_cache_linked_to_dev_zero_is_replaced_by_a_private_file(path: Path, fresh: Ranking) -> None:
    path.unlink()
    path.symlink_to("/dev/zero")
    assert_rebuilt(path, fresh)
    assert not path.is_symlink()


def test_a_fifo_in_place_of_the_cache_never_hangs(path: Path, fresh: Ranking) -> None:
    path.unlink()
    os.mkfifo(path)
    script = (
        "from pathlib import Path\n"
        "from tests.drills.test_hostile_caches import rank_with\n"
        "from readlist.core.rank.vectors import Index\n"
        f"index = Index(Path({str(path)!r}))\n"
        "rank_with(index)\n"
        "print(index.report.tokenised, index.report.written)\n"
    )
    root = Path(__file__).resolve().parents[2]
    r = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=BOUND)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [str(DOCS), "True"]
    assert stat.S_ISREG(os.lstat(path).st_mode)
