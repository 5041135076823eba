"""Nothing outside ``readlist.core`` writes records but through named ``Library`` operations.

import-linter keeps the store itself behind ``core/library.py``, but it cannot
forbid a call: this test reads the AST of every module outside ``core`` and
fails on any call of the library's transaction, of a raw record writer of the
store's transaction, or of a private method of ``Library`` or ``Suggestions``
(``_save``, ``_put``...) on anything but ``self``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import readlist
from readlist.core.library import Library
from readlist.core.suggestions import Suggestions

RAW_WRITERS = frozenset(
    {"put_papers", "remove_papers", "put_suggestions", "remove_suggestions", "put_source", "put_meta"}
)
TRANSACTIONS = frozenset({"transaction", "_transaction"})
PRIVATE = frozenset(
    name for door in (Library, Suggestions) for name in vars(door) if name.startswith("_") and not name.startswith("__")
)
ROOT = Path(readlist.__file__).parent


def raw_writes(source: str, name: str) -> list[str]:
    """``file:line call`` for each call of a transaction, a raw record writer or a private door in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source, filename=name)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        attr, owner = node.func.attr, node.func.value
        on_self = isinstance(owner, ast.Name) and owner.id in ("self", "cls")
        if attr in RAW_WRITERS or attr in TRANSACTIONS or (attr in PRIVATE and not on_self):
            found.append(f"{name}:{node.lineno} {attr}()")
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
    assert raw_writes(planted, "planted.py") == ["planted.py:2 transaction()", "planted.py:3 put_papers()"]


def test_the_check_sees_a_private_door() -> None:
    planted = (
        "def f(library, table):\n    with library._transaction():\n        library._save(p)\n"
        "        table._put([s])\n        self._save(p)\n"
    )
    assert raw_writes(planted, "planted.py") == [
        "planted.py:2 _transaction()", "planted.py:3 _save()", "planted.py:4 _put()",
    ]  # fmt: skip
