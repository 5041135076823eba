"""What the paper and suggestion keys of the library screen do.

A plain object the screen owns (``screen.triage``), not a mixin: it sees the
screen only through :class:`~readlist.tui.screens.host.Host`, so it imports
nothing of the screen's. It changes papers through :mod:`readlist.tui.changes`
in the screen's write queue and opens the dialogs. After a change the
cursor moves on to the next row, so a list is triaged key after key. A paper
key acts on every marked paper (space marks), else on the highlighted one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported
from textual.notifications import SeverityLevel

from readlist.core.clean import clean_line
from readlist.core.editor import edit_text, editor_command
from readlist.core.errors import ReadlistError
from readlist.core.library import Library
from readlist.core.models import Paper, Status
from readlist.core.suggestions import Suggestion
from readlist.tui import changes
from readlist.tui.dialogs.base import reusable
from readlist.tui.messages import SortChosen
from readlist.tui.model import SORT_LABELS, SORTS, SUGGESTIONS
from readlist.tui.screens.host import Host, count, short, tell
from readlist.tui.screens.suggestions_view import SuggestionsView

if TYPE_CHECKING:
    from readlist.core.rank.score import Ranked

STATUS_CYCLE = {"to-read": Status.READING, "reading": Status.READ, "read": Status.TO_READ, "dropped": Status.TO_READ}


class Triage:
    def __init__(self, host: Host, suggestions_view: SuggestionsView) -> None:
        self.host = host
        self.suggestions_view = suggestions_view

    def targets(self) -> list[Paper]:
        """The papers a paper key acts on: the marked ones, else the highlighted one."""
        host = self.host
        if host.view == SUGGESTIONS:
            return []
        marked = [p for i in sorted(host.table.marked) if (p := host.model.get(i)) is not None]
        current = host.current_paper
        return marked or ([current] if current is not None else [])

    def applies(self, needs: str) -> bool:
        """Whether an action that needs ``needs`` (readlist.tui.actions.Needs) applies now."""
        host = self.host
        if needs == "paper":
            return bool(self.targets())
        if needs == "suggestion":
            return host.current_suggestion is not None
        if needs == "item":
            return host.current_paper is not None or host.current_suggestion is not None
        if needs == "papers-view":
            return host.view != SUGGESTIONS
        if needs == "suggestions-view":
            return host.view == SUGGESTIONS
        if needs == "back":
            return bool(host.query_text or host.table.marked or host.filter_bar.field.has_focus)
        return True

    def notify(self, message: str, severity: SeverityLevel = "information", timeout: float = 3) -> None:
        tell(self.host, message, severity, timeout)

    def write(self, job: changes.Job, failure: str) -> None:
        self.host.sync.write(job, failure)

    def _next_row(self, papers: list[Paper]) -> str | None:
        """Where the cursor goes after a change to ``papers``: the row after the highlighted one."""
        table = self.host.table
        current = table.current
        if len(papers) != 1 or current is None or papers[0].id != current.id:
            return current.id if current is not None else None
        return table.id_at(table.cursor + 1) or table.id_at(table.cursor - 1) or current.id

    # -- status, tags, notes, delete, undo --------------------------------------------------

    def set_status(self, status: str | Status, papers: list[Paper] | None = None) -> None:
        wanted = Status(status)
        papers = [p for p in (papers or self.targets()) if p.status != wanted.value]
        if not papers:
            return
        library, ids = self.host.library, [p.id for p in papers]
        shown = [Paper.from_dict(p.to_dict()) for p in papers]
        for paper in shown:
            paper.set_status(wanted)
        self.host.focus_after_read = after = self._next_row(papers)
        self.host.table.clear_marks()
        self.host.show_model(self.host.model.with_papers(shown), keep=after)  # at once, before the write
        self.write(lambda: changes.set_status(library, ids, wanted), "could not change the status")
        what = short(papers[0].title or papers[0].id) if len(papers) == 1 else count(len(papers))
        self.notify(f"{wanted.value}: {what}", timeout=2)

    def cycle_status(self) -> None:
        papers = self.targets()
        if papers:
            self.set_status(STATUS_CYCLE.get(papers[0].status, Status.TO_READ), papers)

    def tags(self) -> None:
        from readlist.tui.dialogs.tags import TagsDialog

        papers = self.targets()
        if not papers:
            return
        library, ids = self.host.library, [p.id for p in papers]
        common = [t for t in papers[0].tags if all(t in p.tags for p in papers[1:])]
        what = (
            papers[0].title or papers[0].id if len(papers) == 1 else f"{count(len(papers))} (the tags they all carry)"
        )

        def done(tags: list[str] | None) -> None:
            if tags is not None and tags != common:
                self.host.table.clear_marks()
                self.write(lambda: changes.set_tags(library, ids, common, tags), "could not change the tags")

        dialog = reusable(self.host.app, TagsDialog)
        dialog.setup(what, common, self.host.model.tags())
        self.host.app.push_screen(dialog, done)

    def notes(self) -> None:
        paper = self.host.current_paper
        if paper is not None:
            self.open_notes(paper.id)

    def open_notes(self, paper_id: str) -> None:
        from readlist.tui.screens.notes import NotesScreen

        paper = self.host.model.get(paper_id)
        if paper is None:
            return
        library = self.host.library

        def save(base: str, text: str) -> None:
            self.write(
                lambda: changes.set_notes(library, paper_id, base, text), f"could not save the notes of {paper_id}"
            )

        self.host.app.push_screen(NotesScreen(paper.title or paper.id, paper.notes, save))

    def sort(self, field: str | None = None) -> None:
        model = self.host.model
        field = field or SORTS[(SORTS.index(model.sort) + 1) % len(SORTS)]
        self._sort(field, model.reverse if field == model.sort else False)

    def reverse(self) -> None:
        self._sort(self.host.model.sort, not self.host.model.reverse)

    def _sort(self, field: str, reverse: bool) -> None:
        host = self.host
        host.sync.sort, host.sync.reverse = field, reverse
        host.show_model(host.model.sorted_by(field, reverse))
        host.post_message(SortChosen(field, reverse))
        self.notify(f"Sorted by {SORT_LABELS[field]}{', reversed' if reverse else ''}", timeout=2)

    def read(self) -> None:
        from readlist.tui.screens.reading import ReadingScreen

        paper = self.host.current_paper
        if paper is not None:
            model_get = lambda paper_id: self.host.model.get(paper_id)  # noqa: E731 (the model of the moment)
            key = lambda paper: self.host.model.citation_key(paper)  # noqa: E731
            self.host.app.push_screen(ReadingScreen(paper.id, model_get, self.open_notes, key))

    def edit_external(self) -> None:
        paper = self.host.current_paper
        if paper is None:
            return
        command = editor_command(self.host.library.settings.editor)
        if command is None:
            self.notify("No editor found: set $EDITOR (or `editor` in config.toml); n edits the notes in readlist.",
                        "warning", 8)  # fmt: skip
            return
        outcome: list[str | ReadlistError] = []
        warnings: list[str] = []

        def edit() -> None:
            # Errors are caught inside the suspended block so that the terminal is always resumed.
            try:
                outcome.append(edit_text(paper.notes, command, on_warning=warnings.append))
            except ReadlistError as exc:
                outcome.append(exc)

        app = self.host.app
        try:
            with app.suspend():
                edit()
        except SuspendNotSupported:
            if not app.is_headless:
                self.notify("This terminal cannot hand over to an editor; n edits the notes in readlist.")
                return
            edit()
        result = outcome[0] if outcome else None
        for line in warnings:
            self.notify(line, "warning", 12)
        if isinstance(result, ReadlistError):
            self.notify(str(result), "error", 8)
        elif result is not None and result.rstrip("\n") != paper.notes.rstrip("\n"):
            library, base, text = self.host.library, paper.notes, result.rstrip("\n")
            self.write(
                lambda: changes.set_notes(library, paper.id, base, text), f"could not save the notes of {paper.id}"
            )
            self.notify("Notes saved", timeout=2)

    def delete(self) -> None:
        from readlist.tui.dialogs.confirm import ConfirmDialog

        papers = self.targets()
        if not papers:
            return
        library, ids = self.host.library, [p.id for p in papers]
        after = self._next_row(papers)

        def done(yes: bool | None) -> None:
            if yes:
                self.host.focus_after_read = after
                self.host.table.clear_marks()
                self.write(lambda: changes.delete(library, ids), "could not delete")
                self.notify(f"Deleted {what} (u undoes)", timeout=3)

        what = f"“{short(papers[0].title or papers[0].id, 60)}”" if len(papers) == 1 else count(len(papers))
        question = f"Delete {what}? Notes and tags go with {'it' if len(papers) == 1 else 'them'} (u undoes)."
        dialog = reusable(self.host.app, ConfirmDialog)
        dialog.setup("Delete", question)
        self.host.app.push_screen(dialog, done)

    def undo(self) -> None:
        change = self.host.undo_stack.pop()
        if change is None:
            self.notify("Nothing to undo", timeout=2)
            return
        library = self.host.library
        self.host.focus_after_read = change.focus
        self.write(lambda: changes.undo(library, change), "could not undo")
        self.notify(f"Undid {change.label}", timeout=2)

    # -- copying and opening -------------------------------------------------------------------

    def copy_key(self) -> None:
        paper = self.host.current_paper
        key = self.host.model.citation_key(paper) if paper is not None else None
        if not key:
            self.notify("This paper has no citation key yet", "warning")
            return
        self.host.app.copy_to_clipboard(str(key))
        self.notify(f"Copied {key}", timeout=2)

    def _open(self, url: str | None, what: str, owner: str = "this paper") -> None:
        from readlist.core.errors import BadInput
        from readlist.core.links import check_link

        if not url:
            self.notify(f"No {what} for this paper", "warning")
            return
        try:
            check_link(url, owner, what)
        except BadInput as exc:
            self.notify(str(exc), severity="error")
            return
        self.host.open_link(url)
        self.notify(f"Opening {url}", timeout=2)

    def open_page(self) -> None:
        suggestion = self.host.current_suggestion
        if suggestion is not None:
            self._open(
                f"https://arxiv.org/abs/{suggestion.arxiv_id}" if suggestion.arxiv_id else suggestion.url,
                "link",
                suggestion.key,
            )
            return
        paper = self.host.current_paper
        if paper is not None:
            self._open(paper.url or (f"https://arxiv.org/abs/{paper.id}" if paper.is_arxiv else None), "link", paper.id)

    def open_pdf(self) -> None:
        paper = self.host.current_paper
        if paper is not None:
            self._open(
                paper.pdf_url or (f"https://arxiv.org/pdf/{paper.id}" if paper.is_arxiv else None), "PDF", paper.id
            )

    # -- suggestions ---------------------------------------------------------------------------

    def _suggestion_write(self, s: Suggestion, verb: str, job: Callable[[Library, str], changes.Change]) -> None:
        host = self.host
        library = host.library
        host.suggestion_list.hold()  # the order holds still while the user triages (a new ranking follows)
        host.focus_after_read = host.suggestion_list.key_after(s.key)
        self.write(lambda: job(library, s.key), f"could not {verb} {s.key}")

    def accept(self) -> None:
        """Accept the suggestion; with the tags its nearest papers carry, in a dialog (enter, enter)."""
        from readlist.tui.dialogs.accept import AcceptDialog

        host = self.host
        s = host.current_suggestion
        if s is None:
            return
        self.suggestions_view.want_ranking()
        ranking = host.ranker.ranking
        ranked = ranking.get(s.key) if ranking is not None else None
        if ranking is not None and not ranking.ranked:
            tags: list[str] | None = []  # too few papers to learn tags from
        elif ranked is not None:
            tags = list(ranked.tags)
        else:
            tags = None if host.ranker.busy else []
        if tags == []:
            self._accept(s, [])
            return

        def done(chosen: list[str] | None) -> None:
            if chosen is not None:
                self._accept(s, chosen)

        dialog = reusable(host.app, AcceptDialog)
        dialog.setup(s.key, short(s.title, 60), host.model.tags(), tags, self._like(ranked))
        host.app.push_screen(dialog, done)

    def _like(self, ranked: Ranked | None) -> list[str]:
        """The titles of the library papers the tags come from."""
        papers = [self.host.model.get(i) for i in (ranked.like if ranked is not None else ())]
        return [short(clean_line(p.title or p.id), 60) for p in papers if p is not None]

    def _accept(self, s: Suggestion, tags: list[str]) -> None:
        self._suggestion_write(s, "accept", lambda library, key: changes.accept(library, key, tags))
        tagged = f" ({' '.join('#' + t for t in tags)})" if tags else ""
        self.notify(f"Accepted into To read: {short(s.title)}{tagged}", timeout=3)

    def ranking_arrived(self) -> None:
        """A ranking arrived: the accept dialog waiting for its proposed tags gets them."""
        from readlist.tui.dialogs.accept import AcceptDialog

        dialog, ranking = self.host.app.screen, self.host.ranker.ranking
        if not isinstance(dialog, AcceptDialog) or not dialog.waiting or dialog.suggestion_key is None:
            return
        ranked = ranking.get(dialog.suggestion_key) if ranking is not None else None
        if ranked is None and self.host.ranker.busy:
            return  # a ranking of other suggestions: the one asked for is still under way
        note = ranking.note if ranking is not None and not ranking.ranked else None
        if ranked is None and ranking is None:
            note = "the suggestions could not be ranked"
        tags = list(ranked.tags) if ranked is not None else []
        dialog.propose(dialog.suggestion_key, tags, self._like(ranked), note)

    def dismiss(self) -> None:
        s = self.host.current_suggestion
        if s is not None:
            self._suggestion_write(s, "dismiss", changes.dismiss)
            self.notify(f"Dismissed: {short(s.title)}", timeout=3)

    def fit_order(self) -> None:
        """S in the Suggestions view: by fit with the library, or the curators' order."""
        host = self.host
        listing = host.suggestion_list
        listing.by_fit = not listing.by_fit
        listing.release()
        self.suggestions_view.want_ranking()
        self.suggestions_view.show()
        ranking = host.ranker.ranking
        if listing.by_fit and ranking is not None and not ranking.ranked and ranking.note:
            self.notify(clean_line(ranking.note[0].upper() + ranking.note[1:]) + ".", timeout=4)
        else:
            self.notify("By fit with your library" if listing.by_fit else "The curators' order", timeout=2)
