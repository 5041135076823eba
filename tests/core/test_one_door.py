"""Nothing outside ``readlist.core`` writes records but through named ``Library`` operations.

import-linter keeps the store itself behind ``core/library.py``, but it cannot
forbid a call: this test reads the AST of every module outside ``core`` and
fails on any call of a raw record writer of the store's transaction.
"""

from __future__ import annotations

import ast
from pathlib import Path

import readlist

RAW_WRITERS = frozenset(
    {"put_papers", "remove_papers", "put_suggestions", "remove_suggestions", "put_source", "put_meta"}
)
ROOT = Path(readlist.__file__).parent


def raw_writes(source: str, name: str) -> list[str]:
    """``file:line call`` for each call of a raw record writer in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source, filename=name)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RAW_WRITERS:
            found.append(f"{name}:{node.lineno} {node.func.attr}()")
    return found


def test_nothing_outside_core_writes_records_raw() -> None:
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        if path.relative_to(ROOT).parts[0] == "core":
            continue
        offenders += raw_writes(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT.parent)))
    assert offenders == [], "write through a named Library operation instead: " + ", ".join(offenders)


def test_the_check_sees_a_raw_write() -> None:
    planted = "def f(library):\n    with library.transaction() as tx:\n        tx.put_papers({})\n"
    assert raw_writes(planted, "planted.py") == ["planted.py:3 put_papers()"]
