"""Tags: edit a paper's (or the marked papers'), and rename one everywhere; completion from the library's."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.suggester import Suggester
from textual.widgets import Input, Static

from readlist.core.errors import BadInput
from readlist.core.models import normalize_tag, normalize_tags
from readlist.tui.dialogs.base import Dialog


class TagSuggester(Suggester):
    """Suggests the rest of the word being typed from known tags (space or comma separated)."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.tags = tags

    async def get_suggestion(self, value: str) -> str | None:
        if not value or value[-1] in " ,":
            return None
        head, _, last = value.replace(",", " ").rpartition(" ")
        typed = {t.lstrip("#") for t in head.split()}
        word = last.lstrip("#").casefold()
        for tag in self.tags:
            if tag.startswith(word) and tag != word and tag not in typed:
                return value + tag[len(word) :]
        return None


def split_tags(text: str) -> list[str]:
    """'ml, moe  #vision' -> ['ml', 'moe', 'vision'] (normalised later by the library): any run of spaces,
    tabs, line breaks (a paste) and commas separates two tags."""
    return [t for t in text.replace(",", " ").split() if t.strip("#")]


def prefill(tags: list[str]) -> str:
    """The field's text for ``tags``: ends with a space, so that a word typed next is a new tag, never glued
    onto the last one ("vision multimodal" + "nlp" is three tags, not "multimodalnlp")."""
    return "".join(f"{t} " for t in tags)


class TagsField(Dialog[list[str]]):
    """A dialog around one field of tags, completed from the library's; dismisses with the tags typed."""

    HINT = "Space-separated; → accepts a completion; enter saves."

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.suggester = TagSuggester([])

    def body(self) -> ComposeResult:
        yield Input(prefill(self.tags), id="tags-input", suggester=self.suggester, select_on_focus=False)
        yield Static(self.HINT, classes="dialog-help")

    @property
    def field(self) -> Input:
        return self.query_one("#tags-input", Input)

    def refill(self) -> None:
        field = self.field
        field.value = prefill(self.tags)
        field.cursor_position = len(field.value)

    def result(self) -> list[str]:
        return normalize_tags(split_tags(self.field.value))


class TagsDialog(TagsField):
    """Dismisses with the tags (all of them) the papers should carry, or None.

    For several papers the field starts with the tags they all carry; a tag
    only some carry is left as it is unless typed.
    """

    DIALOG_ID = "tags-dialog"

    def setup(self, what: str, tags: list[str], known: list[str]) -> None:
        self.configure("Tags", what, ok="Save")
        self.tags = tags
        self.suggester.tags = known


class RenameTagDialog(Dialog[tuple[str, str]]):
    """Dismisses with (old, new): rename tag ``old`` on every paper, merging into ``new`` if it exists."""

    DIALOG_ID = "rename-dialog"

    def __init__(self) -> None:
        super().__init__()
        self.old = ""
        self.suggester = TagSuggester([])

    def setup(self, old: str, count: int, known: list[str]) -> None:
        papers = f"{count} paper{'s' if count != 1 else ''}"
        self.configure(
            f"Rename the tag #{old}",
            f"On all {papers} carrying it. A name already in use merges the two tags (u undoes).",
            ok="Rename",
        )
        self.old = old
        self.suggester.tags = [t for t in known if t != old]

    def body(self) -> ComposeResult:
        yield Input(self.old, id="rename-input", suggester=self.suggester)

    def refill(self) -> None:
        self.query_one("#rename-input", Input).value = self.old

    def result(self) -> tuple[str, str]:
        new = normalize_tag(self.query_one("#rename-input", Input).value)
        if new == self.old:
            raise BadInput("Type the new name.")
        return self.old, new
