"""Accept a suggestion with tags: those of its nearest papers in the library, preselected and editable."""

from __future__ import annotations

from textual.widgets import Static

from readlist.tui.dialogs.tags import TagsField, prefill

FINDING = "Finding the tags of its nearest papers in your library…"


class AcceptDialog(TagsField):
    """Dismisses with the tags to give the accepted paper (besides its source's), or None (not accepted).

    ``enter`` accepts with the tags in the field, as proposed or edited. When the
    ranking has not arrived yet the dialog opens at once, and the proposed tags
    fill the field when it arrives (unless something was typed meanwhile).
    """

    DIALOG_ID = "accept-dialog"
    HINT = "Space-separated; → accepts a completion; enter accepts, esc cancels."

    def __init__(self) -> None:
        super().__init__()
        self.suggestion_key: str | None = None
        """The suggestion the dialog accepts."""
        self.waiting = False

    def setup(self, key: str, title: str, known: list[str], tags: list[str] | None, like: list[str]) -> None:
        """``tags``: the proposed ones (None: not known yet); ``like``: titles of the papers they come from."""
        self.suggestion_key = key
        self.waiting = tags is None
        self.configure(f"Accept “{title}” into To read", self._why(tags, like), ok="Accept")
        self.tags = list(tags or [])
        self.suggester.tags = known

    @staticmethod
    def _why(tags: list[str] | None, like: list[str], note: str | None = None) -> str:
        if tags is None:
            return FINDING
        if not tags:
            reason = note or "nothing in your library is close enough"
            return f"No tags proposed: {reason}. Type some, or accept without."
        where = f" ({'; '.join(like)})" if like else ""
        return f"Tags proposed from its nearest papers in your library{where}: edit them, or accept as they are."

    def propose(self, key: str, tags: list[str], like: list[str], note: str | None = None) -> None:
        """The proposed tags arrived (or ``note`` says why there are none): into the field, unless the user
        typed there already."""
        if not self.waiting or key != self.suggestion_key or not self.is_current:
            return
        self.waiting = False
        self.tags = list(tags)
        self.help_text = self._why(tags, like, note)
        self.query_one("#dialog-help", Static).update(self.help_text)
        if not self.field.value.strip():
            self.field.value = prefill(tags)
            self.field.cursor_position = len(self.field.value)
