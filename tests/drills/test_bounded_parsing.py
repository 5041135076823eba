"""Bounded parsing: a few hundred hostile bytes cost milliseconds and megabytes, never gigabytes.

YAML front matter refuses aliases (the alias bomb) and deep nesting (which
crashed libyaml outright); messages quote at most ~80 characters of a value;
deep JSON nesting is an error, not a RecursionError; a 1 MB hostile line
through the Markdown document reader and writers takes well under a second.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from readlist.core.models import Paper
from readlist.formats.markdown.document import DocumentError, dump_yaml, parse_document, render_document
from readlist.formats.markdown.write import md_text, render_digest
from tests.conftest import readlist_exe, run_process


def alias_bomb(levels: int = 9) -> str:
    """The billion-laughs YAML: each line names the previous one nine times (9**9 strings, ~400 bytes)."""
    lines = ["a0: &a0 [lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_the_bomb_is_the_size_the_issue_names() -> None:
    assert 380 <= len(alias_bomb()) <= 420


def yaml_without_libyaml(run: Callable[[], object]) -> object:
    """Run with PyYAML as it is where libyaml is not installed (the pure-Python SafeLoader path)."""
    import yaml

    saved = yaml.__dict__.pop("CSafeLoader", None)
    try:
        return run()
    finally:
        if saved is not None:
            yaml.CSafeLoader = saved


@pytest.mark.parametrize("loader", ["libyaml", "pure Python"])
def test_an_alias_bomb_in_front_matter_is_refused_in_milliseconds_and_megabytes(loader: str) -> None:
    text = "---\nid: '2101.03961'\n" + alias_bomb() + "---\n\nnotes\n"
    parse_document("---\nid: x\n---\n")  # YAML imported and warm: the bound below is the parse alone
    tracemalloc.start()
    try:
        start = time.process_time()
        with pytest.raises(DocumentError, match=r"aliases \(\*name\) are not allowed in front matter at line 4"):
            if loader == "libyaml":
                parse_document(text)
            else:
                yaml_without_libyaml(lambda: parse_document(text))
        elapsed = time.process_time() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < 1.0 and peak < 100_000_000, (elapsed, peak)


def _max_rss_of(args: list[str], env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], int, float]:
    """Run readlist from a fresh interpreter whose only child it is: (result, its peak RSS in bytes, CPU seconds)."""
    code = (
        "import resource, subprocess, sys\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=60)\n"
        "sys.stderr.write(r.stderr)\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(u.ru_maxrss, u.ru_utime + u.ru_stime, r.returncode)\n"
    )
    r = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=90)
    rss_kb, seconds, code_ = r.stdout.split()
    return subprocess.CompletedProcess(args, int(code_), "", r.stderr), int(rss_kb) * 1024, float(seconds)


def test_import_and_export_of_a_folder_holding_the_bomb_stay_small(cli, tmp_path: Path) -> None:
    assert cli("add", "--title", "Deep Residual Learning").code == 0
    notes = tmp_path / "notes"
    assert cli("export", "markdown", "--out", str(notes)).code == 0
    paper = next(notes.glob("manual_*.md"))
    paper.write_text("---\nid: manual:deep-residual-learning\n" + alias_bomb() + "---\n", encoding="utf-8")
    env = dict(os.environ)
    for args in (["import", "markdown", str(notes), "--dry-run"], ["export", "markdown", "--out", str(notes)]):
        r, rss, seconds = _max_rss_of([*readlist_exe(), *args], env)
        assert rss < 100_000_000 and seconds < 5, (args, rss, seconds)
        lines = r.stderr.strip().splitlines()
        assert r.returncode == 1 and all(len(line) < 400 for line in lines), r.stderr[:500]
    assert "aliases (*name) are not allowed" in run_process("import", "markdown", str(notes)).stderr


@pytest.mark.parametrize(
    "front",
    [
        "a: " + "[" * 200_000 + "]" * 200_000,  # crashed libyaml's composer (a segmentation fault)
        "a: " + "{a: " * 50_000 + "1" + "}" * 50_000,
        "a:\n" + "- " * 200_000 + "x",
    ],
    ids=["brackets", "braces", "dashes"],
)
def test_deep_nesting_in_front_matter_is_one_line_not_a_crash(front: str) -> None:
    for loader in ("libyaml", "pure Python"):
        start = time.process_time()
        with pytest.raises(DocumentError, match="nested more than 32 levels deep"):
            if loader == "libyaml":
                parse_document(f"---\nid: x\n{front}\n---\n")
            else:
                yaml_without_libyaml(lambda: parse_document(f"---\nid: x\n{front}\n---\n"))
        assert time.process_time() - start < 2.0, loader


def test_deep_nesting_through_the_command_line(cli, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "deep.md").write_text("---\nid: x\ntags: " + "[" * 200_000 + "]" * 200_000 + "\n---\n", encoding="utf-8")
    r = run_process("import", "markdown", str(notes))
    assert r.returncode == 1 and r.stderr.strip().splitlines()[0] == (
        "readlist: deep.md: its front matter is not valid YAML "
        "(it is nested more than 32 levels deep at line 3); skipped"
    )


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("status: " + "x" * 1_000_000, "unknown status 'x"),
        ("status: [" + "'y', " * 100_000 + "]", "status ['y'"),
        ("tags: " + "{a: 1, " * 1 + "b: '" + "z" * 1_000_000 + "'}", "tags must be a list, not {"),
        ("tags: ['" + "-" * 1_000_000 + "']", "tag '-"),
        ("id: [" + "1, " * 100_000 + "]", "its id [1, 1"),
        ("title: '" + "q" * 1_000_000, "its front matter is not valid YAML"),
    ],
    ids=["long-status", "list-status", "dict-tags", "dash-tag", "list-id", "unclosed-quote"],
)
def test_messages_quote_at_most_about_80_characters(cli, tmp_path: Path, line: str, shown: str) -> None:
    assert cli("add", "--title", "Deep Residual Learning").code == 0
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "p.md").write_text(f"---\nid: manual:deep-residual-learning\n{line}\n---\n", encoding="utf-8")
    start = time.process_time()
    r = cli("import", "markdown", str(notes))
    assert time.process_time() - start < 2.0
    [message] = r.err.strip().splitlines()[:1]
    assert r.code == 1 and shown in message and len(message) < 260, message[:300]


HOSTILE_LINES = {
    "emphasis": "*a " * 350_000,
    "link-openers": "[a](" * 260_000,
    "brackets": "[" * 1_000_000,
    "backslashes": "\\" * 1_000_000,
    "quotes": "'" * 1_000_000,
    "dashes": "- " * 500_000,
    "marker-like": "<!-- readlist: " * 70_000,
    "colons": "a: " * 350_000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE_LINES))
def test_a_1_mb_hostile_line_is_written_and_read_back_in_under_a_second(name: str) -> None:
    line = HOSTILE_LINES[name]
    paper = Paper(id="2101.03961", title=line, authors=[line], notes=line + "\n" + line, tags=["t"])
    start = time.process_time()
    text = render_document(paper)
    document = parse_document(text)
    digest = render_digest([paper])
    md_text(line)
    dump_yaml({"title": line})
    elapsed = time.process_time() - start
    assert document.notes == paper.notes and document.meta["title"] == line
    assert len(digest) > len(line)
    assert elapsed < 1.0, f"{name}: {elapsed:.2f} s"


def test_a_document_of_1_mb_lines_without_a_closing_fence_is_refused_quickly() -> None:
    text = "---\n" + ("a: b\n" + "x" * 1_000_000 + "\n") * 3
    start = time.process_time()
    with pytest.raises(DocumentError):
        parse_document(text)
    assert time.process_time() - start < 1.0
