"""The one dialog skeleton: a title, a help line, the body, an error line, and buttons.

Every dialog is a :class:`Dialog`: ``enter`` (in a field, or on the OK button)
submits, ``escape`` (or Cancel) dismisses with None. A subclass yields its body,
fills it for each opening in :meth:`Dialog.refill`, and says what it returns in
:meth:`Dialog.result`, raising BadInput to keep the dialog open with the reason
shown. The caller passes a callback to ``push_screen`` (frogmouth's pattern).
Text wraps: nothing is cut off.

A dialog is made once per app and opened again and again (:func:`reusable`):
each new widget costs Textual render caches that outlive it, so making the
dialogs afresh at every opening grew a day-long session's memory.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from readlist.core.errors import BadInput

T = TypeVar("T")
D = TypeVar("D", bound="Dialog[Any]")


def reusable(app: App[Any], cls: type[D]) -> D:
    """The app's one ``cls`` dialog (installed on first use, then opened again)."""
    name = f"readlist-dialog-{cls.__name__}"
    if app.is_screen_installed(name):
        screen = app.get_screen(name)
        assert isinstance(screen, cls)
        return screen
    screen = cls()
    app.install_screen(screen, name)
    return screen


class Dialog(ModalScreen[T | None], Generic[T]):
    """A modal form; subclasses override :meth:`body`, :meth:`refill` and :meth:`result`."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    DIALOG_ID: ClassVar[str | None] = None

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = ""
        self.help_text = ""
        self.ok_label: str | None = "OK"
        self.cancel_label = "Cancel"

    def configure(self, title: str, help_text: str = "", *, ok: str | None = "OK", cancel: str = "Cancel") -> None:
        """The texts of the next opening."""
        self.title_text, self.help_text, self.ok_label, self.cancel_label = title, help_text, ok, cancel

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id=self.DIALOG_ID):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.help_text, classes="dialog-help", id="dialog-help", markup=False)
            yield from self.body()
            yield Static("", classes="dialog-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.ok_label or "OK", variant="primary", id="ok")
                yield Button(self.cancel_label, id="cancel")

    def body(self) -> ComposeResult:
        """The dialog's own widgets (fields, a question, a list)."""
        yield from ()

    def refill(self) -> None:
        """Put this opening's values into the body (fields emptied or filled, lists remade)."""

    def first_focus(self) -> None:
        """Where the keys go when the dialog opens: the first field, if any."""
        field = next(iter(self.query(Input)), None)
        if field is not None:
            self.set_focus(field)
            field.cursor_position = len(field.value)

    def result(self) -> T:
        """What the dialog returns on submit; BadInput keeps it open and shows why."""
        raise NotImplementedError

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        self._opened()

    def _opened(self, tries: int = 20) -> None:
        """Each opening: this opening's texts and values, no old error, the keys in the right place.

        At the first opening the dialog's widgets may still be mounting when it resumes (a dialog
        opened from a message handler rather than a key binding): it fills them once they are there."""
        if not self.query(".dialog-buttons") and tries:
            self.call_after_refresh(self._opened, tries - 1)
            return
        self.query_one(".dialog-title", Static).update(self.title_text)
        help_line = self.query_one("#dialog-help", Static)
        help_line.update(self.help_text)
        help_line.display = bool(self.help_text)
        ok = self.query_one("#ok", Button)
        ok.label = self.ok_label or "OK"
        ok.display = self.ok_label is not None
        self.query_one("#cancel", Button).label = self.cancel_label
        self.show_error("")
        self.refill()
        self.first_focus()

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
