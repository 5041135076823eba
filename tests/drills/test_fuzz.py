"""Every command's inputs fuzzed: no traceback, exit 2 for bad input with the store unchanged.

Exit codes are the contract: 0 done, 1 "could not" (unknown paper, arXiv said
no), 2 bad input. Arguments mix arbitrary text (control characters, other
scripts, the lone surrogates Linux hands a program for bytes that are not
UTF-8) with near-misses of real input: ids, URLs, DOIs, statuses, tags, flags.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.benchmark.corpus import seed_store

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SAVED = ["manual:a-paper-added-by-hand", "doi:10.1145/3442188.3445922"]
NEAR_MISSES = [
    "", " ", "-", "--", "---", "--json", "-x", "2101.03961", "arXiv:2101.03961v2", "https://arxiv.org/abs/2101.03961",
    "arxiv.org/pdf/2101.03961v1.pdf", "2101.3961", "2101.039611", "9912.99999", "hep-th/9901001", "math.GT/0309136v2",
    "1234.5678v", "doi:", "doi:10.1/x", "10.1145/3442188.3445922", "https://doi.org/10.1145/3442188.3445922",
    "manual:", "manual:nothing-like-this", "read", "READ", " To Read ", "to_read", "done", "dropped", "reading!",
    "#", "###", "#ml", "a b", "tag,with,commas", "\x00", "a\nb", "\t", "é", "论文", "👍", "\u202e", "\udcff",
    "\udc80abc", "x" * 3000, "title", "year", "added", "author", "nonsense", "-1", "0", "2024", "99999",
    "http://", "https://example.org/paper", "ftp://example.org", "javascript:alert(1)",
]  # fmt: skip


def _words(saved: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NEAR_MISSES),
        st.sampled_from(saved),
        st.text(max_size=40),
        st.text(alphabet="0123456789.v/:-abcdefghijklmnopqrstuvwxyz", max_size=20),
    )


def _digest(home: Path) -> str:
    path = home / "library.json"
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"


@pytest.fixture
def fuzz_home(home: Path, arxiv: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A library of 20 arXiv papers and two by hand; arXiv on loopback; no browser."""
    import webbrowser

    home.mkdir(parents=True, exist_ok=True)
    ids = [p["id"] for p in seed_store(home / "library.json", 20)]
    from readlist.core.config import load_settings
    from readlist.core.library import Library

    library = Library(load_settings())
    library.add_manual(title="A paper added by hand")
    library.add_manual(title="Stochastic parrots", doi="10.1145/3442188.3445922")
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: True)
    return ids[:5] + SAVED


def _check(cli: Any, home: Path, args: list[str], read_only: bool = False, seen: set[int] | None = None) -> None:
    # A real process's stderr escapes what it cannot encode (Python's default for
    # stderr); the captured one would raise instead. stdout stays strict.
    sys.stderr.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    before = _digest(home)
    r = cli(*args)
    after = _digest(home)
    shown = f"readlist {args!r} -> {r.code}\nstdout: {r.out[:500]!r}\nstderr: {r.err[:1000]!r}"
    assert r.code in (0, 1, 2), shown
    assert "Traceback" not in r.out + r.err, shown
    assert "internal error" not in r.err, shown
    if r.code == 2:
        assert after == before, "bad input changed the store: " + shown
        assert r.err.strip(), "exit 2 without a word: " + shown
    if r.code == 1:
        assert "readlist: " in r.err, "exit 1 without a message: " + shown
    if read_only:
        assert after == before, "a reading command changed the store: " + shown
    if after != before:
        json.loads((home / "library.json").read_text(encoding="utf-8"))
    if seen is not None:
        seen.add(r.code)


def _options(words: st.SearchStrategy[str], names: list[str]) -> st.SearchStrategy[list[str]]:
    pair = st.tuples(st.sampled_from(names), words).map(list)
    return st.lists(pair, max_size=3).map(lambda pairs: [x for p in pairs for x in p])


def test_fuzz_add(cli, home: Path, fuzz_home: list[str]) -> None:
    words = _words(fuzz_home)
    seen: set[int] = set()
    opts = ["--tag", "--status", "--note", "--title", "--authors", "--year", "--url", "--doi", "-t", "-s", "-n"]

    @FUZZ
    @given(refs=st.lists(words, max_size=3), options=_options(words, opts))
    def run(refs: list[str], options: list[str]) -> None:
        _check(cli, home, ["add", *refs, *options], seen=seen)

    run()
    assert {0, 2} <= seen or {1, 2} <= seen, f"the fuzzing only ever got exit codes {seen}"


def test_fuzz_status(cli, home: Path, fuzz_home: list[str]) -> None:
    words = _words(fuzz_home)
    seen: set[int] = set()

    statuses = st.one_of(st.sampled_from(["read", "reading", "to-read", "dropped", "Done", "TO READ"]), words)

    @FUZZ
    @given(ref=st.one_of(st.sampled_from(fuzz_home), words), status=statuses, extra=st.lists(words, max_size=1))
    def run(ref: str, status: str, extra: list[str]) -> None:
        _check(cli, home, ["status", ref, status, *extra], seen=seen)

    run()
    assert {0, 2} <= seen or {1, 2} <= seen, f"the fuzzing only ever got exit codes {seen}"


def test_fuzz_tag(cli, home: Path, fuzz_home: list[str]) -> None:
    words = _words(fuzz_home)
    seen: set[int] = set()

    @FUZZ
    @given(ref=words, tags=st.lists(words, max_size=3), remove=st.booleans())
    def run(ref: str, tags: list[str], remove: bool) -> None:
        _check(cli, home, ["tag", ref, *tags, *(["--remove"] if remove else [])], seen=seen)

    run()
    assert {0, 2} <= seen or {1, 2} <= seen, f"the fuzzing only ever got exit codes {seen}"


def test_fuzz_note_append(cli, home: Path, fuzz_home: list[str]) -> None:
    words = _words(fuzz_home)
    seen: set[int] = set()

    @FUZZ
    @given(ref=words, text=words, flag=st.sampled_from(["--append", "-a"]))
    def run(ref: str, text: str, flag: str) -> None:
        _check(cli, home, ["note", ref, flag, text], seen=seen)

    run()
    assert {0, 2} <= seen or {1, 2} <= seen, f"the fuzzing only ever got exit codes {seen}"


def test_fuzz_rm(cli, home: Path, fuzz_home: list[str]) -> None:
    words = _words(fuzz_home)
    seen: set[int] = set()

    @FUZZ
    @given(refs=st.lists(words, max_size=3))
    def run(refs: list[str]) -> None:
        _check(cli, home, ["rm", *refs], seen=seen)

    run()
    assert {0, 2} <= seen or {1, 2} <= seen, f"the fuzzing only ever got exit codes {seen}"


@pytest.mark.parametrize("command", ["show", "open"])
def test_fuzz_show_and_open(cli, home: Path, fuzz_home: list[str], command: str) -> None:
    words = _words(fuzz_home)
    seen: set[int] = set()
    flag = "--json" if command == "show" else "--pdf"

    @FUZZ
    @given(args=st.lists(words, max_size=2), with_flag=st.booleans())
    def run(args: list[str], with_flag: bool) -> None:
        _check(cli, home, [command, *args, *([flag] if with_flag else [])], read_only=True, seen=seen)

    run()
    assert {0, 2} <= seen or {1, 2} <= seen, f"the fuzzing only ever got exit codes {seen}"


def test_fuzz_list(cli, home: Path, fuzz_home: list[str]) -> None:
    words = _words(fuzz_home)
    seen: set[int] = set()
    opts = ["--status", "--tag", "--sort", "--search", "-s", "-t", "-q"]

    @FUZZ
    @given(options=_options(words, opts), flags=st.lists(st.sampled_from(["--json", "--reverse", "-r"]), max_size=2))
    def run(options: list[str], flags: list[str]) -> None:
        _check(cli, home, ["list", *options, *flags], read_only=True, seen=seen)

    run()
    assert {0, 2} <= seen or {1, 2} <= seen, f"the fuzzing only ever got exit codes {seen}"


def test_fuzz_refresh(cli, home: Path, fuzz_home: list[str]) -> None:
    words = _words(fuzz_home)
    seen: set[int] = set()

    @FUZZ
    @given(refs=st.lists(words, min_size=1, max_size=3))
    def run(refs: list[str]) -> None:
        _check(cli, home, ["refresh", *refs], seen=seen)

    run()
    assert {0, 2} <= seen or {1, 2} <= seen, f"the fuzzing only ever got exit codes {seen}"


def test_bad_input_examples_exit_2(cli, home: Path, fuzz_home: list[str]) -> None:
    """Inputs that are certainly bad: the fuzzing above must not pass by only ever hitting exit 0/1."""
    saved = fuzz_home[0]
    for args in (
        ["status", saved, "nonsense"],
        ["status", "not-an-id", "read"],
        ["tag", saved, "###"],
        ["note", saved, "--append", "  "],
        ["rm", saved, "garbage"],
        ["show", "garbage"],
        ["list", "--sort", "nonsense"],
        ["list", "--status", "nonsense"],
        ["add", "2101.3961"],
        ["add", "--title", "x", "--year", "99999"],
        ["refresh", "garbage"],
        ["open", "garbage"],
        ["rm", "garbage", saved],
        # Bytes that are not UTF-8 (a Latin-1 terminal) reach argv as lone surrogates.
        ["note", saved, "--append", "caf\udce9"],
        ["tag", saved, "\udcfftag"],
        ["add", "--title", "\udce9t\udce9"],
    ):
        before = _digest(home)
        r = cli(*args)
        assert r.code == 2, (args, r.code, r.err)
        assert _digest(home) == before, args
