"""The Textual TUI: ``readlist`` with no command opens it (see :func:`readlist.tui.app.run`)."""
