"""Every action of the TUI in one table: it makes the bindings, the palette, the help and the README's keys.

Each row names an action (the ``action_...`` method of its owner), its keys,
what the footer and the help call it, its palette title, the help section it
belongs to, and what it needs (a highlighted paper, a suggestion, a library
view). The library screen, the paper table, the suggestion list, the detail
pane, the reading view and the notes editor take their ``BINDINGS`` from here;
the palette (ctrl+p) offers every row with a title that applies now; ``?`` shows
every row with keys; ``python -m readlist.tui.actions`` prints the README's key
table (a test holds the README to it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from textual.binding import Binding, BindingType

Owner = Literal[
    "library", "finding", "papers", "outside", "suggestions", "list", "detail", "reading", "notes", "textual"
]
"""The part whose ``action_...`` the row runs, and whose ``BINDINGS`` it is in. The library screen's parts nest
(the focus is always inside them, so each one's keys apply): ``library`` the library keys (LibraryJobs),
``finding`` the views, the filter and the sort (Browser), ``papers`` the paper keys (Triage), ``outside`` the
paper keys that hand a paper to something outside the TUI (Outside: $EDITOR, the clipboard, a browser or PDF
viewer, arXiv's PDFs), ``suggestions``
the Suggestions view's (SuggestionsPane); ``list`` is the paper table and the suggestion list; ``textual``
rows are Textual's own keys (help only)."""
PARTS: tuple[Owner, ...] = ("library", "finding", "papers", "outside", "suggestions")
"""The owners that are parts of the library screen (their rows go to the palette)."""
Needs = Literal["", "paper", "papers-view", "suggestions-view", "suggestion", "item", "back"]
"""What must be there for the action to apply: ``item`` is a paper or a suggestion; ``back`` is something
for esc to leave (the filter field, marks, a filter)."""


@dataclass(frozen=True)
class Action:
    name: str
    keys: str
    """Textual key names, comma-separated ('' for a palette-only action)."""
    label: str
    """What the footer and the help call it."""
    section: str
    title: str = ""
    """The palette's title ('' keeps it out of the palette)."""
    help: str = ""
    owner: Owner = "papers"
    needs: Needs = ""
    footer: bool = False
    priority: bool = False
    """Run before the focused widget sees the key (keys that move the focus, so a burst of typing follows them)."""
    what: str = ""
    """What the help and the README say it does (default: the label and the palette's help)."""

    @property
    def description(self) -> str:
        return self.what or DESCRIPTIONS.get(self.name, self.label)


PAPERS, FINDING, MOVING, READING, SUGGESTIONS, LIBRARY, NOTES = (
    "Papers (all marked ones, or the highlighted one)",
    "Finding",
    "Moving",
    "Reading",
    "Suggestions view",
    "Library",
    "Notes editor",
)

ACTIONS: tuple[Action, ...] = (
    # Moving (the paper table, the suggestion list and, once focused, the detail pane)
    Action("move(1)", "down,j", "Down", MOVING, owner="list"),
    Action("move(-1)", "up,k", "Up", MOVING, owner="list"),
    Action("page(1)", "pagedown", "Page down", MOVING, owner="list"),
    Action("page(-1)", "pageup", "Page up", MOVING, owner="list"),
    Action("jump(0)", "home,g", "First", MOVING, owner="list"),
    Action("jump(-1)", "end,G", "Last", MOVING, owner="list"),
    Action("focus_next", "tab", "Detail pane", MOVING, owner="textual",
           what="Into the detail pane (the moving keys then scroll it) and back"),
    Action("view(1)", "right_square_bracket", "Next view", MOVING, "Next view", "Show the next view", owner="finding"),
    Action("view(-1)", "left_square_bracket", "Previous view", MOVING, "Previous view", "Show the previous view",
           owner="finding"),
    # Papers
    Action("toggle_mark", "space", "Mark", PAPERS, owner="list", needs="paper",
           what="Mark or unmark the paper and move on; the keys below then act on every marked paper"),
    Action("activate", "enter", "Notes", PAPERS, owner="list", needs="item",
           what="Edit the notes (in Suggestions: accept, with the tags proposed; enter again confirms)"),
    Action("cycle_status", "s", "Status", PAPERS, "Cycle status", "to-read → reading → read", needs="paper",
           footer=True, what="Cycle the status: to-read → reading → read, and move on to the next row"),
    Action("set_status('to-read')", "1", "Mark to read", PAPERS, "Mark as to read", needs="paper"),
    Action("set_status('reading')", "2", "Mark reading", PAPERS, "Mark as reading", needs="paper"),
    Action("set_status('read')", "3", "Mark read", PAPERS, "Mark as read", needs="paper"),
    Action("set_status('dropped')", "4", "Mark dropped", PAPERS, "Mark as dropped", needs="paper"),
    Action("tags", "t", "Tags", PAPERS, "Edit tags", "Add or remove tags (completes from the library's)",
           needs="paper", footer=True),
    Action("notes", "n", "Notes", PAPERS, "Edit notes", "In readlist's Markdown editor, with a live preview",
           needs="paper", footer=True),
    Action("edit_external", "e", "$EDITOR", PAPERS, "Edit notes in $EDITOR",
           "The TUI hands over to your editor (or vi, or nano) and comes back", needs="paper", owner="outside"),
    Action("edit_fields", "E", "Edit fields", PAPERS, "Edit the paper's fields…",
           "Title, authors, year, venue, type, key, DOI, URL, abstract in $EDITOR", needs="paper", owner="outside"),
    Action("copy_key", "y", "Copy key", PAPERS, "Copy the citation key", "To the clipboard (OSC 52)",
           needs="paper", owner="outside"),
    Action("open_page", "o", "Open", PAPERS, "Open the paper",
           "Its local file if it has one, else its (or the suggestion's) page in the browser", needs="item",
           footer=True, owner="outside"),
    Action("open_pdf", "p", "PDF", PAPERS, "Open the PDF", "Its local PDF, else arXiv's in the browser",
           needs="paper", owner="outside"),
    Action("fetch_pdfs", "P", "Fetch PDFs", PAPERS, "Fetch the PDFs",
           "Download the arXiv PDFs of the marked papers (or this one) into files/", needs="paper", owner="outside"),
    Action("delete", "d", "Delete", PAPERS, "Delete", "After a confirmation", needs="paper"),
    Action("undo", "u", "Undo", PAPERS, "Undo",
           "The last change: status, tags, notes, delete, add, accept, dismiss, PDFs fetched", footer=True),
    # Reading
    Action("read", "v", "Read", READING, "Read the paper",
           "Facts, the curator's blurb, abstract and notes, full screen", needs="paper", footer=True),
    Action("notes", "n", "Write notes", READING, owner="reading", footer=True, what="In the reading view: write notes"),
    Action("close", "escape,q,v", "Back", READING, owner="reading", footer=True,
           what="In the reading view: back to the list"),
    # Suggestions
    Action("accept", "", "Accept", SUGGESTIONS, "Accept suggestion",
           "Into To read, with the curator's blurb and the tags proposed (enter)", needs="suggestion",
           owner="suggestions"),
    Action("fit_order", "S", "Order", SUGGESTIONS, "Fit order or curators' order",
           "Each month's best fit with your library first, or the curators' order", needs="suggestions-view",
           footer=True,
           what="Switch the order: by fit with your library (each month's best first; the default from 5 "
                "papers) or the curators'", owner="suggestions"),
    Action("dismiss_suggestion", "x", "Dismiss", SUGGESTIONS, "Dismiss suggestion",
           "For good, from every month and source; the cursor moves on", needs="suggestion", footer=True,
           owner="suggestions"),
    # Finding
    Action("filter", "slash", "Filter", FINDING, "Filter papers",
           "As you type: words (one typo allowed), author:, #tag, status:, year:2020..2022, source:, -word",
           footer=True, priority=True, owner="finding"),
    Action("back", "escape", "Back", FINDING, "Clear the filter", needs="back", footer=True,
           what="Leave the filter (it stays), then unmark the marked papers, then clear the filter", owner="finding"),
    Action("full_text", "ctrl+f", "Full text", FINDING, "Full text: filter words search the PDFs too",
           "On or off: the filter's plain words also look in the attached PDFs' text", owner="finding",
           what="Full text on or off: the filter's plain words also look in the attached PDFs' text "
                "(the filter bar says when it is on)"),
    Action("sort", "S", "Sort", FINDING, "Cycle the sort order", "Date added → title → year → status → first author",
           needs="papers-view", owner="finding"),
    Action("reverse", "r", "Reverse", FINDING, "Reverse the order", "Reverse the sort order", needs="papers-view",
           owner="finding"),
    # Library
    Action("add", "a", "Add", LIBRARY, "Add papers from arXiv or by DOI",
           "By arXiv ids or URLs, or DOIs, with tags, fetched in the background", footer=True, owner="library"),
    Action("refresh", "R", "Refresh", LIBRARY, "Refresh pending papers",
           "Fetch what arXiv knows of the pending papers, with a progress line", owner="library"),
    Action("all_tags", "T", "All tags", LIBRARY, "All tags",
           "Every tag with its count: show its papers, rename or merge", owner="library"),
    Action("pull", "", "Pull", LIBRARY, "Pull curated suggestions", "The monthly selections since the last pull",
           owner="library"),
    Action("pull_document", "", "Pull a file", LIBRARY, "Pull a selection from a file or URL…",
           "One post or list of papers, as suggestions (one month of a file that holds several)", owner="library"),
    Action("export_markdown", "", "Export", LIBRARY, "Export notes to Markdown…",
           "The marked papers, or the view as filtered", owner="library"),
    Action("export_bibtex", "", "Export", LIBRARY, "Export BibTeX…", "The marked papers, or the view as filtered",
           owner="library"),
    Action("help", "question_mark", "Help", LIBRARY, "Help: keys", "Every key", footer=True, owner="library"),
    Action("command_palette", "ctrl+p", "Palette", LIBRARY, owner="textual",
           what="The command palette: every action, plus pull, export, views, sorts and themes"),
    Action("app.quit", "q", "Quit", LIBRARY, footer=True, owner="library"),
    # The notes editor
    Action("save", "ctrl+s", "Save", NOTES, owner="notes", priority=True, footer=True),
    Action("leave", "escape", "Save and close", NOTES, owner="notes", priority=True, footer=True),
    Action("toggle_preview", "ctrl+t", "Preview", NOTES, owner="notes", footer=True, what="Show or hide the preview"),
)  # fmt: skip

DESCRIPTIONS = {
    "view(1)": "Next view", "view(-1)": "Previous view",
    "tags": "Edit the tags (completes from the library's)",
    "notes": "Edit the notes in readlist (Markdown, with a live preview)",
    "edit_external": "Edit the notes in $EDITOR (or vi, or nano); the TUI comes back after",
    "edit_fields": "Edit the fields (title, authors, year, venue, key, DOI…) in $EDITOR",
    "copy_key": "Copy the paper's citation key to the clipboard",
    "open_page": "Open the local file (▤), else the page in the browser",
    "open_pdf": "Open the local PDF, else arXiv's PDF",
    "fetch_pdfs": "Fetch the arXiv PDFs of the marked papers",
    "delete": "Delete, after a confirmation",
    "undo": "Undo the last change: status, tags, notes, delete, add, accept, dismiss, rename, PDFs fetched",
    "read": "Read the paper full screen: facts, the curator's blurb, abstract and notes",
    "dismiss_suggestion": "Dismiss the suggestion for good (every month and source); the cursor moves on",
    "filter": "Filter as you type: words (one typo allowed), author:, #tag, status:, year:2020..2022, source:, -word",
    "sort": "Sort: date added → title → year → status → first author",
    "reverse": "Reverse the order",
    "add": "Add arXiv ids or URLs, or DOIs (and tags), fetched in the background",
    "refresh": "Refresh the pending papers from arXiv, with a progress line",
    "all_tags": "All tags with their counts: show a tag's papers, rename or merge it",
    "help": "Every key",
}  # fmt: skip
"""What the help and the README say of a row, when its label is not enough."""

BY_NAME = {a.name: a for a in ACTIONS if a.owner in PARTS}
KEY_NAMES = {
    "question_mark": "?", "slash": "/", "escape": "esc", "left_square_bracket": "[", "right_square_bracket": "]",
    "down": "↓", "up": "↑", "pagedown": "PgDn", "pageup": "PgUp", "home": "Home", "end": "End",
}  # fmt: skip


def needs_of(action: str, parameters: tuple[object, ...]) -> Needs:
    """What a part's action needs to apply (its row's ``needs``), from the name and parameters Textual gives."""
    row = BY_NAME.get(action) or BY_NAME.get(f"{action}({', '.join(repr(p) for p in parameters)})")
    if row is None and parameters:
        row = next((r for r in BY_NAME.values() if r.name.startswith(action + "(")), None)
    return row.needs if row is not None else ""


MOVES = frozenset({"move(1)", "move(-1)", "page(1)", "page(-1)", "jump(0)", "jump(-1)"})
"""The moving keys, which every list and scrolling pane takes."""


def bindings(owner: Owner, only: frozenset[str] | None = None) -> list[BindingType]:
    """The bindings of ``owner`` (or those of its rows named in ``only``), from the table; each has its row's
    name as its ``id``, which a user's ``[keys]`` rebinds (readlist.tui.keymap)."""
    return [
        Binding(a.keys, a.name, a.label, show=a.footer, priority=a.priority, id=a.name)
        for a in ACTIONS
        if a.owner == owner and a.keys and (only is None or a.name in only)
    ]


def key_label(keys: str) -> str:
    return " ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))


def keys_of(action: Action, keymap: Mapping[str, str]) -> str:
    """The action's keys: the user's (``keymap``, readlist.tui.keymap), else the table's."""
    return keymap.get(action.name, action.keys) if action.owner != "textual" else action.keys


def help_sections(
    owners: Iterable[Owner] = ("list", *PARTS, "textual", "reading", "notes"),
    keymap: Mapping[str, str] | None = None,
) -> list[tuple[str, list[tuple[str, str]]]]:
    """(section, [(keys, what)]) in the table's order, every row with keys (the user's, with ``keymap``)."""
    wanted = set(owners)
    sections: dict[str, list[tuple[str, str]]] = {}
    for a in ACTIONS:
        if a.keys and a.owner in wanted:
            sections.setdefault(a.section, []).append((key_label(keys_of(a, keymap or {})), a.description))
    order = (MOVING, PAPERS, READING, SUGGESTIONS, FINDING, LIBRARY, NOTES)
    return [(s, sections[s]) for s in order if s in sections]


def palette_rows() -> list[Action]:
    """Rows the palette offers (when they apply)."""
    return [a for a in ACTIONS if a.title and a.owner in PARTS]


def readme_table(keymap: Mapping[str, str] | None = None) -> str:
    """The README's key table, made from the table above (with the user's keys, given ``keymap``)."""
    lines = ["| keys | what | where |", "|---|---|---|"]
    for section, rows in help_sections(keymap=keymap):
        for keys, what in rows:
            shown = " ".join(f"`{k}`" for k in keys.split())
            lines.append(f"| {shown} | {what.replace('|', '/')} | {section} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(readme_table())
