"""Local accounts: editors and admins, their passwords, logins, sessions and failed logins.

Passwords are hashed with argon2id (argon2-cffi, its default parameters; a hash made with
older parameters is renewed at the next login). Managing accounts is a write like any
other: one transaction that checks its author (``users`` needs an admin, or the command
line) and writes its audit row. Logins are the store's bookkeeping, not its data: they
change no revision and write no audit row, but they live in the store so that every
dashboard process sees the same sessions and the same failed logins.

Failed logins are counted per user name and per client (``login_failures``). The first
``FREE_FAILURES`` cost nothing; after that each failure doubles the wait before the next
try of that name or client (1 s, 2 s, 4 s, ... up to ``MAX_DELAY``), and a try during the
wait is refused without reading the password. A count restarts after ``WINDOW`` without a
failure, and a successful login clears its user's count (not its client's, so one account
cannot be used to reset the count of a client trying others').
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.engine import Connection

from intl_metrics.store.access import ROLES, Actor, idle_timeout, token_hash
from intl_metrics.store.db import Store, utc
from intl_metrics.store.ingestion import dumps
from intl_metrics.store.models import LoginFailure, User, UserSession

__all__ = [
    "FREE_FAILURES",
    "MAX_DELAY",
    "WINDOW",
    "AccountError",
    "Login",
    "SessionUser",
    "UserInfo",
    "add_user",
    "check_name",
    "end_session",
    "list_users",
    "log_in",
    "session_user",
    "set_disabled",
    "set_password",
    "set_role",
]

FREE_FAILURES = 3
MAX_DELAY = timedelta(minutes=15)
WINDOW = timedelta(minutes=15)
MIN_PASSWORD = 10
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")

_hasher = PasswordHasher()
# Verified when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A user name, role or password that cannot be used; nothing was written."""


@dataclass(frozen=True)
class UserInfo:
    """An account as `users list` and the Users page show it (never its hash)."""

    name: str
    role: str
    disabled: bool
    created_at: datetime
    created_by: str
    last_login_at: datetime | None


@dataclass(frozen=True)
class SessionUser:
    """Who a valid session token belongs to."""

    name: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class Login:
    """The outcome of a login: a session token, or why not (and how long to wait)."""

    token: str | None
    user: SessionUser | None
    refusal: Literal["", "wrong", "wait"] = ""
    wait_seconds: int = 0


# ------------------------------------------------------------------ managing accounts


def _check_name(name: str) -> str:
    name = name.strip()
    if not NAME.match(name):
        raise AccountError(
            "a user name is 1 to 64 letters, digits, '.', '_', '-' or '@', "
            f"starting with a letter or digit: {name!r} is not"
        )
    return name


def check_name(name: str) -> str:
    """A user name as stored (stripped); AccountError when it cannot be one."""
    return _check_name(name)


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"the role is one of {', '.join(ROLES)}, not {role!r}")
    return role


def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password has at least {MIN_PASSWORD} characters")
    if len(password) > 1024:
        raise AccountError("a password has at most 1024 characters")
    return password


def _user_id(conn: Connection, name: str) -> int:
    found = conn.execute(sa.select(User.id).where(User.name == name)).scalar()
    if found is None:
        raise AccountError(f"there is no user {name!r}")
    return found


def add_user(store: Store, who: str | Actor, name: str, role: str, password: str) -> None:
    """A new account; raises AccountError for a taken name, a bad role or a short password."""
    name, role = _check_name(name), _check_role(role)
    digest = _hasher.hash(_check_password(password))
    with store.write(who, "users") as w:
        if w.conn.execute(sa.select(User.id).where(User.name == name)).first() is not None:
            raise AccountError(f"the user {name!r} exists already")
        w.conn.execute(
            sa.insert(User).values(
                name=name,
                role=role,
                password_hash=digest,
                disabled=False,
                created_at=w.now,
                created_by=w.who,
                updated_at=w.now,
                last_login_at=None,
            )
        )
        w.audit("users", field="user", new=dumps({"name": name, "role": role}), note="added")


def set_password(store: Store, who: str | Actor, name: str, password: str) -> None:
    """A new password; every session of the account ends."""
    digest = _hasher.hash(_check_password(password))
    with store.write(who, "users") as w:
        uid = _user_id(w.conn, name)
        w.conn.execute(
            sa.update(User).where(User.id == uid).values(password_hash=digest, updated_at=w.now)
        )
        w.conn.execute(sa.delete(UserSession).where(UserSession.user_id == uid))
        w.conn.execute(sa.delete(LoginFailure).where(LoginFailure.key == _user_key(name)))
        w.audit("users", field="password", new=dumps({"name": name}), note="password changed")


def set_role(store: Store, who: str | Actor, name: str, role: str) -> None:
    """Make an account an editor or an admin."""
    role = _check_role(role)
    with store.write(who, "users") as w:
        uid = _user_id(w.conn, name)
        old = w.conn.execute(sa.select(User.role).where(User.id == uid)).scalar_one()
        if old == role:
            raise AccountError(f"{name} is {role} already")
        _keep_an_admin(w.conn, uid, "made an editor")
        w.conn.execute(sa.update(User).where(User.id == uid).values(role=role, updated_at=w.now))
        w.audit(
            "users", field="role", old=dumps({"name": name, "role": old}),
            new=dumps({"name": name, "role": role}), note="role changed",
        )  # fmt: skip


def set_disabled(store: Store, who: str | Actor, name: str, disabled: bool = True) -> None:
    """Disable an account (its sessions end at once) or enable it again."""
    with store.write(who, "users") as w:
        uid = _user_id(w.conn, name)
        if disabled:
            _keep_an_admin(w.conn, uid, "disabled")
            w.conn.execute(sa.delete(UserSession).where(UserSession.user_id == uid))
        w.conn.execute(
            sa.update(User).where(User.id == uid).values(disabled=disabled, updated_at=w.now)
        )
        w.audit(
            "users", field="disabled", old=dumps({"name": name, "disabled": not disabled}),
            new=dumps({"name": name, "disabled": disabled}),
            note="disabled" if disabled else "enabled",
        )  # fmt: skip


def _keep_an_admin(conn: Connection, uid: int, what: str) -> None:
    """Refuse to take away the last enabled admin (nobody could manage users then)."""
    role, disabled = conn.execute(sa.select(User.role, User.disabled).where(User.id == uid)).one()
    if role != "admin" or disabled:
        return
    others = conn.execute(
        sa.select(sa.func.count())
        .select_from(User)
        .where(User.role == "admin", ~User.disabled, User.id != uid)
    ).scalar_one()
    if not others:
        raise AccountError(f"the last enabled admin cannot be {what}")


def list_users(store: Store) -> list[UserInfo]:
    """Every account, by name."""
    with store.read() as conn:
        rows = conn.execute(
            sa.select(
                User.name, User.role, User.disabled, User.created_at, User.created_by,
                User.last_login_at,
            ).order_by(User.name)
        )  # fmt: skip
        return [UserInfo(r[0], r[1], bool(r[2]), utc(r[3]), r[4], utc(r[5])) for r in rows]


# ------------------------------------------------------------------------ logging in


def _user_key(name: str) -> str:
    return "user:" + name.strip().casefold()[:300]


def _client_key(client: str) -> str:
    return "client:" + (client or "unknown")[:300]


def _delay(failures: int) -> timedelta:
    if failures <= FREE_FAILURES:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(failures - FREE_FAILURES - 1, 20)), MAX_DELAY)


def _blocked(conn: Connection, keys: list[str], now: datetime) -> int:
    """Seconds to wait before these keys may try again (0: they may)."""
    wait = 0.0
    for until in conn.execute(
        sa.select(LoginFailure.blocked_until).where(LoginFailure.key.in_(keys))
    ).scalars():
        if until is not None and utc(until) > now:
            wait = max(wait, (utc(until) - now).total_seconds())
    return int(wait + 0.999)


def _count_failure(conn: Connection, key: str, now: datetime) -> None:
    row = conn.execute(
        sa.select(LoginFailure.failures, LoginFailure.last_at).where(LoginFailure.key == key)
    ).first()
    if row is None or utc(row[1]) + WINDOW < now:
        failures = 1
        conn.execute(sa.delete(LoginFailure).where(LoginFailure.key == key))
        conn.execute(
            sa.insert(LoginFailure).values(
                key=key, failures=1, first_at=now, last_at=now, blocked_until=None
            )
        )
    else:
        failures = row[0] + 1
    delay = _delay(failures)
    conn.execute(
        sa.update(LoginFailure)
        .where(LoginFailure.key == key)
        .values(failures=failures, last_at=now, blocked_until=now + delay if delay else None)
    )


def failed_logins(store: Store, *, name: str | None = None, client: str | None = None) -> int:
    """How many failed logins are counted now for a user name or a client."""
    key = _user_key(name) if name is not None else _client_key(client or "")
    with store.read() as conn:
        n = conn.execute(sa.select(LoginFailure.failures).where(LoginFailure.key == key)).scalar()
    return int(n or 0)


def log_in(store: Store, name: str, password: str, client: str = "") -> Login:
    """Check a name and password; a session token when they are right.

    ``client``: what identifies the browser's machine (its address), for counting failures
    per client as well as per name. A name or client that failed too often must wait
    (``Login.refusal == "wait"``), whatever the password.
    """
    now = datetime.now(UTC)
    keys = [_user_key(name), _client_key(client)]
    with store.read() as conn:
        wait = _blocked(conn, keys, now)
        row = conn.execute(
            sa.select(User.id, User.name, User.role, User.password_hash, User.disabled).where(
                User.name == name.strip()
            )
        ).first()
    if wait:
        return Login(None, None, "wait", wait)
    ok = False
    rehash = None
    try:
        if row is None:
            _hasher.verify(_DUMMY, password + "\x00")  # the same time as a real check
        else:
            ok = _hasher.verify(row[3], password)
            if ok and _hasher.check_needs_rehash(row[3]):
                rehash = _hasher.hash(password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok or row is None or row[4]:
        with store.bookkeeping() as conn:
            for key in keys:
                _count_failure(conn, key, now)
            wait = _blocked(conn, keys, now)
        return Login(None, None, "wrong", wait)
    token = secrets.token_urlsafe(32)
    with store.bookkeeping() as conn:
        conn.execute(sa.delete(LoginFailure).where(LoginFailure.key == keys[0]))
        conn.execute(
            sa.insert(UserSession).values(
                token_hash=token_hash(token),
                user_id=row[0],
                client=(client or None) and client[:255],
                created_at=now,
                last_seen_at=now,
            )
        )
        values: dict[str, object] = {"last_login_at": now}
        if rehash:
            values["password_hash"] = rehash
        conn.execute(sa.update(User).where(User.id == row[0]).values(**values))
        # sessions idle past the timeout are of no use to anyone: cleared as logins come
        conn.execute(sa.delete(UserSession).where(UserSession.last_seen_at < now - idle_timeout()))
    return Login(token, SessionUser(row[1], row[2]))


def session_user(store: Store, token: str | None) -> SessionUser | None:
    """Who a session token belongs to, or None: unknown, idle too long, or disabled.

    A valid session's idle clock starts again.
    """
    if not token:
        return None
    now = datetime.now(UTC)
    digest = token_hash(token)
    with store.read() as conn:
        row = conn.execute(
            sa.select(UserSession.last_seen_at, User.name, User.role, User.disabled)
            .join(User, User.id == UserSession.user_id)
            .where(UserSession.token_hash == digest)
        ).first()
    if row is None:
        return None
    last_seen = utc(row[0])
    if last_seen + idle_timeout() < now or row[3]:
        end_session(store, token)
        return None
    # written at most every 30 s (a quarter of a short timeout), not on every rerun
    if now - last_seen > min(timedelta(seconds=30), idle_timeout() / 4):
        with store.bookkeeping() as conn:
            conn.execute(
                sa.update(UserSession)
                .where(UserSession.token_hash == digest)
                .values(last_seen_at=now)
            )
    return SessionUser(row[1], row[2])


def end_session(store: Store, token: str | None) -> None:
    """Log out: the session's token is good for nothing after this."""
    if not token:
        return
    with store.bookkeeping() as conn:
        conn.execute(sa.delete(UserSession).where(UserSession.token_hash == token_hash(token)))
