"""Errors a user can cause or meet, each with the exit code the CLI uses."""

from __future__ import annotations


class ReadlistError(Exception):
    """An error to show as one line, without a traceback.

    ``exit_code`` follows the command-line contract: 1 when readlist could not
    do what was asked (unknown id, network, corrupt store), 2 for bad input.
    """

    exit_code = 1


class BadInput(ReadlistError):
    """The user typed something readlist cannot accept (exit 2)."""

    exit_code = 2


class NotFound(ReadlistError):
    """A paper or suggestion that is not in the store."""


class NetworkError(ReadlistError):
    """A remote service (arXiv, a curated source) failed or timed out."""


class StoreError(ReadlistError):
    """The library file could not be read or written."""


class CorruptLibrary(StoreError):
    """library.json exists but cannot be parsed; it is left untouched."""
