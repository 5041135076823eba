"""Notes out and back: Markdown and BibTeX export and import.

Plain Python (no typer, no textual) so the CLI and the TUI both call it.
PyYAML and bibtexparser are imported inside the functions that need them.
"""
