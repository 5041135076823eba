"""Entry point: ``readlist`` runs :func:`main`."""

from __future__ import annotations

import os
import sys

from readlist.cli import papers  # noqa: F401  (registers its commands)
from readlist.cli import suggest  # noqa: F401  (registers its commands)
from readlist.cli import transfer  # noqa: F401  (registers export and import)
from readlist.cli.app import app
from readlist.cli.output import error
from readlist.core.errors import ReadlistError


def main() -> None:
    try:
        app(prog_name="readlist")
    except ReadlistError as exc:
        error(str(exc))
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        error("interrupted")
        sys.exit(130)
    except Exception as exc:  # a bug, not something the user caused
        if os.environ.get("READLIST_DEBUG"):
            raise
        error(f"internal error: {type(exc).__name__}: {exc} (run with READLIST_DEBUG=1 for details)")
        sys.exit(1)
