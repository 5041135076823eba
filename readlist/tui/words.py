"""Small words the TUI's parts say: a title cut short, a count with its noun."""

from __future__ import annotations


def short(title: str, width: int = 50) -> str:
    return title if len(title) <= width else title[: width - 1] + "…"


def count(n: int, what: str = "paper") -> str:
    return f"{n} {what}{'s' if n != 1 else ''}"
