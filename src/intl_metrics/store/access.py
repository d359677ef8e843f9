"""Who may write: the one place every write of the store asks, on the server, when it runs.

Today there are no accounts: anyone who can run the CLI or open the dashboard may write,
and a write is refused only when it names no one. The next issue (users and roles)
decides here whether ``who`` is an editor, so the CLI, the *Add agenda* page and every
later write are checked by the same code, not by what a page chose to draw.
"""

from __future__ import annotations

__all__ = ["WriteRefused", "check_write"]


class WriteRefused(PermissionError):
    """A write that its author may not make; nothing was written."""


def check_write(who: str, action: str) -> None:
    """Raise WriteRefused unless ``who`` may make a write of kind ``action``."""
    if not who or not who.strip():
        raise WriteRefused(f"a {action} needs the name of who makes it")
