"""The detail pane: everything about the highlighted paper or suggestion.

The notes' Markdown widget (and the Markdown parser and highlighter it
imports) is mounted the first time there are notes to show, so start-up and
the first painted table do not wait for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from readlist.core.clean import clean_line
from readlist.core.models import Paper, Status
from readlist.core.month import month_label
from readlist.core.rank.fit import fit_bar
from readlist.core.suggestions import Suggestion
from readlist.sources.registry import source_label
from readlist.tui.actions import MOVES, bindings

if TYPE_CHECKING:
    from readlist.core.rank.score import Ranked

WELCOME = """\
# Welcome to readlist

Your reading list is empty. Add a paper:

* press **a** and type an arXiv id or URL, e.g. `2101.03961`;
* or, from any shell: `readlist add 2101.03961`.

Press **?** for every key, **ctrl+p** for every command.
"""


def _date(iso: str | None) -> str:
    return (iso or "")[:10]


def paper_head(paper: Paper, key: str | None = None) -> Text:
    """The title block: title, authors, then one line per fact."""
    text = Text()
    text.append(paper.title or paper.id, style="bold")
    if paper.pending:
        text.append(
            "\n(pending: details not fetched from arXiv yet; R or `readlist refresh` fetches them)", style="italic"
        )
    if paper.authors:
        text.append("\n" + ", ".join(paper.authors))
    facts: list[tuple[str, str]] = []
    status = paper.status
    mark = Status(status).mark if status in {s.value for s in Status} else ""
    facts.append(("Status", f"{mark} {status}"))
    if paper.is_arxiv:
        version = paper.version or ""
        newer = (
            f" (newer: {paper.latest_version})"
            if paper.latest_version and paper.version and paper.latest_version != paper.version
            else ""
        )
        facts.append(("arXiv", f"{paper.id} {version}{newer}".strip()))
    else:
        facts.append(("Id", paper.id))
    dates = [f"published {_date(paper.published)}" if paper.published else ""]
    if paper.updated and _date(paper.updated) != _date(paper.published):
        dates.append(f"updated {_date(paper.updated)}")
    dates.append(f"added {_date(paper.added)}")
    if paper.read_date:
        dates.append(f"read {_date(paper.read_date)}")
    facts.append(("Dates", " · ".join(d for d in dates if d)))
    if paper.categories:
        cats = list(paper.categories)
        if paper.primary_category and paper.primary_category in cats:
            cats.remove(paper.primary_category)
            cats.insert(0, paper.primary_category)
        facts.append(("Categories", " ".join(cats)))
    if paper.tags:
        facts.append(("Tags", " ".join("#" + t for t in paper.tags)))
    if key:
        facts.append(("Cite as", key + "  (y copies)"))
    if paper.doi:
        facts.append(("DOI", paper.doi))
    if paper.journal_ref:
        facts.append(("Journal", paper.journal_ref))
    if paper.comment:
        facts.append(("Comment", paper.comment))
    for label, url in (("Page", paper.url), ("PDF", paper.pdf_url)):
        if url:
            facts.append((label, url))
    for label, value in facts:
        text.append(f"\n{label:<11}", style="dim")
        if label in ("Page", "PDF"):
            text.append(value, style=Style(link=value, underline=True))
        else:
            text.append(value)
    return text


def suggestion_head(s: Suggestion, in_library: bool) -> Text:
    text = Text()
    text.append(s.title, style="bold")
    if s.authors:
        text.append("\n" + ", ".join(s.authors))
    facts: list[tuple[str, str]] = [("State", s.state + (" · in your library" if in_library else ""))]
    if s.arxiv_id:
        facts.append(("arXiv", s.arxiv_id))
    elif s.doi:
        facts.append(("DOI", s.doi))
    for pick in sorted(s.picks, key=lambda p: (p["month"], p["source"])):
        facts.append(("Picked", f"{month_label(pick['month'])} · {source_label(pick['source'])} #{pick['rank']}"))
    meta = s.metadata or {}
    if meta.get("published"):
        facts.append(("Published", _date(meta["published"])))
    if meta.get("categories"):
        facts.append(("Categories", " ".join(meta["categories"])))
    if s.url:
        facts.append(("Link", s.url))
    for link in s.links:
        if link.get("url") and link.get("url") != s.url:
            facts.append((link.get("label", "Link")[:10] or "Link", link["url"]))
    for label, value in facts:
        text.append(f"\n{label:<11}", style="dim")
        if value.startswith("http"):
            text.append(value, style=Style(link=value, underline=True))
        else:
            text.append(value)
    return text


def why_text(why: str) -> Text:
    """A why line as Text: the papers it names (between asterisks) in italics. Styles, never markup."""
    text = Text()
    for i, part in enumerate(clean_line(why).split("*")):
        text.append(part, style="italic" if i % 2 else "")
    return text


def fit_section(ranked: Ranked) -> Text:
    """Why a suggestion fits the library, and the tags accepting it proposes."""
    text = Text()
    text.append("Fit with your library", style="bold")
    if ranked.fit is not None:
        text.append(f"  {fit_bar(ranked.fit)} {ranked.fit:.2f}", style="dim")
    text.append("\n")
    text.append_text(why_text(ranked.why))
    if ranked.tags:
        text.append("\nOn accept  ", style="dim")
        text.append(" ".join("#" + clean_line(t) for t in ranked.tags))
    return text


SHOWN_CHARACTERS = 8_000
"""The most of a note, an abstract or a blurb the pane renders: Markdown costs about 20 µs a character."""


def shown_part(text: str, limit: int = SHOWN_CHARACTERS) -> tuple[str, int]:
    """The first ``limit`` characters of ``text`` (cut at a line end when there is one near), and how many
    characters are left out."""
    if len(text) <= limit:
        return text, 0
    cut = text.rfind("\n", limit // 2, limit)
    cut = cut if cut > 0 else limit
    return text[:cut], len(text) - cut


class DetailPane(VerticalScroll, can_focus=True):
    """Title block, the curator's blurb, the abstract and the notes (Markdown).

    ``tab`` focuses it; the moving keys of the lists then scroll it.
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings("list", only=MOVES)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._notes = ""

    def compose(self) -> ComposeResult:
        yield Static(id="detail-head")
        yield Static(id="detail-fit", classes="section")
        yield Static(id="detail-blurb", classes="section")
        yield Static(id="detail-abstract", classes="section")
        yield Static(id="detail-notes", classes="section")

    def _section(self, widget_id: str, title: str, body: str) -> None:
        widget = self.query_one(f"#{widget_id}", Static)
        widget.display = bool(body.strip())
        if body.strip():
            shown, rest = shown_part(body.strip())
            text = Text()
            text.append(title + "\n", style="bold")
            text.append(shown)
            if rest:
                text.append(f"\n… and {rest:,} more characters", style="dim italic")
            widget.update(text)

    def _notes_markdown(self, markdown: str) -> None:
        """The notes rendered as Markdown (one widget: the detail follows the cursor quickly).

        A long note shows its first :data:`SHOWN_CHARACTERS` (a 20 MB note paints as fast as a short one),
        and says how to read it whole: ``e`` opens it in $EDITOR."""
        notes = self.query_one("#detail-notes", Static)
        notes.display = bool(markdown.strip())
        if markdown != self._notes:
            self._notes = markdown
            if markdown.strip():
                from rich.console import Group
                from rich.markdown import Markdown

                shown, rest = shown_part(markdown)
                parts: list[Any] = [Text("Notes", style="bold"), Markdown(shown)]
                if rest:
                    parts.append(
                        Text(
                            f"… the note goes on for {rest:,} more characters: e in the list opens it whole in $EDITOR",
                            style="dim italic",
                        )
                    )
                notes.update(Group(*parts))

    def show_paper(self, paper: Paper | None, scroll_home: bool = True, key: str | None = None) -> None:
        head = self.query_one("#detail-head", Static)
        if paper is None:
            head.update("")
            self._fit(None)
            self._section("detail-blurb", "", "")
            self._section("detail-abstract", "", "")
            self._notes_markdown("")
            return
        self._fit(None)
        head.update(paper_head(paper, key))
        self._section("detail-blurb", "Why read it (curator)", paper.blurb)
        self._section("detail-abstract", "Abstract", paper.abstract)
        self._notes_markdown(paper.notes)
        if scroll_home:
            self.scroll_home(animate=False)

    def _fit(self, ranked: Ranked | None) -> None:
        widget = self.query_one("#detail-fit", Static)
        widget.display = ranked is not None and ranked.fit is not None
        if ranked is not None and ranked.fit is not None:
            widget.update(fit_section(ranked))

    def show_suggestion(self, s: Suggestion | None, in_library: bool = False, ranked: Ranked | None = None) -> None:
        """The suggestion; with ``ranked`` (its place in the ranking by fit), why it fits and the tags proposed."""
        if s is None:
            self.show_paper(None)
            return
        self.query_one("#detail-head", Static).update(suggestion_head(s, in_library))
        self._fit(ranked)
        blurbs = [p.get("blurb", "") for p in s.picks if p.get("blurb") and p.get("blurb") != s.blurb]
        self._section("detail-blurb", "Why read it (curator)", "\n\n".join([s.blurb, *blurbs]))
        self._section("detail-abstract", "Abstract", (s.metadata or {}).get("abstract", ""))
        self._notes_markdown("")
        self.scroll_home(animate=False)

    def action_move(self, step: int) -> None:
        self.scroll_relative(y=step, animate=False)

    def action_page(self, direction: int) -> None:
        self.scroll_page_down(animate=False) if direction > 0 else self.scroll_page_up(animate=False)

    def action_jump(self, where: int) -> None:
        self.scroll_home(animate=False) if where == 0 else self.scroll_end(animate=False)
