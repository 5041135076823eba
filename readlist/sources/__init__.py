"""Curated monthly selections: reading them, resolving their picks to arXiv, pulling them in.

``blocks`` turns text, Markdown and HTML into the same list of blocks; the
parsers (``zeta_alpha``, ``potw``, ``hf_daily``, ``generic``) read picks from
blocks or JSON; ``detect`` chooses the parser; ``resolve`` finds each pick on
arXiv; ``pull`` records the picks as suggestions; ``registry`` and ``fetch``
are the built-in sources and their configuration. Plain Python only: the CLI
and the TUI both call :func:`readlist.sources.pull.pull`.
"""
