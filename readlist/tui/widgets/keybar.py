"""The keys line at the bottom of a screen: the bindings that apply now, in one line of text.

Textual's ``Footer`` makes one widget per key and makes them all again whenever
the bindings change (a dialog opens, the cursor reaches a paper, the focus
moves). In Textual 8 each of those widgets also stays referenced by the
footer's data binding after it is removed, so a session that opens dialogs
all day grows by megabytes. This line is one widget that redraws its text:
nothing is made or kept per key. A key in it can still be clicked.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import ActiveBinding
from textual.screen import Screen
from textual.widgets import Static

from readlist.tui.actions import ACTIONS

KEPT = frozenset({"help", "app.quit", "close", "leave"})
"""Actions whose key shows even when the line is too short for every key."""


_PLACES: dict[str, int] = {}
for _place, _action in enumerate(ACTIONS):
    _PLACES.setdefault(_action.name, _place)  # each name's first row


def _table_order(active: ActiveBinding) -> int:
    """Keys in the order of the table of actions, whichever part binds them; others (a dialog's) after, as
    they come (the sort is stable)."""
    return _PLACES.get(active.binding.action, len(ACTIONS))


class KeyBar(Static):
    """``key description`` for every binding shown now, and the command palette's key on the right."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"keybar--key", "keybar--description", "keybar--disabled"}

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    KeyBar > .keybar--key { color: $footer-key-foreground; text-style: bold; }
    KeyBar > .keybar--description { color: $footer-description-foreground; }
    KeyBar > .keybar--disabled { color: $text-disabled; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self._bindings_changed, self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen and self.is_attached:
            self.update(self.line())

    def on_resize(self, event: events.Resize) -> None:
        self.update(self.line())

    def line(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key", partial=True)
        text_style = self.get_component_rich_style("keybar--description", partial=True)
        disabled = self.get_component_rich_style("keybar--disabled", partial=True)
        pieces: list[Text] = []
        kept: list[Text] = []
        seen: set[str] = set()
        palette = None
        for node, binding, enabled, _tooltip in sorted(self.screen.active_bindings.values(), key=_table_order):
            if binding.key == self.app.COMMAND_PALETTE_BINDING:
                palette = binding
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            namespace = "screen" if node is self.screen else "app" if node is self.app else "focused"
            click = Style(meta={"@click": f"{namespace}.{binding.action}"}) if enabled else Style()
            piece = Text(" ")
            piece.append(self.app.get_key_display(binding), (key_style if enabled else disabled) + click)
            piece.append(f" {binding.description} ", (text_style if enabled else disabled) + click)
            pieces.append(piece)
            if binding.action in KEPT:
                kept.append(piece)
        right = Text()
        if self.app.ENABLE_COMMAND_PALETTE:
            key = self.app.get_key_display(palette) if palette is not None else "^p"
            right = Text.assemble((key, key_style), (" palette ", text_style))
        # The keys that fit, in order; help and quit (and the palette's key) always show.
        room = self.size.width - right.cell_len - sum(piece.cell_len for piece in kept)
        text = Text(no_wrap=True, overflow="crop")
        for piece in pieces:
            if piece in kept:
                text.append_text(piece)
            elif piece.cell_len <= room:
                text.append_text(piece)
                room -= piece.cell_len
            else:
                room = -1  # keep the order: nothing after a key that did not fit
        text.append(" " * max(1, self.size.width - text.cell_len - right.cell_len))
        text.append_text(right)
        return text
