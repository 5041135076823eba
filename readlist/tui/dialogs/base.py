"""The one dialog skeleton: a title, a help line, the body, an error line, and buttons.

Every dialog is a :class:`Dialog`: ``enter`` (in a field, or on the OK button)
submits, ``escape`` (or Cancel) dismisses with None. A subclass yields its body
and says what it returns in :meth:`Dialog.result`, raising BadInput to keep the
dialog open with the reason shown. The caller passes a callback to
``push_screen`` (frogmouth's pattern). Text wraps: nothing is cut off.
"""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from readlist.core.errors import BadInput

T = TypeVar("T")


class Dialog(ModalScreen[T | None], Generic[T]):
    """A modal form; subclasses override :meth:`body` and :meth:`result`."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, title: str, help_text: str = "", *, ok: str | None = "OK", cancel: str = "Cancel", id: str | None = None
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.help_text = help_text
        self.ok_label = ok
        self.cancel_label = cancel
        self.dialog_id = id

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id=self.dialog_id):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            if self.help_text:
                yield Static(self.help_text, classes="dialog-help", markup=False)
            yield from self.body()
            yield Static("", classes="dialog-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                if self.ok_label is not None:
                    yield Button(self.ok_label, variant="primary", id="ok")
                yield Button(self.cancel_label, id="cancel")

    def body(self) -> ComposeResult:
        """The dialog's own widgets (fields, a question, a list)."""
        yield from ()

    def result(self) -> T:
        """What the dialog returns on submit; BadInput keeps it open and shows why."""
        raise NotImplementedError

    def on_mount(self) -> None:
        field = next(iter(self.query(Input)), None)
        if field is not None:
            self.set_focus(field)
            field.cursor_position = len(field.value)

    def show_error(self, message: str) -> None:
        self.query_one(".dialog-error", Static).update(message)

    def action_submit(self) -> None:
        try:
            value = self.result()
        except BadInput as exc:
            self.show_error(str(exc))
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self.action_submit()
        else:
            self.action_cancel()
