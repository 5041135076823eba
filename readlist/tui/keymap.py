"""The user's keys: ``[keys]`` of config.toml over the table of actions, checked once at start.

Each row of :mod:`readlist.tui.actions` gives its bindings its name as their ``id``; the ``[keys]`` table
maps such an id to the keys that replace the row's (``"move(1)" = "down,n"``), and Textual's keymap
support (``App.set_keymap``) does the rebinding. Before that, :func:`user_keymap` refuses, in one line,
an id that is no row's, a key that is no key, and a clash: one key for two actions where both apply (the
library screen, with its lists; the reading view; the notes editor), Textual's own keys included.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from readlist.core.clean import clean_line
from readlist.core.errors import BadInput
from readlist.tui.actions import ACTIONS, Owner, readme_table

SCOPES: dict[str, frozenset[Owner]] = {
    "the library screen": frozenset({"library", "finding", "papers", "outside", "suggestions", "list"}),
    "the reading view": frozenset({"reading"}),
    "the notes editor": frozenset({"notes"}),
}
"""Where a key must mean one thing: the owners whose bindings are active together."""
TEXTUAL_KEYS = {
    "ctrl+p": "the command palette",
    "ctrl+q": "quit",
    "ctrl+c": "copy or quit",
    "tab": "focus next",
    "shift+tab": "focus previous",
}
"""Textual's own keys, on every screen: no action may take them."""
REBINDABLE = frozenset(a.name for a in ACTIONS if a.owner != "textual" and a.keys)
_KEY = re.compile(r"[A-Za-z0-9_]+(\+[A-Za-z0-9_]+)*")


def normal_keys(keys: str) -> list[str]:
    """Textual's key names for ``keys`` (comma-separated; ``?`` becomes ``question_mark``), as its keymap
    reads them."""
    from textual.keys import _character_to_key  # the name Textual's own keymap normalisation gives a character

    return [_character_to_key(k) if len(k) == 1 else k for k in (k.strip() for k in keys.split(","))]


def user_keymap(keys: Mapping[str, str], where: str = "config.toml") -> dict[str, str]:
    """The ``[keys]`` of ``where``, checked: the keymap to give Textual (ids to Textual's key names).

    Raises BadInput (one line) for an unknown id, a malformed key or a clash."""
    keymap: dict[str, str] = {}
    for name, wanted in keys.items():
        if name not in REBINDABLE:
            close = difflib.get_close_matches(name, sorted(REBINDABLE), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else " (python -m readlist.tui.keymap --ids lists them)"
            raise BadInput(f"[keys] in {where}: no action has the id {clean_line(name)[:60]!r}{hint}; nothing changed")
        names = normal_keys(wanted)
        bad = next((k for k in names if not _KEY.fullmatch(k)), None)
        if bad is not None:
            raise BadInput(
                f"[keys] in {where}: {clean_line(bad)[:40]!r} for {name!r} is not a key name; nothing changed"
            )
        keymap[name] = ",".join(names)
    _check_clashes(keymap, where)
    return keymap


def textual_keymap(keymap: Mapping[str, str]) -> dict[str, str]:
    """What to give ``App.set_keymap``: ``keymap``, plus the table's own keys for each action that shares a
    key with a rebound one in the same bindings (Textual drops every binding of a key it rebinds: rebinding
    ``sort`` alone would take ``S`` from ``fit_order`` too)."""
    full = dict(keymap)
    for rebound in ACTIONS:
        if rebound.name not in keymap:
            continue
        old = set(normal_keys(rebound.keys))
        for other in ACTIONS:
            if other.owner == rebound.owner and other.name not in keymap and old & set(normal_keys(other.keys)):
                full[other.name] = ",".join(normal_keys(other.keys))
    return full


def _check_clashes(keymap: Mapping[str, str], where: str) -> None:
    """One key, two actions in one scope: refused, unless the table itself shares that key between them (``S``
    sorts the papers and orders the suggestions: each applies in its own view)."""
    shared_by_default = _holders({})
    holders = _holders(keymap)
    for (scope, key), names in holders.items():
        if key in TEXTUAL_KEYS and names:
            raise BadInput(
                f"[keys] in {where}: {key} is Textual's key for {TEXTUAL_KEYS[key]}, not {sorted(names)[0]!r}; "
                "nothing changed"
            )
        if len(names) > 1 and names - shared_by_default.get((scope, key), set()):
            first, second = sorted(names)[:2]
            raise BadInput(
                f"[keys] in {where}: {key} would be both {first!r} and {second!r} in {scope}; nothing changed"
            )


def _holders(keymap: Mapping[str, str]) -> dict[tuple[str, str], set[str]]:
    """(scope, key) to the ids of the actions that key runs there."""
    holders: dict[tuple[str, str], set[str]] = {}
    for action in ACTIONS:
        if not action.keys or action.owner == "textual":
            continue
        keys = keymap.get(action.name) or ",".join(normal_keys(action.keys))
        for scope, owners in SCOPES.items():
            if action.owner in owners:
                for key in keys.split(","):
                    holders.setdefault((scope, key), set()).add(action.name)
    return holders


def main(argv: list[str]) -> None:
    """``python -m readlist.tui.keymap``: the README's key table with the ``[keys]`` of your config.toml;
    ``--ids``: the ids ``[keys]`` takes, with the table's keys."""
    if "--ids" in argv:
        for a in ACTIONS:
            if a.keys and a.owner != "textual":
                print(f"{a.name:<24} {a.keys:<22} {a.description}")
        return
    from readlist.core.config import load_settings
    from readlist.core.errors import ReadlistError

    try:
        settings = load_settings()
        keymap = user_keymap(settings.keys, str(settings.config_file or "config.toml"))
    except ReadlistError as exc:
        raise SystemExit(f"readlist: error: {exc}") from None
    print(readme_table(keymap))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
