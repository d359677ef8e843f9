"""Who may write: the one place every write of the store asks, on the server, when it runs.

Two kinds of writer:

* the **command line** and the dashboard's start-up ingest of its data folder, named by a
  plain string (``--user``, ``$USER``, ``"dashboard"``): they hold the database's own
  credentials, with which anyone could write the tables directly, so they may make any
  write, and the audit names them;
* a **dashboard session**, an ``Actor`` holding the token a login gave it. Inside the write
  transaction (after the write lock is taken), the token is looked up in ``user_sessions``:
  it must exist, not have been idle longer than the idle timeout, and belong to an enabled
  user whose role allows the action. Nothing the browser sends (a URL, a forged session
  state, a widget value) can stand in for it; a refusal rolls the transaction back.

Roles: ``editor`` may ingest, correct, undo and review; ``admin`` also manages users.
A viewer has no account and writes nothing.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

__all__ = [
    "ACTIONS",
    "ROLES",
    "Actor",
    "Granted",
    "WriteRefused",
    "check_write",
    "idle_timeout",
    "token_hash",
]

ROLES: tuple[str, ...] = ("editor", "admin")
# The least role each write needs; an admin may do all an editor may.
ACTIONS: dict[str, str] = {
    "ingest": "editor",
    "correct": "editor",
    "undo": "editor",
    "review": "editor",
    "relabel": "admin",
    "import": "admin",
    "users": "admin",
}
_RANK = {"editor": 1, "admin": 2}


class WriteRefused(PermissionError):
    """A write that its author may not make; nothing was written.

    ``reason`` names the case for a page to say it in its own language: ``no-name``,
    ``no-login``, ``session-ended``, ``disabled``, ``role``.
    """

    def __init__(self, message: str, reason: str = "role") -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Actor:
    """Who makes a write from the dashboard: the token its login gave (never shown)."""

    token: str = field(repr=False)

    @property
    def token_hash(self) -> str:
        return token_hash(self.token)


@dataclass(frozen=True)
class Granted:
    """A write allowed: the name the audit writes, and the role it was allowed by."""

    name: str
    role: str  # 'editor', 'admin', or 'system' for the command line


def token_hash(token: str) -> str:
    """What the store keeps of a session token: its SHA-256 (the token is random, 256 bits)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def idle_timeout() -> timedelta:
    """How long a dashboard session lasts without a request: INTL_METRICS_IDLE_MINUTES (30)."""
    try:
        minutes = float(os.environ.get("INTL_METRICS_IDLE_MINUTES", "30"))
    except ValueError:
        minutes = 30.0
    return timedelta(minutes=max(minutes, 0.05))


def check_write(conn: Connection | None, who: str | Actor | None, action: str) -> Granted:
    """Raise WriteRefused unless ``who`` may make a write of kind ``action``; else who it is.

    ``conn``: the write transaction (a session is looked up in it; the command line
    needs none).
    """
    if isinstance(who, Actor):
        if conn is None:
            raise WriteRefused(f"a {action} from the dashboard is checked in its transaction")
        return _check_session(conn, who, action)
    if who is None or not str(who).strip():
        raise WriteRefused(f"a {action} needs the name of who makes it", "no-name")
    return Granted(str(who).strip()[:255], "system")


def _check_session(conn: Connection, actor: Actor, action: str) -> Granted:
    from intl_metrics.store.db import utc
    from intl_metrics.store.models import User, UserSession

    if not actor.token:
        raise WriteRefused(f"a {action} needs an editor's login: log in first", "no-login")
    row = conn.execute(
        sa.select(UserSession.last_seen_at, User.name, User.role, User.disabled)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == actor.token_hash)
    ).first()
    if row is None:
        raise WriteRefused(
            f"no signed-in session made this {action}: log in as an editor", "no-login"
        )
    last_seen, name, role, disabled = row
    now = datetime.now(UTC)
    if utc(last_seen) + idle_timeout() < now:
        conn.execute(sa.delete(UserSession).where(UserSession.token_hash == actor.token_hash))
        raise WriteRefused("the session ended after being idle: log in again", "session-ended")
    if disabled:
        raise WriteRefused(f"the account {name} is disabled", "disabled")
    need = ACTIONS.get(action, "admin")
    if _RANK.get(role, 0) < _RANK[need]:
        raise WriteRefused(f"{name} is {role}: a {action} needs an {need}", "role")
    conn.execute(
        sa.update(UserSession)
        .where(UserSession.token_hash == actor.token_hash)
        .values(last_seen_at=now)
    )
    return Granted(name, role)
