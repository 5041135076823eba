"""Every tag with its count: enter filters the library by one, r renames or merges it everywhere (the screen
stays open, and its counts follow the library)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from readlist.core.errors import BadInput
from readlist.core.tags import tag_counts
from readlist.tui.dialogs.base import Dialog, reusable


def _noop(old: str, new: str) -> None:
    pass


def _nothing() -> Iterable[Mapping[str, Any]]:
    return ()


class TagsScreen(Dialog[str]):
    """Dismisses with the tag to filter by, or None; ``rename(old, new)`` renames one everywhere."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close"),
        Binding("r", "rename", "Rename or merge"),
    ]
    DIALOG_ID = "tags-screen"

    def __init__(self) -> None:
        super().__init__()
        self.counts: list[tuple[str, int]] = []
        self.rename: Callable[[str, str], None] = _noop
        self.records: Callable[[], Iterable[Mapping[str, Any]]] = _nothing
        self.keep: str | None = None
        """The tag to highlight when the counts are made again (the new name after a rename)."""

    def setup(self, records: Callable[[], Iterable[Mapping[str, Any]]], rename: Callable[[str, str], None]) -> None:
        """``records()`` gives the library's records as last read; ``rename(old, new)`` writes a rename."""
        self.records, self.rename, self.keep = records, rename, None
        self.counts = tag_counts(records())
        self.configure(
            f"All tags ({len(self.counts)})",
            "enter shows the papers with a tag; r renames it on every paper (a name already used merges the two).",
            ok="Show papers",
            cancel="Close",
        )

    def body(self) -> ComposeResult:
        yield OptionList(id="tag-list")

    def refill(self) -> None:
        width = max((len(str(n)) for _, n in self.counts), default=1)
        options = [Option(Text.assemble((f"{n:>{width}}  ", "dim"), f"#{tag}"), id=tag) for tag, n in self.counts]
        if not options:
            options = [Option("No tags yet: t tags the highlighted paper.", disabled=True)]
        tags = self.query_one(OptionList)
        tags.clear_options()
        tags.add_options(options)
        names = [t for t, _ in self.counts]
        tags.highlighted = (names.index(self.keep) if self.keep in names else 0) if self.counts else None

    def library_changed(self) -> None:
        """A new read of the library (a rename written): the counts again, the renamed tag highlighted."""
        if not self.is_attached or not self.query(OptionList):
            return
        self.counts = tag_counts(self.records())
        self.title_text = f"All tags ({len(self.counts)})"
        self.query_one(".dialog-title", Static).update(self.title_text)
        self.refill()

    def first_focus(self) -> None:
        self.set_focus(self.query_one(OptionList))

    @property
    def current(self) -> str | None:
        tags = self.query_one(OptionList)
        if tags.highlighted is None or not self.counts:
            return None
        return tags.get_option_at_index(tags.highlighted).id or None

    def result(self) -> str:
        tag = self.current
        if tag is None:
            raise BadInput("No tag to show.")
        return tag

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_submit()

    def action_rename(self) -> None:
        from readlist.tui.dialogs.tags import RenameTagDialog

        tag = self.current
        if tag is None:
            return
        count = dict(self.counts)[tag]

        def done(names: tuple[str, str] | None) -> None:
            if names is not None:  # the screen stays open: its counts follow once the rename is written
                self.keep = names[1]
                self.rename(*names)

        dialog = reusable(self.app, RenameTagDialog)
        dialog.setup(tag, count, [t for t, _ in self.counts])
        self.app.push_screen(dialog, done)
