"""Every tag with its count: enter filters the library by one, r renames or merges it everywhere."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from readlist.core.tags import tag_counts
from readlist.tui.dialogs.base import Dialog


class TagsScreen(Dialog[str]):
    """Dismisses with the tag to filter by, or None; ``rename(old, new)`` renames one everywhere."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close"),
        Binding("r", "rename", "Rename or merge"),
    ]

    def __init__(self, records: Iterable[Mapping[str, Any]], rename: Callable[[str, str], None]) -> None:
        self.counts = tag_counts(records)
        super().__init__(
            f"All tags ({len(self.counts)})",
            "enter shows the papers with a tag; r renames it on every paper (a name already used merges the two).",
            ok="Show papers",
            cancel="Close",
            id="tags-screen",
        )
        self.rename = rename

    def body(self) -> ComposeResult:
        width = max((len(str(n)) for _, n in self.counts), default=1)
        options = [Option(Text.assemble((f"{n:>{width}}  ", "dim"), f"#{tag}"), id=tag) for tag, n in self.counts]
        if not options:
            options = [Option("No tags yet: t tags the highlighted paper.", id="", disabled=True)]
        yield OptionList(*options, id="tag-list")

    def on_mount(self) -> None:
        self.set_focus(self.query_one(OptionList))

    @property
    def current(self) -> str | None:
        tags = self.query_one(OptionList)
        if tags.highlighted is None:
            return None
        return tags.get_option_at_index(tags.highlighted).id or None

    def result(self) -> str:
        from readlist.core.errors import BadInput

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
            if names is not None:
                self.rename(*names)
                self.dismiss(None)

        self.app.push_screen(RenameTagDialog(tag, count, [t for t, _ in self.counts]), done)
