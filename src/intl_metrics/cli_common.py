"""What every `intl-metrics` command shares: exit statuses, progress, file checks."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from typing import TextIO

__all__ = ["EXIT_FAILED", "EXIT_USAGE", "Progress", "check_readable"]

EXIT_USAGE = 2
EXIT_FAILED = 1  # the command ran and could not do its work (nothing was written)


class Progress:
    """Progress on stderr for long runs: a line at most every half second, only on a terminal."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.last = 0.0

    def __call__(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.5 and fraction < 1.0):
            return
        self.last = now
        end = "\n" if fraction >= 1.0 else ""
        self.stream.write(f"\r{fraction:6.1%}  {message[:60]:<60}{end}")
        self.stream.flush()


def check_readable(paths: Sequence[str]) -> str | None:
    """A one-line message for the first file that cannot be read, else None."""
    for p in paths:
        try:
            with open(p, "rb") as fh:
                fh.read(0)
        except OSError as exc:
            return f"intl-metrics: cannot read {p}: {exc.strerror or exc}"
    return None
