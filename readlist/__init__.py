"""readlist: a terminal reading list for research papers.

The package is split by role. ``core``, ``sources`` and ``export`` are the data
layer (plain Python, no UI); ``cli`` is the typer command line and ``tui`` the
Textual app, both of which call the data layer and nothing else.

Start-up cost matters because every shell one-liner pays it: this module and
``cli`` import nothing heavy at module level (Textual, arxiv, requests and lxml
are imported inside the commands that need them).
"""

__version__ = "0.1.0"
