"""The TUI's code stays in small parts: no file of readlist/tui over 300 lines, no class with over 20 methods,
and no screen reached into through a protocol (issue 23)."""

from __future__ import annotations

import ast
from pathlib import Path

TUI = Path(__file__).resolve().parents[2] / "readlist" / "tui"
MAX_LINES = 300
MAX_METHODS = 20


def methods(cls: ast.ClassDef) -> list[str]:
    """The functions a class defines itself (properties and handlers too; not those of its nested classes)."""
    return [node.name for node in cls.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]


def test_no_tui_file_over_300_lines_and_no_class_over_20_methods() -> None:
    files = sorted(TUI.rglob("*.py"))
    assert len(files) > 20
    too_long = {
        str(f.relative_to(TUI)): n for f in files if (n := len(f.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not too_long, f"over {MAX_LINES} lines: {too_long}"
    too_big = {}
    for f in files:
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and len(methods(node)) > MAX_METHODS:
                too_big[f"{f.relative_to(TUI)}:{node.name}"] = len(methods(node))
    assert not too_big, f"over {MAX_METHODS} methods: {too_big}"


def test_the_check_counts_what_it_says() -> None:
    source = (
        "class A:\n"
        + "".join(f"    def m{i}(self): ...\n" for i in range(21))
        + "    class B:\n        def n(self): ...\n"
    )
    (cls,) = [n for n in ast.parse(source).body if isinstance(n, ast.ClassDef)]
    assert len(methods(cls)) == 21, "21 methods of its own; the nested class's are its own"


def test_no_host_protocol_and_no_forwarding_by_name() -> None:
    text = "\n".join(f.read_text(encoding="utf-8") for f in TUI.rglob("*.py"))
    assert "class Host(" not in text and "def forward(" not in text
    assert "getattr(getattr(" not in text, "actions reach their part through Textual's bindings, not by name"
    assert "_applied_seq" not in text and "_seq" not in text, "stale results are dropped by cancelled workers"
