"""Accounts, logins and failed logins, on SQLite and on a real PostgreSQL; and a store made by
the first migration upgrading in place."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from intl_metrics.store import close_stores, document_from_bytes, ingest, open_store, users
from intl_metrics.store.access import Actor

ROOT = Path(__file__).resolve().parents[1]
SEED_TEXT = (ROOT / "data" / "raw" / "agenda-2021-09-10.txt").read_text(encoding="utf-8")
PASSWORD = "a long enough password"


@pytest.fixture
def store(store_url):
    return open_store(store_url)


def _unblock(store) -> None:
    """As if the wait had passed (no test sleeps for it)."""
    with store.bookkeeping() as conn:
        conn.execute(sa.text("UPDATE login_failures SET blocked_until = NULL"))


def test_passwords_are_stored_as_argon2_hashes_and_checked(store):
    users.add_user(store, "admin-cli", "ann", "editor", PASSWORD)
    with store.read() as conn:
        stored = conn.execute(sa.text("SELECT password_hash FROM users")).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    login = users.log_in(store, "ann", PASSWORD, "10.0.0.1")
    assert login.token and len(login.token) >= 40 and login.user.role == "editor"
    with store.read() as conn:  # only the token's hash is kept
        kept = conn.execute(sa.text("SELECT token_hash FROM user_sessions")).scalar_one()
    assert login.token not in kept and len(kept) == 64
    assert users.session_user(store, login.token).name == "ann"
    assert users.log_in(store, "ann", PASSWORD + "x").refusal == "wrong"
    assert users.log_in(store, "nobody", PASSWORD).refusal == "wrong"
    users.end_session(store, login.token)  # log out
    assert users.session_user(store, login.token) is None


def test_account_rules_names_roles_and_short_passwords(store):
    with pytest.raises(users.AccountError, match="at least 10"):
        users.add_user(store, "cli", "ann", "editor", "short")
    with pytest.raises(users.AccountError, match="role"):
        users.add_user(store, "cli", "ann", "viewer", PASSWORD)
    with pytest.raises(users.AccountError, match="user name"):
        users.add_user(store, "cli", "ann smith<script>", "editor", PASSWORD)
    users.add_user(store, "cli", "ann", "editor", PASSWORD)
    with pytest.raises(users.AccountError, match="exists"):
        users.add_user(store, "cli", "ann", "admin", PASSWORD)
    users.set_role(store, "cli", "ann", "admin")
    assert [(u.name, u.role, u.created_by) for u in users.list_users(store)] == [
        ("ann", "admin", "cli")
    ]


def test_a_new_password_ends_every_session_of_the_account(store):
    users.add_user(store, "cli", "ann", "editor", PASSWORD)
    token = users.log_in(store, "ann", PASSWORD).token
    users.set_password(store, "cli", "ann", "another long password")
    assert users.session_user(store, token) is None
    assert users.log_in(store, "ann", PASSWORD).refusal == "wrong"
    assert users.log_in(store, "ann", "another long password").token


def test_failed_logins_are_slowed_down_per_user_name(store):
    users.add_user(store, "cli", "ann", "editor", PASSWORD)
    for n in range(users.FREE_FAILURES):  # free tries, each from another client
        assert users.log_in(store, "ann", "wrong", f"10.0.0.{n}") == users.Login(
            None, None, "wrong", 0
        )
    blocked = users.log_in(store, "ann", "wrong", "10.0.1.1")
    assert blocked.refusal == "wrong" and blocked.wait_seconds == 1
    # during the wait even the right password is refused, without being read
    waiting = users.log_in(store, "ann", PASSWORD, "10.0.1.2")
    assert (waiting.token, waiting.refusal, waiting.wait_seconds) == (None, "wait", 1)
    assert users.failed_logins(store, name="ann") == users.FREE_FAILURES + 1
    _unblock(store)
    assert users.log_in(store, "ann", "wrong", "10.0.1.3").wait_seconds == 2  # doubles
    _unblock(store)
    assert users.log_in(store, "ann", PASSWORD, "10.0.1.4").token
    assert users.failed_logins(store, name="ann") == 0  # a login clears its name's count


def test_failed_logins_are_slowed_down_per_client_whatever_the_name(store):
    users.add_user(store, "cli", "ann", "editor", PASSWORD)
    for n in range(users.FREE_FAILURES + 1):  # one guess at each of many names
        users.log_in(store, f"guess{n}", "wrong", "203.0.113.9")
    waiting = users.log_in(store, "ann", PASSWORD, "203.0.113.9")
    assert waiting.refusal == "wait"
    assert users.log_in(store, "ann", PASSWORD, "198.51.100.7").token  # another client may
    assert users.failed_logins(store, client="203.0.113.9") == users.FREE_FAILURES + 1


def test_another_process_sees_the_same_failed_logins(store, store_url):
    users.add_user(store, "cli", "ann", "editor", PASSWORD)
    for _ in range(users.FREE_FAILURES + 5):  # a wait of 16 s: longer than a start-up
        _unblock(store)
        users.log_in(store, "ann", "wrong", "10.0.0.1")
    code = (
        "from intl_metrics.store import open_store, users;"
        f"print(users.log_in(open_store({store_url!r}), 'ann', {PASSWORD!r}, '10.9.9.9').refusal)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
        env={**os.environ, "INTL_METRICS_DB": store_url},
    )  # fmt: skip
    assert out.stdout.strip() == "wait", (out.stdout, out.stderr)


def test_a_session_idle_longer_than_the_setting_ends(store, monkeypatch):
    users.add_user(store, "cli", "ann", "editor", PASSWORD)
    token = users.log_in(store, "ann", PASSWORD).token
    monkeypatch.setenv("INTL_METRICS_IDLE_MINUTES", "5")
    with store.bookkeeping() as conn:
        conn.execute(
            sa.text("UPDATE user_sessions SET last_seen_at = :t"),
            {"t": datetime.now(UTC) - timedelta(minutes=6)},
        )
    assert users.session_user(store, token) is None
    with store.read() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM user_sessions")).scalar_one() == 0


def test_a_store_made_by_the_first_migration_upgrades_in_place(store, store_url):
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext

    from intl_metrics.store.db import MIGRATIONS
    from intl_metrics.store.models import Base

    ingest(store, document_from_bytes(SEED_TEXT.encode(), "agenda.txt"), "ann")
    rev = store.revision()
    with store.engine.begin() as conn:  # back to issue 11's schema, data and all
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    with store.engine.connect() as conn:
        names = set(sa.inspect(conn).get_table_names())
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    assert version == "0001" and "corrections" not in names and "events" in names
    close_stores()

    upgraded = open_store(store_url)  # opening it migrates it
    with upgraded.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0002"
        assert conn.execute(sa.text("SELECT count(*) FROM events")).scalar_one() == 15
    assert upgraded.revision() == rev
    users.add_user(upgraded, "cli", "ann", "editor", PASSWORD)
    login = users.log_in(upgraded, "ann", PASSWORD)
    from intl_metrics.store import corrections

    with upgraded.read() as conn:
        eid = conn.execute(
            sa.text("SELECT event_id FROM entries WHERE title = 'Delegation from Wallonia'")
        ).scalar_one()
    corrections.correct(upgraded, Actor(login.token), eid, {"format": "virtual"})
