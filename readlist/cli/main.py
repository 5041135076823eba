"""Entry point: ``readlist`` runs :func:`main`."""

from __future__ import annotations

import gc
import os
import sys

from readlist.cli import (
    papers,  # noqa: F401  (registers its commands)
    suggest,  # noqa: F401  (registers its commands)
    transfer,  # noqa: F401  (registers export and import)
)
from readlist.cli.app import app
from readlist.cli.output import error
from readlist.core.errors import ReadlistError


def main() -> None:
    # A command is short-lived and its big allocations (the parsed library, its
    # Paper objects) hold no cycles: the collector's full passes over them cost
    # ~0.1-0.2 s at 10,000 papers and free nothing. Re-enabled on the way out
    # for callers that run main() in-process (the tests).
    gc.disable()
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
    finally:
        gc.enable()
